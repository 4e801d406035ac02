"""The product's settings plus one bare view to compare against (benchmarks only)."""

from liaison.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Static files are not what is measured; keep WhiteNoise quiet about a missing collectstatic.
WHITENOISE_AUTOREFRESH = True
# The benchmark measures the application, not log output.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

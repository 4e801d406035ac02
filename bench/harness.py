"""Serve the app with gunicorn on PostgreSQL and measure requests per second of some URLs.

Shared by the benchmark scripts: they prepare data, then call `serve()` and `measure()`. Every
figure is measured in one run on one machine, so quote ratios (page / bare view), not raw times.
"""

import http.client
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8931"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
# A table of the benchmark database only, made by bench/suggestions.py for bench/urls.py.
FLOOR_TABLE = "bench_durable_insert"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    # A Redis database of its own: rate-limit counters and queued tasks, flushed after each run.
    env.setdefault("REDIS_URL", DEFAULT_REDIS)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-not-a-secret"),
        ALLOWED_HOSTS=HOST,
        STATIC_MANIFEST="0",
        SERVE_MEDIA="0",
        SECURE_COOKIES="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_database(url: str) -> None:
    """Create the benchmark database if PostgreSQL does not have it yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(), check=True)


@contextmanager
def serve(workers: int = 2):
    """gunicorn with `workers` sync workers on HOST:PORT, stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "liaison.wsgi", "--workers", str(workers),
         "--bind", f"{HOST}:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=environment(),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get("/bench/bare/")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(environment()["REDIS_URL"]).flushdb()


def get(path: str) -> int:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


class _Connection:
    """One keep-alive connection that reopens itself when the server closes it."""

    def __init__(self):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def request(self, method: str, path: str, body=None, headers=None):
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            return None
        if response.will_close:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        return response


def _client(scenario, seconds: float, queue) -> None:
    """Run `scenario` (a picklable callable returning a request maker) for `seconds`."""
    connection = _Connection()
    make_request = scenario(connection)
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        if not make_request():
            errors += 1
        latencies.append(time.perf_counter() - start)
    queue.put((latencies, errors))


class GetPage:
    """GET one path; a 200 counts as a success."""

    def __init__(self, path: str):
        self.path = path

    def __call__(self, connection: _Connection):
        def make_request() -> bool:
            response = connection.request("GET", self.path)
            return response is not None and response.status == 200

        return make_request


def measure(scenario, *, seconds: float = 8.0, clients: int = 4) -> dict:
    """Requests per second and latency percentiles of `scenario` run by `clients` processes."""
    if isinstance(scenario, str):
        scenario = GetPage(scenario)
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_client, args=(scenario, seconds, queue))
        for _ in range(clients)
    ]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _e in results for x in lat)
    errors = sum(e for _lat, e in results)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": (len(latencies) - errors) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def print_table(rows: list[dict], *, baseline: dict) -> None:
    print(f"{'page':<36} {'ok req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for row in rows:
        print(
            f"{row['label']:<36} {row['rps']:>9.1f} {row['rps'] / baseline['rps']:>7.2f} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['errors']:>7}"
        )

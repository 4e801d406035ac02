"""Public station pages against a bare Django view, on PostgreSQL with gunicorn (2 workers).

    .venv/bin/python bench/station_pages.py [--seconds 8] [--clients 4]

Uses DATABASE_URL (default: a `liaison_bench` database on the local PostgreSQL), loads the demo
network into it and prints requests per second and the ratio to the bare view.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    env = harness.environment()
    harness.ensure_database(env["DATABASE_URL"])
    harness.manage("migrate", "--noinput", "-v0")
    harness.manage("load_demo")

    os.environ.update(env)
    import django

    django.setup()
    from stations.models import Region, Station

    station = Station.objects.get(name="中垛乡人大代表联络站")
    county = Region.objects.get(code="141028")
    pages = [
        ("bare Django view", "/bench/bare/"),
        ("station directory", "/stations/"),
        ("directory, one county", f"/stations/?region={county.pk}"),
        ("station page, 77 representatives", station.get_absolute_url()),
    ]
    with harness.serve(workers=2):
        rows = [
            {"label": label, **harness.measure(path, seconds=args.seconds, clients=args.clients)}
            for label, path in pages
        ]
    print(f"\n{args.clients} client processes, {args.seconds:.0f} s per page, gunicorn 2 workers\n")
    harness.print_table(rows, baseline=rows[0])


if __name__ == "__main__":
    main()

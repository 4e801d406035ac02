"""The citizens' form and submissions against a bare Django view (PostgreSQL, Redis, gunicorn).

    .venv/bin/python bench/suggestions.py [--seconds 8] [--clients 4] [--workers 2]

Prints requests per second of (a) a bare Django view, (b) the blank form page and (c)
successful submissions (a 302 to the receipt page; multipart, as a phone sends it), with the
ratios b/a and c/a. Targets: b/a ≥ 0.6, c/a ≥ 0.3. Rate limits stay on, set high enough that
the benchmark's few addresses are not refused.

It also measures (d) the floor of any durable submission: the same multipart body posted to a
view that does nothing but commit one row with a raw INSERT (no form, CSRF, rate limit,
history, outbox or task), and prints d/a: no real submission can beat it on this machine.
"""

import argparse
import itertools
import os
import re
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

BOUNDARY = "----liaisonbench7f3e"


def multipart(fields: dict[str, str]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


class Submit:
    """Open the form once for the CSRF cookie, then submit new suggestions over and over."""

    def __init__(self, path: str, theme_id: int):
        self.path, self.theme_id = path, theme_id

    def __call__(self, connection):
        response = connection.conn
        connection.conn.request("GET", self.path)
        response = connection.conn.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        numbers = itertools.count(os.getpid() * 100_000)
        headers = {
            "Cookie": cookie,
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Referer": f"http://{harness.HOST}:{harness.PORT}{self.path}",
        }

        def make_request() -> bool:
            n = next(numbers)
            body = multipart(
                {
                    "csrfmiddlewaretoken": csrf,
                    "token": str(uuid.uuid4()),
                    "theme": str(self.theme_id),
                    "title": "村口路灯不亮",
                    "content": f"第{n}号：村口到小学的路灯坏了三个月，晚上学生回家不安全。",
                    "name": "测试",
                    "phone": f"139{n % 100_000_000:08d}",
                    "consent": "on",
                    "website": "",
                }
            )
            result = connection.request("POST", self.path, body=body, headers=headers)
            return result is not None and result.status == 302

        return make_request


class DurableInsert:
    """POST the same body to the bare durable-insert view; a 302 counts as a success."""

    def __call__(self, connection):
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        numbers = itertools.count(os.getpid() * 100_000)

        def make_request() -> bool:
            body = multipart(
                {
                    "title": "村口路灯不亮",
                    "content": f"第{next(numbers)}号：村口到小学的路灯坏了三个月，晚上不安全。",
                }
            )
            result = connection.request(
                "POST", "/bench/durable-insert/", body=body, headers=headers
            )
            return result is not None and result.status == 302

        return make_request


def ensure_floor_table(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {harness.FLOOR_TABLE} "
            "(id bigserial PRIMARY KEY, content text)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    os.environ.setdefault("SUGGESTION_RATE_PER_IP", "1000000/m")
    os.environ.setdefault("SUGGESTION_RATE_PER_PHONE", "1000000/m")
    env = harness.environment()
    harness.ensure_database(env["DATABASE_URL"])
    harness.manage("migrate", "--noinput", "-v0")
    harness.manage("load_demo")
    harness.flush_redis()
    ensure_floor_table(env["DATABASE_URL"])

    os.environ.update(env)
    import django

    django.setup()
    from stations.models import Station
    from suggestions.models import Suggestion, Theme

    station = Station.objects.get(name="中垛乡人大代表联络站")
    theme = Theme.objects.get(name="道路交通")
    form_path = f"/s/{station.code}/"
    before = Suggestion.objects.count()
    with harness.serve(workers=args.workers):
        bare = harness.measure("/bench/bare/", seconds=args.seconds, clients=args.clients)
        form = harness.measure(form_path, seconds=args.seconds, clients=args.clients)
        submit = harness.measure(
            Submit(form_path, theme.pk), seconds=args.seconds, clients=args.clients
        )
        floor = harness.measure(DurableInsert(), seconds=args.seconds, clients=args.clients)
    saved = Suggestion.objects.count() - before
    harness.flush_redis()

    rows = [
        {"label": "(a) bare Django view", **bare},
        {"label": "(b) blank suggestion form", **form},
        {"label": "(c) successful submissions", **submit},
        {"label": "(d) floor: one raw INSERT, committed", **floor},
    ]
    print(
        f"\n{args.clients} client processes, {args.seconds:.0f} s each, "
        f"gunicorn {args.workers} workers, PostgreSQL + Redis\n"
    )
    harness.print_table(rows, baseline=bare)
    print(f"\nb/a = {form['rps'] / bare['rps']:.2f}   (target ≥ 0.6)")
    print(f"c/a = {submit['rps'] / bare['rps']:.2f}   (target ≥ 0.3)")
    print(f"d/a = {floor['rps'] / bare['rps']:.2f}   (the ceiling for any durable submission)")
    counted = round(submit["rps"] * args.seconds)
    print(f"suggestions saved: {saved} (successful submissions counted: {counted})")


if __name__ == "__main__":
    main()

"""A dynamic security scan of liaison served in production mode on 127.0.0.1.

    python security/scan.py [--minutes 10] [--keep-db]          (or `make security-scan`)

Run with the app's Python (the one that has Django, gunicorn and psycopg). The script:

1. installs wapiti3 and sqlmap from PyPI into security/.venv (security/requirements.txt), apart
   from the app's own environment;
2. creates a PostgreSQL database of its own (liaison_scan on 127.0.0.1:5432, or SCAN_DATABASE_URL),
   migrates it, loads the demo network and collects the static files into a temporary folder;
3. serves the app with gunicorn in production mode (DEBUG=0, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1) on a free loopback port, with Redis as cache if it answers on
   127.0.0.1:6379 (a database of its own, emptied afterwards);
4. logs in as the demo station staff and the demo supervisor (log_in below) for session cookies;
5. runs wapiti against the public pages (no cookie), the workbench (staff) and the ledger
   (supervisor), then sqlmap against the ledger's GET parameters and its choices endpoint;
6. writes everything under security/reports/<time>/ and prints a summary: wapiti's findings and
   anomalies, sqlmap's verdict per target, and every 5xx the server answered with its traceback.

Only 127.0.0.1 is ever a target. Each phase is bounded by the scanner's own time limit and by a
timeout here; the whole run by --minutes. On exit, an error or Ctrl-C the script stops the
scanners and the server it started and drops its database.

What differs from a real deployment, for plain HTTP on loopback, and why:
- SECURE_COOKIES=0: otherwise the session and CSRF cookies carry `Secure` and no client sends them
  back over http, so every form post would fail the CSRF check and the scan would see nothing
  behind it. wapiti's cookieflags module reports the missing flag; that finding is ours.
- SECURE_SSL_REDIRECT=0 and SECURE_HSTS_SECONDS=0, for settings that read them; if the server
  still redirects plain http to https, the scanners send `X-Forwarded-Proto: https`, as the TLS
  proxy in front of a real deployment does (SECURE_PROXY_SSL_HEADER).
- The rate limits are raised (SCAN_RATE below), or the scanners would be answered 429 after a few
  dozen requests and never reach the forms' validation.
- Celery runs the tasks eagerly (no worker), so exports and notifications the scan triggers run.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPResponse
from http.cookies import SimpleCookie
from pathlib import Path

SECURITY_DIR = Path(__file__).resolve().parent
PROJECT_DIR = SECURITY_DIR.parent
VENV_DIR = SECURITY_DIR / ".venv"
REPORTS_DIR = SECURITY_DIR / "reports"
REQUIREMENTS = SECURITY_DIR / "requirements.txt"

HOST = "127.0.0.1"  # the only address this script ever sends a request to
DEFAULT_DATABASE_URL = f"postgres://postgres@{HOST}:5432/liaison_scan"
REDIS_DB = 13  # emptied at the end; no other part of the project uses it
DEMO_PASSWORD = "demo-pass-2026"  # demo.base.PASSWORD
STAFF_USER = "zhongduo_staff"
SUPERVISOR_USER = "supervisor"
SCAN_RATE = "100000/h"

# wapiti modules that need nothing outside this machine. Left out: ssl (no TLS on loopback),
# ssrf/xxe/log4shell (they make the target call an endpoint on the internet), nikto/wapp (they
# download their databases), buster and brute_login_form (guessing; the latter would also lock the
# demo accounts), takeover (DNS), timesql (slow; sqlmap's time-based tests cover the ledger).
WAPITI_MODULES = (
    "xss,permanentxss,sql,exec,file,redirect,crlf,csrf,ldap,upload,backup,htaccess,methods,"
    "http_headers,cookieflags,csp"
)

# How the --minutes budget is shared: the fraction each scan gets.
SHARES = {"public": 0.25, "workbench": 0.15, "ledger": 0.2, "sqlmap": 0.4}
# wapiti's --max-scan-time bounds only its crawl; each attack module then gets --max-attack-time.
# A wapiti run of T seconds crawls for CRAWL_SHARE * T and shares the rest among the modules
# that send attacks (the passive ones finish in moments).
CRAWL_SHARE = 0.3
ACTIVE_MODULES = 11
# sqlmap's targets share its time: the suggestions ledger (most parameters) gets half.
SQLMAP_SHARES = {"ledger": 0.5, "choices": 0.25, "receptions": 0.25}
GRACE = 90  # seconds a scanner may take past its own limit to write its report


class ScanError(RuntimeError):
    pass


# --- processes --------------------------------------------------------------------------------

_started: list[subprocess.Popen[bytes]] = []


def _stop(process: subprocess.Popen[bytes], wait: float = 10) -> None:
    """SIGTERM to the process group, then SIGKILL if it has not gone within `wait` seconds."""
    if process.poll() is not None:
        return
    for sig, patience in ((signal.SIGTERM, wait), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=patience)
            return
        except subprocess.TimeoutExpired:
            continue


def stop_all() -> None:
    while _started:
        _stop(_started.pop())


def start(cmd: Sequence[str], *, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start `cmd` in its own process group (so it and its children can be stopped together)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            list(cmd),
            env=env,
            cwd=PROJECT_DIR,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _started.append(process)
    return process


def run(cmd: Sequence[str], *, env: dict[str, str], log: Path, timeout: float) -> int | None:
    """Run `cmd` to the end or for `timeout` seconds; its exit status, or None if it was stopped."""
    process = start(cmd, env=env, log=log)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"  stopped after {timeout:.0f}s: {cmd[0]}")
        return None
    finally:
        _stop(process)
        _started.remove(process)


def _on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


# --- the scanners' environment ----------------------------------------------------------------


def ensure_scanners(python: str) -> Path:
    """security/.venv with the scanners of requirements.txt; reinstalled when that file changes."""
    bin_dir = VENV_DIR / "bin"
    stamp = VENV_DIR / ".requirements"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return bin_dir
    print("Installing wapiti3 and sqlmap into security/.venv …")
    if not (bin_dir / "python").exists():
        subprocess.run([python, "-m", "venv", str(VENV_DIR)], check=True, timeout=300)
    pip = [str(bin_dir / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True, timeout=600)
    subprocess.run([*pip, "install", "-r", str(REQUIREMENTS)], check=True, timeout=1200)
    stamp.write_text(wanted, encoding="utf-8")
    return bin_dir


# --- database and Redis -----------------------------------------------------------------------


def _admin_connection(database_url: str):  # type: ignore[no-untyped-def]
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    return psycopg.connect(
        host=parts.hostname or HOST,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    )


def _database_name(database_url: str) -> str:
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or not name.endswith("_scan"):
        raise ScanError(f"refusing database {name!r}: the scan's database name must end in _scan")
    return name


def create_database(database_url: str) -> None:
    from psycopg import sql

    name = sql.Identifier(_database_name(database_url))
    with _admin_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(database_url: str) -> None:
    from psycopg import sql

    name = sql.Identifier(_database_name(database_url))
    with _admin_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def redis_url() -> str:
    """A Redis database of the scan's own if Redis answers on 127.0.0.1:6379, else ''."""
    try:
        with socket.create_connection((HOST, 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return f"redis://{HOST}:6379/{REDIS_DB}"
    except OSError:
        pass
    return ""


def flush_redis(url: str) -> None:
    if not url:
        return
    import redis

    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- HTTP as a browser would (for the cookies) ------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(values.get("action", ""), values.get("method", "get").lower()))
        elif tag in ("input", "select", "textarea") and self.forms and values.get("name"):
            self.forms[-1].fields[values["name"]] = values.get("value", "")


def forms_of(page: str) -> list[Form]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Browser:
    """Just enough of a browser for logging in: cookies kept by name, no redirect followed."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Answer:
        headers = {**self.headers, "Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}:{self.port}{path}"
        conn = HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response: HTTPResponse = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for raw in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(raw)
                for name, morsel in jar.items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return Answer(response.status, response.headers.get("Location", ""), text)
        finally:
            conn.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self.request("POST", path, data)


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as django-otp's TOTP devices and authenticator apps."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


_OTP_FIELD = re.compile(r"otp|token|code", re.IGNORECASE)
_LOGIN_STEP = re.compile(r"^/accounts/|otp|two.?factor|2fa|verify", re.IGNORECASE)


def log_in(browser: Browser, username: str, password: str) -> dict[str, str]:
    """The session cookies of `username`, logged in through the login page as a person would.

    The one place to adapt when the login changes. A second step on the way (a page under
    /accounts/ or named like otp/two-factor/verify, whose form has a field named like
    otp_token/token/code) is answered with the TOTP code of the base32 secret in
    SCAN_OTP_SECRET_<USERNAME> (e.g. SCAN_OTP_SECRET_SUPERVISOR), if set.
    """
    url = "/accounts/login/"
    page = browser.get(url)
    form = next((f for f in forms_of(page.body) if "password" in f.fields), None)
    if page.status != 200 or form is None:
        raise ScanError(f"no login form at {url} (HTTP {page.status})")
    data = {**form.fields, "username": username, "password": password}
    answer = browser.post(form.action or url, data)
    for _step in range(4):  # bounded: the password step, then at most a few more
        if answer.status in (301, 302, 303):
            url = urllib.parse.urlsplit(answer.location).path or "/"
            if not _LOGIN_STEP.search(url):
                break  # landed past the login
            answer = browser.get(answer.location)
            continue
        code_field = next(
            (
                (f, name)
                for f in forms_of(answer.body)
                for name in f.fields
                if _OTP_FIELD.search(name) and name != "csrfmiddlewaretoken"
            ),
            None,
        )
        if answer.status != 200 or code_field is None or not _LOGIN_STEP.search(url):
            break
        secret = os.environ.get(f"SCAN_OTP_SECRET_{username.upper()}")
        if not secret:
            raise ScanError(
                f"{username}'s login asks for a one-time code: set "
                f"SCAN_OTP_SECRET_{username.upper()} to the demo's base32 TOTP secret, or "
                "adapt log_in() in security/scan.py"
            )
        otp, name = code_field
        answer = browser.post(otp.action or url, {**otp.fields, name: totp(secret)})
    check = browser.get("/ledger/")
    if check.status != 200:
        raise ScanError(f"{username} is not logged in: /ledger/ answers {check.status}")
    return dict(browser.cookies)


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- the scans --------------------------------------------------------------------------------


def wapiti(
    bin_dir: Path,
    *,
    name: str,
    base: str,
    cookies: dict[str, str] | None,
    headers: dict[str, str],
    seconds: float,
    out: Path,
    env: dict[str, str],
) -> Path:
    report = out / f"wapiti-{name}.json"
    cmd = [
        str(bin_dir / "wapiti"),
        "-u", base,
        "--scope", "folder",
        "-m", WAPITI_MODULES,
        "-f", "json", "-o", str(report),
        "--flush-session", "--store-session", str(out / "wapiti-sessions"),
        "--store-config", str(out / "wapiti-config"),
        "--max-scan-time", str(int(seconds * CRAWL_SHARE)),
        "--max-attack-time", str(max(5, int(seconds * (1 - CRAWL_SHARE) / ACTIVE_MODULES))),
        "-d", "3", "--max-links-per-page", "40", "--max-files-per-dir", "25",
        "--max-parameters", "30",
        "-t", "20", "--tasks", "4",
        "-x", urllib.parse.urljoin(base, "/accounts/logout/"),  # would end the scan's session
        # Nothing leaves this machine: no crash reports, and the out-of-band endpoints (used only
        # by modules left out above, but resolved at start) point at loopback.
        "--no-bugreport", "--endpoint", f"http://{HOST}:9/", "--dns-endpoint", "localhost",
        "-v", "1",
    ]  # fmt: skip
    if cookies:
        # A Cookie header on every request (it wins over any cookie a response sets). Not with
        # --drop-set-cookie: that drops this header too.
        cmd += ["-C", cookie_header(cookies)]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    print(f"wapiti {name}: {base} for {seconds:.0f}s")
    run(cmd, env=env, log=out / f"wapiti-{name}.log", timeout=seconds + GRACE)
    return report


def sqlmap(
    bin_dir: Path,
    *,
    name: str,
    url: str,
    params: Sequence[str],
    cookies: dict[str, str],
    headers: dict[str, str],
    seconds: float,
    out: Path,
    env: dict[str, str],
) -> Path:
    log = out / f"sqlmap-{name}.log"
    cmd = [
        str(bin_dir / "sqlmap"),
        "-u", url,
        "-p", ",".join(params),
        "--cookie", cookie_header(cookies),
        "--batch", "--level", "2", "--risk", "1", "--dbms", "PostgreSQL",
        "--time-limit", str(int(seconds)),
        "--timeout", "20", "--retries", "1",
        "--flush-session", "--output-dir", str(out / "sqlmap"),
        "--disable-coloring",
        "--text-only",  # compare the pages' text: each carries a fresh CSRF token
    ]  # fmt: skip
    if headers:
        cmd += ["--headers", "\n".join(f"{k}: {v}" for k, v in headers.items())]
    print(f"sqlmap {name}: {url} ({', '.join(params)}) for {seconds:.0f}s")
    run(cmd, env=env, log=log, timeout=seconds + GRACE)
    return log


def ledger_targets(browser: Browser) -> list[tuple[str, str, list[str]]]:
    """sqlmap's targets: the ledgers' filters and the choices endpoint, with real values."""
    answer = browser.get("/ledger/choices/station/?q=")
    stations = json.loads(answer.body)["results"] if answer.status == 200 else []
    station = str(stations[0]["id"]) if stations else "1"
    ledger = (
        f"/ledger/?q=%E9%81%93%E8%B7%AF&station={station}&created_from=2024-01-01"
        "&status=received&sort=-created"
    )
    page = browser.get(ledger)
    after = re.search(r'href="\?[^"]*\bafter=([^"&]+)', page.body)
    if after:
        ledger += "&after=" + html.unescape(after.group(1))
    base = f"http://{HOST}:{browser.port}"
    return [
        ("ledger", base + ledger, ["q", "station", "created_from", "status", "sort", "after"]),
        ("choices", base + "/ledger/choices/representative/?q=%E5%BC%A0&page=1", ["q", "page"]),
        (
            "receptions",
            base + f"/ledger/receptions/?station={station}&date_from=2024-01-01&date_to=2030-12-31",
            ["station", "date_from", "date_to"],
        ),
    ]


# --- the summary ------------------------------------------------------------------------------


def summarize_wapiti(report: Path) -> list[str]:
    """One line per kind of finding: how many, where (a few addresses and parameters), what."""
    if not report.exists():
        return [f"  {report.name}: no report (see {report.with_suffix('.log').name})"]
    data = json.loads(report.read_text(encoding="utf-8"))
    lines = []
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in sorted(data.get(section, {}).items()):
            if not items:
                continue
            where = list(dict.fromkeys(f"{i.get('method', '')} {i.get('path', '')}" for i in items))
            params = sorted({i.get("parameter") for i in items if i.get("parameter")})
            infos = list(dict.fromkeys(" ".join(str(i.get("info", "")).split()) for i in items))
            lines.append(
                f"  [{section}] {category} ×{len(items)}: {', '.join(where[:4])}"
                + (f" (+{len(where) - 4} more)" if len(where) > 4 else "")
                + (f"; parameters: {', '.join(params[:6])}" if params else "")
                + f"; {' | '.join(info[:120] for info in infos[:3])}"
            )
    crawled = data.get("infos", {}).get("crawled_pages_nbr", "?")
    return [f"  {report.name}: {crawled} page(s) crawled", *lines]


def summarize_sqlmap(log: Path) -> list[str]:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    verdicts = [
        line.strip()
        for line in text.splitlines()
        if re.search(
            r"is vulnerable|appears to be injectable|injection point|not appear to be injectable"
            r"|might be injectable|seem to be injectable|time limit|HTTP error codes detected"
            r"|connection timed out|WARNING|CRITICAL",
            line,
        )
    ]
    verdicts = [v for v in verdicts if "as the output directory" not in v]
    if not verdicts:
        verdicts = ["(no verdict in the log; see it whole)"]
    return [f"  {log.name}:", *(f"    {v[:300]}" for v in verdicts[-10:])]


def summarize_server(access_log: Path, server_log: Path) -> list[str]:
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    if access_log.exists():
        for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
            status, _, request = line.partition(" ")
            statuses[status] += 1
            if status.startswith("5"):
                errors[request.split("?")[0]] += 1
    lines = ["  responses by status: " + ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))]
    for request, count in errors.most_common(20):
        lines.append(f"  5xx ×{count}: {request}")
    if server_log.exists():
        text = server_log.read_text(encoding="utf-8", errors="replace")
        causes: Counter[str] = Counter()
        example: dict[str, str] = {}
        for block in text.split("Traceback (most recent call last):")[1:]:
            frames = re.findall(r'^  File "([^"]+)", line (\d+), in (\S+)', block, re.MULTILINE)
            ours = [f for f in frames if "site-packages" not in f[0]] or frames[-1:]
            error = re.search(r"^((?:\w+\.)*[A-Z]\w+)(?::\s?(.*))?$", block, re.MULTILINE)
            if not ours or not error:
                continue
            path, line, func = ours[-1]
            if path.startswith(str(PROJECT_DIR)):
                path = str(Path(path).relative_to(PROJECT_DIR))
            where = f"{path}:{line} in {func}"
            key = f"{error.group(1)} at {where}"
            causes[key] += 1
            example.setdefault(key, (error.group(2) or "")[:160])
        for key, count in causes.most_common(15):
            lines.append(f"  exception ×{count}: {key} (e.g. {example[key]!r})")
    return lines


# --- the run ----------------------------------------------------------------------------------


# What app_env sets only because the scan speaks plain http to loopback (see the docstring).
LOOPBACK_OVERRIDES = ("SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")


def app_env(database_url: str, redis: str, tmp: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "SECURE_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}:{port}",
        DATABASE_URL=database_url,
        REDIS_URL=redis,
        CELERY_TASK_ALWAYS_EAGER="1",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_ROOT=str(tmp / "private"),
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SUGGESTION_RATE_PER_IP=SCAN_RATE,
        SUGGESTION_RATE_PER_PHONE=SCAN_RATE,
        TRACK_RATE_PER_IP=SCAN_RATE,
        TRACK_RATE_PER_CODE=SCAN_RATE,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    return env


def deploy_warnings(log: Path) -> list[str]:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return [m.group(0)[:160] for m in re.finditer(r"^\?: \(\S+\).*$", text, re.MULTILINE)]


def wait_for_server(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ScanError("gunicorn exited at start; see server.log")
        with contextlib.suppress(OSError):
            conn = HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz/", headers={"Host": f"{HOST}:{port}"})
            if conn.getresponse().status < 500:
                return
        time.sleep(0.5)
    raise ScanError(f"gunicorn did not answer on {HOST}:{port} within {seconds:.0f}s")


def proxy_headers(port: int) -> dict[str, str]:
    """{} if plain http is served; else the TLS proxy's header, if the app redirects to https."""
    conn = HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/stations/", headers={"Host": f"{HOST}:{port}"})
    response = conn.getresponse()
    if response.status in (301, 302) and response.headers.get("Location", "").startswith("https:"):
        print("  the app redirects http to https: the scanners send X-Forwarded-Proto: https")
        return {"X-Forwarded-Proto": "https"}
    return {}


def manage(args: Sequence[str], env: dict[str, str], out: Path, timeout: float = 600) -> None:
    cmd = [sys.executable, "manage.py", *args]
    status = run(cmd, env=env, log=out / "setup.log", timeout=timeout)
    if status != 0:
        raise ScanError(f"manage.py {' '.join(args)} failed ({status}); see setup.log")


@contextlib.contextmanager
def served(env: dict[str, str], port: int, out: Path) -> Iterator[subprocess.Popen[bytes]]:
    cmd = [
        sys.executable, "-m", "gunicorn", "liaison.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", "2", "--threads", "4", "--timeout", "60",
        "--access-logfile", str(out / "access.log"),
        "--access-logformat", "%(s)s %(m)s %(U)s?%(q)s",
    ]  # fmt: skip
    server = start(cmd, env=env, log=out / "server.log")
    try:
        wait_for_server(port, server)
        yield server
    finally:
        _stop(server, wait=20)
        if server in _started:
            _started.remove(server)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A dynamic security scan of liaison.")
    parser.add_argument("--minutes", type=float, default=10, help="time for the scans (default 10)")
    parser.add_argument("--keep-db", action="store_true", help="leave the scan's database behind")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _on_signal)
    budget = max(60.0, args.minutes * 60)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = REPORTS_DIR / stamp
    out.mkdir(parents=True)
    database_url = os.environ.get("SCAN_DATABASE_URL", DEFAULT_DATABASE_URL)
    if urllib.parse.urlsplit(database_url).hostname not in (HOST, "localhost"):
        raise ScanError("SCAN_DATABASE_URL must point at this machine")
    redis = redis_url()
    tmp = Path(tempfile.mkdtemp(prefix="liaison-scan-"))
    port = free_port()
    env = app_env(database_url, redis, tmp, port)
    # The scanners keep their state (~/.wapiti, ~/.local/share/sqlmap) with the reports.
    (out / "home").mkdir()
    scanner_env = {**os.environ, "PYTHONUNBUFFERED": "1", "HOME": str(out / "home")}
    summary: list[str] = [
        f"liaison dynamic scan {stamp}: http://{HOST}:{port}/, DEBUG=0, "
        f"Redis {'db ' + str(REDIS_DB) if redis else 'none'}, {budget / 60:.0f} min of scans",
    ]
    created = False
    try:
        bin_dir = ensure_scanners(sys.executable)
        print(f"Database {urllib.parse.urlsplit(database_url).path.lstrip('/')}: migrate, demo …")
        create_database(database_url)
        created = True
        manage(["migrate", "--noinput"], env, out)
        manage(["load_demo"], env, out)
        manage(["collectstatic", "--noinput"], env, out)
        # As a real deployment would be configured: without the loopback overrides.
        production = {k: v for k, v in env.items() if k not in LOOPBACK_OVERRIDES}
        deploy = run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            env=production, log=out / "check-deploy.log", timeout=120,
        )  # fmt: skip
        summary.append(f"manage.py check --deploy (production settings): exit {deploy}")
        summary += [f"  {w}" for w in deploy_warnings(out / "check-deploy.log")]
        with served(env, port, out):
            base = f"http://{HOST}:{port}"
            print(f"Serving on {base}/ (logs in {out})")
            headers = proxy_headers(port)
            staff = log_in(Browser(port, headers), STAFF_USER, DEMO_PASSWORD)
            supervisor_browser = Browser(port, headers)
            supervisor = log_in(supervisor_browser, SUPERVISOR_USER, DEMO_PASSWORD)
            targets = ledger_targets(supervisor_browser)
            reports = [
                wapiti(bin_dir, name="public", base=base + "/", cookies=None, headers=headers,
                       seconds=budget * SHARES["public"], out=out, env=scanner_env),
                wapiti(bin_dir, name="workbench", base=base + "/workbench/", cookies=staff,
                       headers=headers, seconds=budget * SHARES["workbench"], out=out,
                       env=scanner_env),
                wapiti(bin_dir, name="ledger", base=base + "/ledger/", cookies=supervisor,
                       headers=headers, seconds=budget * SHARES["ledger"], out=out,
                       env=scanner_env),
            ]  # fmt: skip
            logs = [
                sqlmap(bin_dir, name=name, url=url, params=params, cookies=supervisor,
                       headers=headers, seconds=budget * SHARES["sqlmap"] * SQLMAP_SHARES[name],
                       out=out, env=scanner_env)
                for name, url, params in targets
            ]  # fmt: skip
        summary.append("wapiti:")
        for report in reports:
            summary += summarize_wapiti(report)
        summary.append("sqlmap:")
        for log in logs:
            summary += summarize_sqlmap(log)
        summary.append("server (every request of the run):")
        summary += summarize_server(out / "access.log", out / "server.log")
    except KeyboardInterrupt:
        summary.append("interrupted")
        print("\ninterrupted; stopping what was started", file=sys.stderr)
        return 130
    except ScanError as exc:
        summary.append(f"failed: {exc}")
        print(f"scan failed: {exc}", file=sys.stderr)
        return 1
    finally:
        stop_all()
        if created and not args.keep_db:
            drop_database(database_url)
        flush_redis(redis)
        shutil.rmtree(tmp, ignore_errors=True)
        (out / "summary.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
        print("\n".join(summary))
        print(f"\nReports: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Bad input never makes a server error: every URL pattern (from the resolver), as every role,
with hostile values in every GET parameter the view reads and every POST field of its forms,
and hostile path values, answers below 500.

The parameters are found, not listed: those the view reads from request.GET and request.POST
while answering (recorded on the QueryDict), those its page links to (`?key=`) and the names
of every input, select and textarea its page shows. So a new page or field is walked without
editing this test. Run it against PostgreSQL too (CI does): a NUL byte is fine in SQLite but
refused by PostgreSQL."""

import re
import traceback
from collections import defaultdict
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from tests.security.urlwalk import concrete_urls

HOSTILE = {
    "nul": "a\x00b",
    "huge": str(10**30),
    "minus": "-1",
    "superscript": "²",
    "arabic-indic": "١٢",
    "long": "长" * 10_000,
    "float": "1e999",
    "date": "2026-13-45",
    "markup": "'\"><script>%00",
    "array": ["1", "²", "a\x00"],
}
PERSONAS = ["anonymous", "staff", "transport_handler", "supervisor", "rep_user", "superuser"]
# Confirming a deletion in the admin takes no field but `post`: any POST deletes, so hostile
# values there would only remove the objects the rest of the walk needs.
NO_POST = ("/delete/",)

_read: dict[int, set[str]] = defaultdict(set)


@pytest.fixture
def recorded_reads(monkeypatch):
    """Which keys the views read from each QueryDict, by the dict's identity."""
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(MultiValueDict, name)

        def reading(self, key, *args, _original=original, **kwargs):
            _read[id(self)].add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, name, reading)
    _read.clear()
    yield _read
    _read.clear()


def _names_in_page(response) -> tuple[set[str], set[str]]:
    """(query keys linked from the page, field names of its forms)."""
    if "html" not in response.get("Content-Type", "") or not hasattr(response, "content"):
        return set(), set()
    html = response.content.decode(errors="replace")
    links = set()
    for query in re.findall(r'href="[^"?]*\?([^"#]*)', html):
        links |= {part.split("=", 1)[0] for part in unescape(query).split("&") if part}
    fields = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    return links, fields - {"csrfmiddlewaretoken"}


def _keys(response, recorded, which: str) -> set[str]:
    request = getattr(response, "wsgi_request", None)
    return set(recorded.get(id(getattr(request, which)), ())) if request else set()


def _login(client, world, who):
    client.logout()
    if who != "anonymous":
        client.force_login(getattr(world, who))


_failures: list[str] = []


def _check(response, method, url, who, payload):
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        where = ""
        if exc:
            frames = [f for f in traceback.extract_tb(exc[2]) if "site-packages" not in f.filename]
            where = (
                f" at {frames[-1].filename.rsplit('/', 2)[-2:]}:{frames[-1].lineno}"
                if frames
                else ""
            )
            where = f"{exc[0].__name__}: {str(exc[1])[:80]}{where}"
        _failures.append(
            f"{response.status_code} {who} {method.upper()} {url} {str(payload)[:120]} {where}"
        )


def _hostile_paths(url: str) -> list[str]:
    """The same address with each number in its path made huge, and each code made odd."""
    out = []
    for match in re.finditer(r"/(\d+)(?=[/.])", url):
        for bad in (str(10**30), str(2**63), "0"):
            out.append(url[: match.start(1)] + bad + url[match.end(1) :])
    for code in ("%00", "%C2%B2", "x" * 300):
        out.append(re.sub(r"/([A-Z0-9]{6,})(?=[/.])", f"/{code}", url, count=1))
    return [u for u in out if u != url]


@pytest.mark.parametrize("who", PERSONAS)
def test_no_hostile_input_makes_a_server_error(client, hostile_world, recorded_reads, who):
    w = hostile_world
    _failures.clear()
    client.raise_request_exception = False  # a 500 is the failure we look for, as the user sees
    urls = concrete_urls(w)
    urls.sort(key=lambda u: ("/delete/" in u, "logout" in u, u))
    walked = 0
    for url in urls:
        _login(client, w, who)
        recorded_reads.clear()  # ids of freed QueryDicts are reused
        baseline = client.get(url)
        _check(baseline, "get", url, who, None)
        if baseline.status_code in (301, 302, 403, 404, 405) and who == "anonymous":
            # Login redirects: the hostile values never reach a view.
            if "/accounts/" not in url and "/admin/login/" not in url:
                continue
        links, fields = _names_in_page(baseline)
        get_keys = _keys(baseline, recorded_reads, "GET") | links | {"page", "q"}
        post_keys = fields | {"next"}
        if "/delete/" not in url:
            recorded_reads.clear()
            probe = client.post(url, {})
            _check(probe, "post", url, who, {})
            post_keys |= _keys(probe, recorded_reads, "POST")
        walked += 1
        for label, value in HOSTILE.items():
            query = {key: value for key in get_keys}
            _check(client.get(url, query), "get", url, who, (label, sorted(get_keys)))
            if url.endswith(NO_POST) or "/delete/" in url:
                continue
            _login(client, w, who)
            body = {key: value for key in post_keys}
            _check(client.post(url, body), "post", url, who, (label, sorted(post_keys)))
        # One key at a time, so one field's refusal cannot hide another's failure.
        for key in sorted(get_keys):
            for value in (HOSTILE["nul"], HOSTILE["huge"], HOSTILE["superscript"]):
                _check(client.get(url, {key: value}), "get", url, who, key)
        if "/delete/" not in url and "logout" not in url:
            for key in sorted(post_keys):
                for value in (HOSTILE["nul"], HOSTILE["huge"], HOSTILE["superscript"]):
                    _check(client.post(url, {key: value}), "post", url, who, key)
            # Wrong type: a file where text is expected.
            upload = SimpleUploadedFile("x.txt", b"\x00\xff" * 10)
            files = {key: upload for key in post_keys}
            _check(client.post(url, files), "post", url, who, "file in every field")
        for bad_url in _hostile_paths(url):
            _check(client.get(bad_url), "get", bad_url, who, None)
    print("\n".join(dict.fromkeys(_failures)))  # every failure, not only the first few
    assert not _failures, f"{len(_failures)} server errors, listed in the captured output"
    assert walked >= (3 if who == "anonymous" else 8)


def test_a_query_string_that_is_not_utf8_is_no_server_error(admin_client_, hostile_world):
    for url in ("/ledger/", "/ledger/choices/station/", "/workbench/", "/admin/auth/user/"):
        response = admin_client_.generic("GET", url, QUERY_STRING="q=%ff%fe&page=%c0")
        assert response.status_code < 500, url


def test_the_known_ones_answer_with_a_refusal_that_names_the_field(admin_client_, hostile_world):
    """The three server errors the issue found, each now a 4xx or a message."""
    nul = admin_client_.get("/ledger/choices/station/", {"q": "白\x00额"})
    assert nul.status_code == 400 and "q" in nul.json()["errors"]
    deep = admin_client_.get("/ledger/choices/station/", {"page": str(2**63)})
    first = admin_client_.get("/ledger/choices/station/")
    assert deep.status_code == 200 and deep.json() == first.json()
    assert admin_client_.get("/ledger/", {"q": "白\x00额"}).status_code == 200
    assert admin_client_.get("/workbench/", {"page": str(10**30)}).status_code == 200
    response = admin_client_.post("/workbench/bulk-accept/", {"ids": ["²"]}, follow=True)
    assert response.status_code == 200
    assert "“选中的意见建议”中有一项不是意见建议。" in response.content.decode()

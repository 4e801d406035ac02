"""The strict Content-Security-Policy on every kind of page, and the report-only switch.

The browser tests (tests/browser) check that no page breaks the policy; these check that the
header is there and says what it should, without a browser.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from liaison.admin import IMPORT_EXPORT_FORM_POLICY, attribute_hash
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def policy_of(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy" in response.headers, response.request["PATH_INFO"]
    return directives(response.headers["Content-Security-Policy"])


@pytest.fixture
def pages(flow):
    """One page of each kind, with the client that may open it."""
    n = flow.network
    suggestion = flow.submit()
    return {
        "public": [
            (None, n.station.get_absolute_url()),
            (None, f"/stations/{n.station.code}/poster/"),
            (None, n.rep_county.get_absolute_url()),
            (None, f"/s/{n.station.code}/"),
            (None, f"/s/{n.station.code}/"),  # the second one comes from the page cache
            (None, f"/track/?code={suggestion.tracking_code}"),
            (None, f"/notice/{n.station.code}/"),
            (None, "/accounts/login/"),
        ],
        "workbench": [
            (flow.staff, "/workbench/"),
            (flow.staff, f"/workbench/suggestions/{suggestion.pk}/"),
            (flow.rep_user, "/workbench/receptions/"),
        ],
        "ledger": [
            (flow.staff, "/ledger/"),
            (flow.supervisor, "/statistics/"),
        ],
        "admin": [
            ("admin", "/admin/"),
            ("admin", f"/admin/representatives/representative/{n.rep_county.pk}/change/"),
            ("admin", f"/admin/suggestions/suggestion/{suggestion.pk}/change/"),
            ("admin", "/admin/suggestions/suggestion/"),
        ],
    }


@pytest.mark.parametrize("kind", ["public", "workbench", "ledger", "admin"])
def test_every_kind_of_page_sends_the_strict_policy(client, pages, kind):
    admin = make_user("root", superuser=True) if kind == "admin" else None
    for user, url in pages[kind]:
        client.logout()
        if user is not None:
            client.force_login(admin if user == "admin" else user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy_of(response) == STRICT, url
        assert "Content-Security-Policy-Report-Only" not in response.headers


def test_error_pages_and_plain_answers_carry_it_too(client, db):
    assert policy_of(client.get("/stations/NOPE99/")) == STRICT
    assert policy_of(client.get("/healthz/")) == STRICT


def test_only_the_admins_roster_export_form_allows_its_three_attributes(client, network):
    client.force_login(make_user("root", superuser=True))
    policy = policy_of(client.get("/admin/representatives/representative/export/"))
    assert policy == {**STRICT, **IMPORT_EXPORT_FORM_POLICY}
    assert attribute_hash("onSelectToggleChange(event)") in policy["script-src-attr"]
    # Still nothing inline beyond those exact values, and the page's own scripts still only ours.
    assert not any("'unsafe-inline'" in sources for sources in policy.values())
    assert policy["script-src"] == ["'self'"]


def test_the_hashes_match_the_attributes_in_the_librarys_template():
    """If django-import-export changes its export form, the exception must follow it."""
    import import_export

    template = (
        Path(import_export.__file__).parent / "templates/admin/import_export/export.html"
    ).read_text()
    attributes = re.findall(r'\s(?:style|on[a-z]+)="([^"]*)"', template)
    assert sorted(attribute_hash(value) for value in attributes) == sorted(
        source
        for sources in IMPORT_EXPORT_FORM_POLICY.values()
        for source in sources
        if source != "'unsafe-hashes'"
    )


def test_django_csp_finds_no_fault_with_the_settings():
    """Its check refuses settings named like its 3.x ones (CSP_REPORT_ONLY, CSP_REPORT_URI)."""
    from django.core.checks import run_checks

    assert [e for e in run_checks() if e.id.startswith("csp.")] == []


def _policy_settings(**env):
    """The two policy settings as liaison.settings reads them from this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CSP_")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, liaison.settings as s; print(json.dumps("
            "[s.CONTENT_SECURITY_POLICY, s.CONTENT_SECURITY_POLICY_REPORT_ONLY]))",
        ],
        env={**clean, "SECRET_KEY": "tests-only", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout)


def test_the_report_only_switch_sends_the_same_policy_to_be_reported_not_enforced(
    client, network, settings
):
    enforced, report_only = _policy_settings()
    assert report_only is None and enforced["DIRECTIVES"] == STRICT

    settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = (
        _policy_settings(
            CSP_REPORT_ONLY_MODE="1", CSP_REPORT_ENDPOINT="https://csp.example.gov.cn/r"
        )
    )
    response = client.get(network.station.get_absolute_url())
    assert "Content-Security-Policy" not in response.headers
    reported = directives(response.headers["Content-Security-Policy-Report-Only"])
    assert reported == {**STRICT, "report-uri": ["https://csp.example.gov.cn/r"]}

    client.force_login(make_user("root", superuser=True))
    response = client.get("/admin/representatives/representative/export/")
    assert "Content-Security-Policy" not in response.headers
    reported = directives(response.headers["Content-Security-Policy-Report-Only"])
    assert reported["style-src-attr"] == IMPORT_EXPORT_FORM_POLICY["style-src-attr"]


INLINE = re.compile(
    r"<script(?![^>]*\ssrc=)[^>]*>"  # a script element without src
    r"|<style[\s>]"  # a style element
    r"|\sstyle=[\"']"  # a style attribute
    r"|\son[a-z]+=[\"']",  # an event handler attribute
    re.IGNORECASE,
)


def test_no_template_or_admin_snippet_writes_inline_script_or_style():
    """A quick check without a browser: the policy would refuse any of these."""
    apps = [
        "liaison", "workdays", "notifications", "stations", "representatives", "suggestions",
        "receptions", "ledger", "public", "demo",
    ]  # fmt: skip
    files = [*ROOT.joinpath("templates").rglob("*.html")]
    for app in apps:
        files += [f for f in ROOT.joinpath(app).rglob("*.py") if "migrations" not in f.parts]
        files += ROOT.joinpath(app).rglob("*.html")
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []

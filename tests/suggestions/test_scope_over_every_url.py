"""Every URL pattern of the project, for every role outside a suggestion's scope: nobody reads
or changes that suggestion (by id, by tracking code, through the ledger or an export, or in
the admin). Patterns are read from the resolver, so new pages are covered without editing this."""

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ledger.models import Export
from suggestions import handling
from suggestions.models import PhoneAccess, Suggestion, SuggestionEvent

TITLE = "白额村田间道路被冲毁"
PHONE = "13812345678"


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _urls(pk: int, code: str) -> list[str]:
    """Concrete addresses: ints become the suggestion's id, strings its tracking code/actions."""
    from suggestions.views.workbench import ACTIONS

    urls = set()
    for raw in _patterns():
        if raw.startswith("^") or "(?P<path>" in raw or "media/" in raw or "static/" in raw:
            continue
        pattern = raw.replace("^", "").replace("$", "").replace("\\Z", "")
        names = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
        if not any(conv == "int" or name == "object_id" for conv, name in names):
            continue  # only addresses that can name a suggestion by its id
        variants = [pattern]
        for conv, name in names:
            token = f"<{conv + ':' if conv else ''}{name}>"
            if conv == "int" or name == "object_id":
                variants = [v.replace(token, str(pk)) for v in variants]
            elif name == "name":
                variants = [v.replace(token, action) for v in variants for action in ACTIONS]
            else:
                variants = [v.replace(token, code) for v in variants]
        urls.update("/" + v for v in variants if "<" not in v)
    return sorted(urls)


@pytest.mark.parametrize("who", ["outsider", "township_handler", "rep_user", "anonymous"])
def test_no_role_outside_the_scope_reaches_the_suggestion_at_any_address(client, flow, who):
    h = flow
    suggestion = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=h.submit(), actor=h.staff),
        actor=h.staff, route="county", lead=h.transport,
    )  # fmt: skip
    events = SuggestionEvent.objects.filter(suggestion=suggestion).count()
    if who != "anonymous":
        client.force_login(getattr(h, who))
    urls = _urls(suggestion.pk, suggestion.tracking_code)
    assert any("/workbench/suggestions/" in u for u in urls) and any("/admin/" in u for u in urls)
    payload = {"note": "x", "reason": "x", "route": "on_site", "answer": "x", "rating": "satisfied",
               "code": suggestion.tracking_code, "proof": "0000", "result": "x", "outcome": "A"}  # fmt: skip
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, payload)
            body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
            assert TITLE not in body and PHONE not in body, (method, url, response.status_code)
    # By tracking code without the proof, through the ledger and its export.
    body = client.post(
        "/track/", {"code": suggestion.tracking_code, "proof": "0000"}
    ).content.decode()
    assert TITLE not in body
    if who != "anonymous":
        assert TITLE not in client.get("/ledger/", {"q": "白额村"}).content.decode()
        client.post("/ledger/export/", {"format": "csv"})
        for export in Export.objects.filter(user=getattr(h, who)):
            export.refresh_from_db()
            assert export.rows == 0 or TITLE not in export.file.read().decode("utf-8-sig")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ASSIGNED
    assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == events
    assert not PhoneAccess.objects.exists()


# --- the admin: every add and change form, every role, related objects forced outside ---------

PROJECT_APPS = {
    "stations", "representatives", "suggestions", "receptions", "ledger", "notifications",
    "workdays",
}  # fmt: skip
# Private phones of representatives each persona must never read (none is shown publicly).
ZHONGDUO_REP_PHONE, TUNLI_REP_PHONE, STRAY_REP_PHONE = "13903575678", "13903570000", "13700009999"


def _station_objects(station, representative) -> dict:
    """One object of every kind the admin edits, at `station`, with `representative` on duty."""
    from receptions.models import Duty, ReceptionDay, ReceptionRule, SwapRequest, Unavailability
    from representatives.models import Assignment

    day = ReceptionDay.objects.create(
        station=station, date=dt.date(2025, 3, 13), start_time=dt.time(9), end_time=dt.time(11)
    )
    duty = Duty.objects.create(
        day=day, representative=representative, role=Duty.Role.REPRESENTATIVE
    )
    return {
        "station": station,
        "representative": representative,
        "assignment": Assignment.objects.get(representative=representative, station=station),
        "rule": ReceptionRule.objects.create(
            station=station,
            kind=ReceptionRule.Kind.MONTHLY_DAY,
            day_of_month=10,
            start_time=dt.time(9),
            end_time=dt.time(11),
            start_date=dt.date(2025, 1, 1),
        ),  # fmt: skip
        "day": day,
        "duty": duty,
        "absence": Unavailability.objects.create(
            representative=representative,
            start_date=dt.date(2025, 4, 1),
            end_date=dt.date(2025, 4, 2),
        ),  # fmt: skip
        "swap": SwapRequest.objects.create(duty=duty, reason="出差"),
    }


@pytest.fixture
def admin_world(flow, superuser):
    """Objects at both stations, a representative nobody has assigned yet, and each role made
    admin staff with every model permission of the project: only the scope stands in the way."""
    from django.contrib.auth.models import Permission

    from representatives.models import Representative
    from tests.factories import assign, make_representative

    h, n = flow, flow.network
    tunli_rep = make_representative("赵六", Representative.Level.TOWNSHIP, phone=TUNLI_REP_PHONE)
    assign(tunli_rep, n.other_station)
    h.zhongduo = _station_objects(n.station, n.rep_township)
    h.tunli = _station_objects(n.other_station, tunli_rep)
    h.zhongduo["suggestion"] = h.submit()
    h.tunli["suggestion"] = h.submit(station=n.other_station)
    h.stray = make_representative(
        "孙七", Representative.Level.TOWNSHIP, phone=STRAY_REP_PHONE, created_by=superuser
    )
    everything = Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)
    for user in (h.staff, h.outsider, h.township_handler, h.supervisor, h.rep_user):
        user.is_staff = True
        user.save()
        user.user_permissions.add(*everything)
    return h


def _outside(h, who: str) -> tuple[list, set[str]]:
    """What `who` must not reach in the admin, and the private phones among it."""
    if who == "staff":
        return [*h.tunli.values(), h.stray], {TUNLI_REP_PHONE, STRAY_REP_PHONE}
    if who == "outsider":
        return [*h.zhongduo.values(), h.stray], {ZHONGDUO_REP_PHONE, STRAY_REP_PHONE}
    everything = [*h.zhongduo.values(), *h.tunli.values(), h.stray]
    if who == "supervisor":
        # Ji county's supervisor reads (never edits) its suggestions, phones masked.
        everything = [o for o in everything if o._meta.model_name != "suggestion"]
    return everything, {ZHONGDUO_REP_PHONE, TUNLI_REP_PHONE, STRAY_REP_PHONE}


def _project_admins():
    from django.contrib import admin

    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
    ]


def test_every_project_admin_and_inline_scopes_its_related_fields():
    from liaison.admin import ScopedRelationsMixin

    for model, model_admin in _project_admins():
        assert isinstance(model_admin, ScopedRelationsMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedRelationsMixin), (model, inline)


ROLES = ["staff", "outsider", "township_handler", "supervisor", "rep_user"]


@pytest.mark.parametrize("who", ROLES)
def test_no_admin_form_or_inline_accepts_a_related_object_outside_the_scope(
    rf, admin_world, superuser, who
):
    """Every foreign key and many-to-many field of every add and change form (and inline) of the
    project's admin refuses each object outside the user's scope, posted by id."""
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError
    from django.forms import ModelMultipleChoiceField

    h = admin_world
    user = getattr(h, who)
    outside, _phones = _outside(h, who)
    outside = [*outside, superuser]  # another account: nobody but a superuser links one
    checked: set[tuple[str, str]] = set()
    for model, model_admin in _project_admins():
        request = rf.get("/admin/")
        request.user = user
        own = model_admin.get_queryset(request).first()
        for obj in (None, own) if own is not None else (None,):
            forms = [model_admin.get_form(request, obj)()]
            for inline in model_admin.get_inline_instances(request, obj):
                forms.append(inline.get_formset(request, obj)(instance=obj).empty_form)
            for form in forms:
                for name, field in form.fields.items():
                    related = getattr(field, "queryset", None)
                    # An inline row's own id: Django looks it up among the inline's rows only
                    # and treats any other id as a new row, so it reaches nothing.
                    if related is None or name == form._meta.model._meta.pk.name:
                        continue
                    for thing in outside:
                        if not isinstance(thing, related.model):
                            continue
                        value = (
                            [thing.pk] if isinstance(field, ModelMultipleChoiceField) else thing.pk
                        )
                        with pytest.raises(ValidationError):
                            field.clean(value)
                        checked.add((form._meta.model._meta.label_lower, name))
                    assert related.model is not User, (model, name)  # read-only instead
    # The forms the attack went through are among those checked.
    assert {
        ("representatives.assignment", "representative"),
        ("representatives.assignment", "station"),
        ("stations.station", "head"),
        ("receptions.duty", "representative"),
        ("receptions.duty", "day"),
        ("receptions.unavailability", "representative"),
        ("receptions.receptionrule", "station"),
    } <= checked, checked


@pytest.mark.parametrize("who", ROLES)
def test_no_admin_page_opens_an_object_outside_the_scope(client, admin_world, who):
    """Change, delete and history pages of objects outside the scope answer 404 (not a redirect
    saying they may have been deleted), read nothing and change nothing."""
    from django.urls import NoReverseMatch, reverse

    h = admin_world
    client.force_login(getattr(h, who))
    outside, phones = _outside(h, who)
    opened = 0
    for thing in outside:
        opts = thing._meta
        for view in ("change", "delete", "history"):
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[thing.pk])
            except NoReverseMatch:
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"name": "改名", "post": "yes"})
                body = response.content.decode(errors="replace")
                assert response.status_code in (403, 404), (method, url, response.status_code)
                assert not any(p in body for p in phones | {PHONE}), (method, url)
                opened += 1
        assert type(thing).objects.filter(pk=thing.pk).exists()
    assert opened >= 40
    # Nor do the lists show them.
    for url in ("/admin/representatives/representative/", "/admin/representatives/assignment/"):
        body = client.get(url).content.decode()
        assert not any(p in body for p in phones), url
    assert h.stray.name not in client.get("/admin/representatives/representative/").content.decode()


def test_staff_cannot_attach_another_stations_representative_by_posting_their_id(
    client, admin_world
):
    """The attack of issue 11, by every route: the assignment form, the station's inline, the
    representative's inline, the duty and absence forms."""
    from receptions.models import Duty, Unavailability
    from representatives.models import Assignment

    h, n = admin_world, admin_world.network
    client.force_login(h.outsider)
    victim, own_rep = h.zhongduo["representative"], h.tunli["representative"]
    before = (Assignment.objects.count(), Duty.objects.count(), Unavailability.objects.count())
    posts = [
        ("/admin/representatives/assignment/add/", {
            "representative": victim.pk, "station": n.other_station.pk, "role": "stationed",
            "start_date": "2025-05-01",
        }),
        (f"/admin/stations/station/{n.other_station.pk}/change/", {
            "kind": n.other_station.kind, "name": n.other_station.name,
            "region": n.other_station.region_id, "is_active": "on",
            "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0",
            "assignments-0-representative": victim.pk, "assignments-0-role": "stationed",
            "assignments-0-start_date": "2025-05-01",
        }),
        (f"/admin/representatives/representative/{own_rep.pk}/change/", {
            "name": own_rep.name, "level": own_rep.level, "phone": TUNLI_REP_PHONE,
            "is_active": "on", "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0",
            "assignments-0-station": n.station.pk, "assignments-0-role": "stationed",
            "assignments-0-start_date": "2025-05-01",
        }),
        ("/admin/receptions/duty/add/", {
            "day": h.tunli["day"].pk, "representative": victim.pk, "role": "representative",
        }),
        ("/admin/receptions/unavailability/add/", {
            "representative": victim.pk, "start_date": "2025-06-01", "end_date": "2025-06-02",
        }),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 200, url  # the form again, with the error
        assert ZHONGDUO_REP_PHONE not in response.content.decode(), url
    after = (Assignment.objects.count(), Duty.objects.count(), Unavailability.objects.count())
    assert after == before
    assert not Assignment.objects.filter(representative=victim, station=n.other_station).exists()
    victim_page = reverse("admin:representatives_representative_change", args=[victim.pk])
    assert client.get(victim_page).status_code == 404

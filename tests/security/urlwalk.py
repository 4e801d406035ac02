"""Every URL pattern of the project made concrete, each path parameter filled with a real object
of the hostile world (tests/security/conftest.py). Patterns come from the resolver, so a new page
is walked without editing this."""

import re
from collections.abc import Iterator

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED = ("media/", "static/", "(?P<path>")


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _admin_model(route: str):
    match = re.match(r"\^?admin/(\w+)/(\w+)/", route)
    if match:
        try:
            return apps.get_model(match[1], match[2])
        except LookupError:
            return None
    return None


def _value(route: str, name: str, world) -> str | None:
    """The value a path parameter takes in `route`, or None to leave the pattern out."""
    w = world
    if name in ("object_id", "id"):
        model = _admin_model(route)
        if route.startswith("admin/r/"):
            return str(w.suggestion.pk)
        obj = model._default_manager.order_by("pk").first() if model else None
        return str(obj.pk) if obj else None
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(type(w.suggestion)).pk)
    if name == "app_label":
        return "suggestions"
    if name == "name":
        return "note"
    if name == "url":  # the admin's catch-all
        return "no-such-page/"
    if name == "source":
        return "station"
    if name in ("year", "month"):
        return {"year": "2026", "month": "11"}[name]
    if name == "photo_pk":
        return str(w.log_photo.pk if route.startswith("ledger/") else w.photo.pk)
    if name == "code":
        if route.startswith(("representatives/", "r/", "receptions/representatives")):
            return w.network.rep_county.code
        return w.network.station.code
    if name == "pk" and route.startswith("admin/"):  # a third-party admin's own views (devices)
        model = _admin_model(route)
        obj = model._default_manager.order_by("pk").first() if model else None
        return str(obj.pk) if obj else None
    if name == "pk":
        for prefix, obj in (
            ("workbench/suggestions/", w.suggestion),
            ("notice/withhold/", w.suggestion),
            ("ledger/receptions/", w.log),
            ("ledger/exports/", w.export),
            ("workbench/privacy/", w.data_request),
            ("workbench/receptions/", w.day),
            ("workbench/rota/days/", w.day),
            ("workbench/rota/swaps/", w.swap),
            ("workbench/rota/duties/", w.duty),
        ):
            if route.startswith(prefix):
                return str(obj.pk)
        raise AssertionError(f"no object for <pk> in {route}: add it to urlwalk._value")
    if name in ("uidb64", "token"):  # password reset links: not mounted today
        return None
    raise AssertionError(f"no value for <{name}> in {route}: add it to urlwalk._value")


def concrete_urls(world) -> list[str]:
    urls = set()
    for route in patterns():
        if any(s in route for s in SKIPPED):
            continue
        url = route.replace("^", "").replace("$", "").replace("\\Z", "")
        for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", url):
            value = _value(route.lstrip("^"), name, world)
            if value is None:
                break
            url = url.replace(f"<{conv + ':' if conv else ''}{name}>", value)
        else:
            for group, name in re.findall(r"(\(\?P<(\w+)>[^)]*\))", url):
                value = _value(route.lstrip("^"), name, world)
                if value is None:
                    break
                url = url.replace(group, value)
            else:
                if not re.search(r"[()\[\]?*+\\|]", url):
                    urls.add("/" + url)
    return sorted(urls)

"""Reads for the citizens' pages and the one rule for who may handle a suggestion."""

import hmac

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from liaison.codes import normalize_code
from liaison.phones import last_digits
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from stations.selectors import stations_managed_by

from .models import TRACKING_CODE_LENGTH, Suggestion, SuggestionEvent, Theme


def station_for_form(code: str) -> Station:
    return get_object_or_404(
        Station.objects.active().select_related("region"), code=normalize_code(code)
    )


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def villages_for(station: Station) -> QuerySet[Region]:
    """The villages and communities a station's citizens live in: its region's subtree."""
    return (
        Region.objects.subtree(station.region).filter(level=Region.Level.VILLAGE).order_by("name")
    )


def addressees_for(station: Station) -> QuerySet[Representative]:
    ids = Assignment.objects.current().filter(station=station).values("representative_id")
    return Representative.objects.filter(pk__in=ids, is_active=True).order_by("level", "name")


def representative_for_form(code: str) -> tuple[Representative, list[Station]]:
    """A representative's personal code (亮码) and the stations they currently serve."""
    representative = get_object_or_404(
        Representative.objects.filter(is_active=True), code=normalize_code(code)
    )
    stations = list(
        Station.objects.active()
        .filter(assignments__in=Assignment.objects.current().filter(representative=representative))
        .select_related("region")
        .distinct()
        .order_by("name")
    )
    return representative, stations


def normalize_tracking_code(raw: str) -> str:
    return "".join(ch for ch in normalize_code(raw) if ch.isalnum())[: TRACKING_CODE_LENGTH + 2]


def suggestion_for_tracking(code: str, proof: str) -> Suggestion | None:
    """The suggestion whose tracking code and proof match, or None; a miss says nothing more.

    The proof is the last four digits of the phone given, or the anonymous submitter's secret.
    """
    from .services import secret_digest

    code, proof = normalize_tracking_code(code), (proof or "").strip()
    if len(code) != TRACKING_CODE_LENGTH or not proof:
        return None
    suggestion = (
        Suggestion.objects.select_related("station", "theme").filter(tracking_code=code).first()
    )
    if suggestion is None:
        return None
    if suggestion.is_anonymous:
        expected, given = suggestion.secret_digest, secret_digest(code, proof)
    else:
        expected, given = last_digits(suggestion.phone), last_digits(proof)
    if not expected or not hmac.compare_digest(expected, given):
        return None
    return suggestion


def public_timeline(suggestion: Suggestion) -> list[SuggestionEvent]:
    return list(suggestion.events.filter(public=True).order_by("created", "pk"))


def suggestions_handled_by(user) -> QuerySet[Suggestion]:
    """Suggestions `user` may handle (and so see unmasked): those of the stations they manage.

    The handling issue widens this with departments, representatives and supervisors; every
    view, export and admin page asks here.
    """
    return Suggestion.objects.filter(station__in=stations_managed_by(user))


def can_handle(user, suggestion: Suggestion) -> bool:
    return suggestions_handled_by(user).filter(pk=suggestion.pk).exists()

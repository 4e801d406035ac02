"""The public calendar feeds (ICS) of a station's reception days and a representative's duties."""

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import gettext as _

from representatives.selectors import active_representative
from stations.selectors import active_station

from ..ics import reception_calendar
from ..selectors import representative_feed_days, station_feed_days

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host(request: HttpRequest) -> str:
    # Part of every event's UID, which must stay the same between polls: without the port.
    domain, _port = split_domain_port(request.get_host())
    return domain or "liaison"


def _calendar_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def station_ics(request: HttpRequest, code: str) -> HttpResponse:
    """The station's reception days as a calendar to subscribe to (public, like the page)."""
    station = active_station(code)
    url = request.build_absolute_uri(station.get_absolute_url())
    body = reception_calendar(
        station_feed_days(station),
        name=_("%(station)s · reception days") % {"station": station.name},
        host=_host(request),
        url_for=lambda day: url,
    )
    return _calendar_response(body, filename=f"{station.code}.ics")


def representative_ics(request: HttpRequest, code: str) -> HttpResponse:
    """The reception days a representative is on duty, as a calendar to subscribe to."""
    representative = active_representative(code)
    body = reception_calendar(
        representative_feed_days(representative),
        name=_("%(name)s · reception duty") % {"name": representative.name},
        host=_host(request),
        url_for=lambda day: request.build_absolute_uri(day.station.get_absolute_url()),
    )
    return _calendar_response(body, filename=f"{representative.code}.ics")

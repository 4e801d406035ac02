"""Reception days as an iCalendar feed (RFC 5545), for phones and desktop calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneStandard

from .models import ReceptionDay

TZID = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZID)
PRODID = "-//liaison//Reception days//ZH"
EIGHT_HOURS = dt.timedelta(hours=8)


def _vtimezone() -> Timezone:
    """Asia/Shanghai: UTC+8 all year, no daylight saving since 1991."""
    tz = Timezone()
    tz.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", EIGHT_HOURS)
    standard.add("tzoffsetto", EIGHT_HOURS)
    standard.add("tzname", "CST")
    tz.add_component(standard)
    return tz


def sequence(day: ReceptionDay) -> int:
    """Grows with every change of the day, as RFC 5545 asks of SEQUENCE: the seconds between
    its creation and its last update (0 for a day never changed)."""
    return max(0, int((day.updated - day.created).total_seconds()))


def _description(day: ReceptionDay, *, url: str) -> str:
    lines = []
    if day.theme:
        lines.append(_("Theme: %(theme)s") % {"theme": day.theme})
    if day.representatives_on_duty:
        names = "、".join(rep.name for rep in day.representatives_on_duty)
        lines.append(_("Representatives on duty: %(names)s") % {"names": names})
    if day.leaders_on_duty:
        names = "、".join(rep.name for rep in day.leaders_on_duty)
        lines.append(_("Leaders on duty: %(names)s") % {"names": names})
    if day.change_reason:
        lines.append(_("Reason for the change: %(reason)s") % {"reason": day.change_reason})
    if day.provisional:
        lines.append(
            _(
                "Provisional: the official holiday arrangements for %(year)s are not published "
                "yet, so this date may still change."
            )
            % {"year": day.date.year}
        )
    lines.append(url)
    return "\n".join(lines)


def _event(day: ReceptionDay, *, host: str, url: str) -> Event:
    station = day.station
    event = Event()
    event.add("uid", f"reception-{day.pk}@{host}")
    event.add("dtstamp", day.updated.astimezone(dt.UTC))
    event.add("last-modified", day.updated.astimezone(dt.UTC))
    event.add("created", day.created.astimezone(dt.UTC))
    event.add("sequence", sequence(day))
    event.add("dtstart", dt.datetime.combine(day.date, day.start_time, tzinfo=SHANGHAI))
    event.add("dtend", dt.datetime.combine(day.date, day.end_time, tzinfo=SHANGHAI))
    summary = _("Reception day: %(station)s") % {"station": station.name}
    if day.theme:
        summary = f"{summary} · {day.theme}"
    if day.status == ReceptionDay.Status.CANCELLED:
        summary = _("Cancelled: %(summary)s") % {"summary": summary}
    event.add("summary", summary)
    event.add("location", day.place or station.address or station.name)
    event.add("description", _description(day, url=url))
    event.add("url", url)
    if day.status == ReceptionDay.Status.CANCELLED:
        event.add("status", "CANCELLED")
    elif day.provisional:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    return event


def reception_calendar(
    days: Iterable[ReceptionDay],
    *,
    name: str,
    host: str,
    url_for: Callable[[ReceptionDay], str],
) -> bytes:
    """An iCalendar document with one VEVENT per day.

    `days` come from the feed selectors (station loaded, `representatives_on_duty` and
    `leaders_on_duty` set); `url_for` gives the public page each event links to.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    # Calendar apps poll a subscription at their own pace; this asks for about twice a day.
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    calendar.add_component(_vtimezone())
    for day in days:
        calendar.add_component(_event(day, host=host, url=url_for(day)))
    return calendar.to_ical()

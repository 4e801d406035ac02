import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from workdays.models import DayOverride, PublishedYear
from workdays.services import override_save, published_year_save


def check(year) -> str:
    out = StringIO()
    # In English, so that the assertions hold whatever the Chinese catalogue says.
    with translation.override("en"):
        call_command("workdays_check", str(year), stdout=out, no_color=True)
    return out.getvalue()


def test_an_official_year_lists_its_holidays_and_make_up_days(db):
    output = check(2026)
    assert "2004–2026" in output
    assert "2026-02-17" in output  # Spring Festival
    assert "2026-10-10" in output  # make-up Saturday
    assert "2026-01-10" not in output  # an ordinary Saturday
    assert "PROVISIONAL" not in output


def test_an_unpublished_year_is_provisional(db):
    output = check(2027)
    assert "PROVISIONAL" in output
    assert "2027-01-01" in output


def test_a_published_year_shows_the_staff_entries(db):
    override_save(
        override=DayOverride(date=dt.date(2027, 2, 20), kind=DayOverride.Kind.WORKDAY, name="春节")
    )
    published_year_save(published_year=PublishedYear(year=2027, note="国务院办公厅通知"))
    output = check(2027)
    assert "PROVISIONAL" not in output
    assert "国务院办公厅通知" in output
    assert "2027-02-20" in output and "春节" in output
    assert "2027-01-01" not in output


def test_a_year_out_of_range_is_refused(db):
    with pytest.raises(CommandError):
        check(0)

import datetime as dt

import pytest
from django.urls import reverse

from workdays.models import DayOverride, PublishedYear
from workdays.selectors import is_provisional, is_working_day
from workdays.services import override_save

TUESDAY = dt.date(2026, 3, 3)


@pytest.fixture
def override(db):
    return override_save(
        override=DayOverride(date=TUESDAY, kind=DayOverride.Kind.HOLIDAY, name="春节", note="测试")
    )


@pytest.mark.parametrize("model", ["dayoverride", "publishedyear"])
def test_list_and_add_pages_render(admin_client_, override, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert admin_client_.get(f"/admin/workdays/{model}/").status_code == 200
    assert admin_client_.get(f"/admin/workdays/{model}/add/").status_code == 200


def test_the_override_list_explains_the_rules_and_shows_the_weekday(admin_client_, override):
    response = admin_client_.get("/admin/workdays/dayoverride/")
    page = response.content.decode()
    assert 'id="workdays-help"' in page
    assert "调休" in page and "2004–2026" in page
    assert "星期二" in page  # Django's own Chinese weekday names
    assert "春节" in page


def test_the_year_filter_and_search(admin_client_, override):
    override_save(override=DayOverride(date=dt.date(2027, 2, 20), kind=DayOverride.Kind.WORKDAY))
    url = "/admin/workdays/dayoverride/"
    assert admin_client_.get(url, {"year": "2027"}).context["cl"].result_count == 1
    assert admin_client_.get(url, {"year": "2026"}).context["cl"].result_count == 1
    assert admin_client_.get(url, {"q": "春节"}).context["cl"].result_count == 1


def test_change_pages_render(admin_client_, override):
    published = PublishedYear.objects.create(year=2027)
    for obj in (override, published):
        url = reverse(f"admin:workdays_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client_.get(url).status_code == 200


def test_saving_in_the_admin_changes_the_answer(admin_client_, db):
    assert is_working_day(TUESDAY)
    response = admin_client_.post(
        "/admin/workdays/dayoverride/add/",
        {"date": "2026-03-03", "kind": "holiday", "name": "停电", "note": "全乡停电"},
    )
    assert response.status_code == 302, response.content.decode()
    assert not is_working_day(TUESDAY)

    override = DayOverride.objects.get(date=TUESDAY)
    url = reverse("admin:workdays_dayoverride_change", args=[override.pk])
    response = admin_client_.post(
        url, {"date": "2026-03-03", "kind": "workday", "name": "", "note": ""}
    )
    assert response.status_code == 302
    assert is_working_day(TUESDAY)


def test_deleting_in_the_admin_changes_the_answer(admin_client_, override):
    assert not is_working_day(TUESDAY)
    url = reverse("admin:workdays_dayoverride_delete", args=[override.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    assert is_working_day(TUESDAY)


def test_the_bulk_delete_action_changes_the_answer(admin_client_, override):
    response = admin_client_.post(
        "/admin/workdays/dayoverride/",
        {"action": "delete_selected", "_selected_action": [override.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not DayOverride.objects.exists()
    assert is_working_day(TUESDAY)


def test_publishing_a_year_in_the_admin(admin_client_, db):
    assert is_provisional(dt.date(2027, 5, 1))
    response = admin_client_.post(
        "/admin/workdays/publishedyear/add/",
        {"year": "2027", "note": "国务院办公厅关于2027年部分节假日安排的通知"},
    )
    assert response.status_code == 302
    assert not is_provisional(dt.date(2027, 5, 1))
    published = PublishedYear.objects.get(year=2027)
    url = reverse("admin:workdays_publishedyear_delete", args=[published.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    assert is_provisional(dt.date(2027, 5, 1))

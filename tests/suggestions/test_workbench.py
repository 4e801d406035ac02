"""The staff workbench over HTTP: inboxes, the suggestion file, actions, and their bounds."""

import datetime as dt

import pytest
from django.urls import reverse

from liaison.codes import random_code
from suggestions import handling
from suggestions.models import PhoneAccess, Suggestion

S = Suggestion.Status


def login(client, user):
    client.force_login(user)
    return client


def test_the_inbox_counts_every_tab(client, flow):
    h = flow
    h.submit()
    handling.suggestion_accept(suggestion=h.submit(), actor=h.staff)
    response = login(client, h.staff).get(reverse("workbench:inbox"))
    counts = {name: count for name, _label, count in response.context["box"].tabs}
    assert counts["to_accept"] == 1 and counts["to_route"] == 1 and counts["overdue"] == 0
    assert "白额村田间道路被冲毁" in response.content.decode()


def test_the_inbox_and_file_stay_within_a_few_queries_with_10000_suggestions(
    client, flow, django_assert_max_num_queries
):
    h = flow
    first = h.submit()
    Suggestion.objects.bulk_create(
        Suggestion(
            station=h.network.station, theme=h.roads, title=f"意见{i}", content="内容" * 10,
            channel="qr", tracking_code=random_code(8), phone="13812345678",
            status=[S.RECEIVED, S.ACCEPTED, S.ASSIGNED, S.COMPLETED][i % 4],
            deadline=dt.date(2026, 1, 5) if i % 4 == 2 else None,
        )
        for i in range(10_000)
    )  # fmt: skip
    login(client, h.staff)
    for tab in ["to_accept", "in_handling", "overdue", "all"]:
        with django_assert_max_num_queries(12):
            response = client.get(reverse("workbench:inbox"), {"tab": tab, "page": 3})
        assert response.status_code == 200
    counts = {name: count for name, _label, count in response.context["box"].tabs}
    assert counts["to_accept"] == 2501 and counts["overdue"] == 2500
    with django_assert_max_num_queries(20):
        assert client.get(reverse("workbench:suggestion", args=[first.pk])).status_code == 200


def test_staff_accept_and_route_through_the_forms(client, flow):
    h = flow
    suggestion = h.submit()
    login(client, h.staff)
    url = reverse("workbench:act", args=[suggestion.pk, "accept"])
    assert client.post(url, {"note": ""}).status_code == 302
    response = client.post(
        reverse("workbench:act", args=[suggestion.pk, "route"]),
        {"route": "county", "lead": h.transport.pk, "co_departments": [h.water.pk], "answer": ""},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED and suggestion.tasks.count() == 2


def test_a_bad_action_form_shows_its_errors(client, flow):
    h = flow
    suggestion = handling.suggestion_accept(suggestion=h.submit(), actor=h.staff)
    response = login(client, h.staff).post(
        reverse("workbench:act", args=[suggestion.pk, "route"]),
        {"route": "explained", "answer": ""},
    )
    assert response.status_code == 400
    assert "请填写答复或解释。" in response.content.decode()


def test_a_step_that_is_no_longer_possible_gives_a_clear_message(client, flow):
    h = flow
    suggestion = h.submit()
    handling.suggestion_accept(suggestion=suggestion, actor=h.staff)
    response = login(client, h.staff).post(
        reverse("workbench:act", args=[suggestion.pk, "accept"]), {"note": ""}, follow=True
    )
    assert "已不能进行这一步" in response.content.decode()


def test_actions_are_offered_by_role(client, flow):
    h = flow
    suggestion = h.submit()
    offered = lambda user: {n for n, _l, _f in login(client, user).get(  # noqa: E731
        reverse("workbench:suggestion", args=[suggestion.pk])).context["action_forms"]}  # fmt: skip
    assert {"accept", "reject", "merge", "note"} <= offered(h.staff)
    assert offered(h.supervisor) == {"key", "note"}
    assert client.get(reverse("workbench:suggestion", args=[suggestion.pk])).status_code == 200


def test_unknown_actions_and_other_roles_are_refused(client, flow):
    h = flow
    suggestion = h.submit()
    login(client, h.staff)
    assert client.post(reverse("workbench:act", args=[suggestion.pk, "explode"])).status_code == 404
    login(client, h.supervisor)
    assert client.post(reverse("workbench:act", args=[suggestion.pk, "accept"])).status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.RECEIVED


def test_phone_numbers_are_masked_until_revealed_and_every_reveal_is_logged(client, flow):
    h = flow
    suggestion = h.submit()
    page = reverse("workbench:suggestion", args=[suggestion.pk])
    body = login(client, h.staff).get(page).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    client.post(reverse("workbench:reveal_phone", args=[suggestion.pk]))
    assert "13812345678" in client.get(page).content.decode()
    assert PhoneAccess.objects.get().user == h.staff
    login(client, h.supervisor)
    body = client.get(page).content.decode()
    assert "13812345678" not in body and "显示号码" not in body
    assert client.post(reverse("workbench:reveal_phone", args=[suggestion.pk])).status_code == 403


def test_bulk_accept_from_the_inbox(client, flow):
    h = flow
    ids = [h.submit().pk for _ in range(3)]
    response = login(client, h.staff).post(reverse("workbench:bulk_accept"), {"ids": ids[:2]})
    assert response.status_code == 302
    assert list(Suggestion.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)) == [
        S.ACCEPTED, S.ACCEPTED, S.RECEIVED,
    ]  # fmt: skip


def test_the_citizen_rates_on_the_tracking_page(client, flow):
    h = flow
    suggestion = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=h.submit(), actor=h.staff),
        actor=h.staff, route="on_site", answer="已清理。",
    )  # fmt: skip
    handling.suggestion_feedback(
        suggestion=suggestion, actor=h.staff, method="phone", note="已告知。"
    )
    page = client.post("/track/", {"code": suggestion.tracking_code, "proof": "5678"})
    assert "您对办理结果满意吗？" in page.content.decode()
    response = client.post(
        "/track/rate/",
        {
            "code": suggestion.tracking_code,
            "proof": "5678",
            "rating": "unsatisfied",
            "comment": "没修好",
        },
    )
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.rating == "unsatisfied" and suggestion.rating_comment == "没修好"
    # A wrong proof cannot rate.
    assert client.post("/track/rate/", {"code": suggestion.tracking_code, "proof": "0000",
                                       "rating": "satisfied"}).status_code == 404  # fmt: skip


@pytest.mark.parametrize("who", ["outsider", "township_handler", "rep_user", "anonymous"])
def test_nobody_reaches_a_suggestion_outside_their_scope(client, flow, who):
    """Every workbench and admin address that names a suggestion, for every role outside it."""
    h = flow
    suggestion = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=h.submit(), actor=h.staff),
        actor=h.staff, route="county", lead=h.transport,
    )  # fmt: skip
    if who != "anonymous":
        login(client, getattr(h, who))
    from suggestions.views.workbench import ACTIONS

    urls = [
        ("get", reverse("workbench:suggestion", args=[suggestion.pk])),
        ("post", reverse("workbench:reveal_phone", args=[suggestion.pk])),
        ("get", reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])),
        *[("post", reverse("workbench:act", args=[suggestion.pk, name])) for name in ACTIONS],
    ]
    for method, url in urls:
        response = getattr(client, method)(
            url, {"note": "x", "reason": "x", "route": "on_site", "answer": "x"}
        )
        assert response.status_code in {302, 403, 404}, url
        assert "白额村田间道路被冲毁" not in response.content.decode(), url
        if response.status_code == 302:
            assert "/login/" in response["Location"] or "/admin/" in response["Location"], url
    inbox = client.get(reverse("workbench:inbox"), {"tab": "all"})
    assert "白额村田间道路被冲毁" not in inbox.content.decode()
    admin_list = client.get(reverse("admin:suggestions_suggestion_changelist"))
    assert "白额村田间道路被冲毁" not in admin_list.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED and not PhoneAccess.objects.exists()

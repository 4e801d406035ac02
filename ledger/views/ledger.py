"""The ledgers (台账) for staff, supervisors, departments and representatives: the suggestions
ledger, the receptions ledger with each held reception's record, and the filters' choices."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from liaison.storage import serve_private
from receptions.permissions import visible_duty_logs
from suggestions.permissions import scope_of

from ..filters import ReceptionFilter, SuggestionFilter
from ..forms import ChoiceSearchForm
from ..selectors.choices import CHOICE_SOURCES, choice_page, filter_choices
from ..selectors.pages import KeysetPage
from ..selectors.receptions import reception_ledger, reception_logs, reception_record
from ..selectors.suggestions import suggestion_ledger


def _links(request: HttpRequest, page: KeysetPage) -> dict[str, str]:
    """The previous/next addresses: the same filter with another cursor."""
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    base = params.urlencode()
    links = {"filter_query": base}
    if page.next_cursor:
        links["next_url"] = "?" + _join(base, "after", page.next_cursor)
    if page.previous_cursor:
        links["previous_url"] = "?" + _join(base, "before", page.previous_cursor)
    return links


def _filter_context(filterset) -> dict:
    primary, more, more_open = filterset.field_groups()
    return {
        "form": filterset.form,
        "filter_primary": primary,
        "filter_more": more,
        "filter_more_open": more_open,
    }


def _join(base: str, key: str, value: str) -> str:
    extra = urlencode({key: value})
    return f"{base}&{extra}" if base else extra


@login_required
def suggestions_ledger(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    filterset = SuggestionFilter(request.GET or None, queryset=scope.visible(), scope=scope)
    ledger = suggestion_ledger(
        filterset, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    return render(
        request,
        "ledger/suggestions.html",
        {"ledger": ledger, **_filter_context(filterset), **_links(request, ledger.page)},
    )


@login_required
def receptions_ledger(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    logs = visible_duty_logs(scope)
    filterset = ReceptionFilter(request.GET or None, queryset=logs, scope=scope)
    ledger = reception_ledger(
        filterset, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    return render(
        request,
        "ledger/receptions.html",
        {"ledger": ledger, **_filter_context(filterset), **_links(request, ledger.page)},
    )


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request.user)
    log = get_object_or_404(reception_logs(scope), pk=pk)
    return render(request, "ledger/reception.html", {"record": reception_record(scope, log)})


@login_required
def reception_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    log = get_object_or_404(visible_duty_logs(scope_of(request.user)), pk=pk)
    return serve_private(get_object_or_404(log.photos, pk=photo_pk).image)


@login_required
def choices(request: HttpRequest, source: str) -> JsonResponse:
    """The filter form's autocomplete: the user's scoped choices matching what they typed."""
    if source not in CHOICE_SOURCES:
        raise Http404
    form = ChoiceSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    queryset = filter_choices(scope_of(request.user), (source,))[source]
    rows, more = choice_page(
        queryset,
        CHOICE_SOURCES[source],
        term=form.cleaned_data["q"],
        page=form.cleaned_data["page"],
    )
    return JsonResponse(
        {"results": [{"id": pk, "text": text} for pk, text in rows], "pagination": {"more": more}}
    )

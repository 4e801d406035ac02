import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage, is_ratelimited

from liaison.codes import normalize_code
from liaison.context_processors import LARGE_TEXT_COOKIE, accessibility
from liaison.phones import last_digits, normalize_phone
from notifications.masking import mask_name
from representatives.models import Representative
from stations.models import Station
from stations.selectors import stations_managed_by

from ..forms import RatingForm, StaffSuggestionForm, SuggestionForm, TrackForm
from ..handling import TransitionError, suggestion_rate
from ..models import Suggestion
from ..privacy import consent_notice
from ..selectors import (
    addressees_for,
    normalize_tracking_code,
    public_timeline,
    representative_for_form,
    station_for_form,
    suggestion_for_tracking,
)
from ..services import suggestion_submit

SUBMITTED_SALT = "suggestions.submitted"
SUBMITTED_MAX_AGE = 7 * 24 * 3600


def _over_limit(request: HttpRequest, group: str, rate: str, value: str | None = None) -> bool:
    key = "ip" if value is None else (lambda _group, _request: value)
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def _too_often_message() -> str:
    return _("Too many submissions from here in a short time. Please wait a while and try again.")


@never_cache
def station_form(request: HttpRequest, code: str) -> HttpResponse:
    if request.method != "POST":
        return _blank_form_page(request, code)
    station = station_for_form(code)
    addressee = _addressee_from_query(request, station)
    channel = Suggestion.Channel.WEB if request.GET.get("via") == "web" else Suggestion.Channel.QR
    # The limits come before anything costly: a request refused anyway has no field validated
    # and no photo decoded. The form comes back unchecked, with what was typed.
    if _over_limit(request, "suggestion-ip", settings.SUGGESTION_RATE_PER_IP) or _phone_spent(
        request
    ):
        form = SuggestionForm(station=station, initial=_typed(request))
        form.cleaned_data = {}
        form.add_error(None, _too_often_message())
        return _form_page(request, station, form, addressee, status=429)
    form = SuggestionForm(request.POST, request.FILES, station=station)
    if not form.is_valid():
        return _form_page(request, station, form, addressee)
    phone = form.cleaned_data.get("phone")
    if phone and _over_limit(
        request, "suggestion-phone", settings.SUGGESTION_RATE_PER_PHONE, phone
    ):
        form.add_error(None, _too_often_message())
        return _form_page(request, station, form, addressee, status=429)
    if form.is_spam:
        # Tell a bot nothing; a person never fills the hidden box.
        return render(request, "suggestions/submitted.html", {"station": station})
    result = suggestion_submit(
        station=station,
        submission=form.submission(),
        channel=channel,
        token=form.cleaned_data["token"],
    )
    return redirect(_submitted_url(request, result.suggestion, result.secret))


def _form_page(request, station, form, addressee, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "suggestions/form.html",
        {
            "station": station,
            "form": form,
            "addressee": addressee,
            "privacy": consent_notice(station),
        },
        status=status,
    )


def _phone_spent(request: HttpRequest) -> bool:
    """Whether the phone number typed has used up its submissions, asked without counting.

    A submission is counted against its number once the form is valid (a citizen correcting a
    typo is not counted twice); this early look refuses a number already at its limit before
    the form and its photos are checked.
    """
    if request.POST.get("is_anonymous"):
        return False
    try:
        phone = normalize_phone(request.POST.get("phone", ""))
    except ValidationError:
        return False
    usage = get_usage(
        request,
        group="suggestion-phone",
        key=lambda _group, _request: phone,
        rate=settings.SUGGESTION_RATE_PER_PHONE,
        increment=False,
    )
    return usage is not None and usage["count"] >= usage["limit"]


_TYPED_FIELDS = ("theme", "village", "title", "content", "addressee", "name", "phone")


def _typed(request: HttpRequest) -> dict[str, object]:
    """What the citizen typed, to show again on a refused form (photos must be chosen again)."""
    typed: dict[str, object] = {name: request.POST.get(name, "")[:2000] for name in _TYPED_FIELDS}
    typed["is_anonymous"] = bool(request.POST.get("is_anonymous"))
    typed["token"] = uuid.uuid4()
    return typed


# Stand-ins for the two per-request values in an otherwise shared rendering of the blank form.
_CSRF_SLOT = "csrf-slot-5b0e7d1c"
_TOKEN_SLOT = "token-slot-5b0e7d1c"


def _blank_form_page(request: HttpRequest, code: str) -> HttpResponse:
    """The blank form: the page most citizens open, served from the page cache.

    Everything but the CSRF token and the one-time submission token is the same for every
    visitor of one address, language and text size, so it is rendered once per process and
    PAGE_CACHE_SECONDS; those two tokens are filled in per request.
    """
    path = request.get_full_path()
    key = (
        "suggestion-form:"
        + hashlib.sha256(
            f"{get_language()}|{request.COOKIES.get(LARGE_TEXT_COOKIE)}|{path}".encode()
        ).hexdigest()
    )
    pages = caches["pages"]
    html = pages.get(key)
    if html is None:
        station = station_for_form(code)
        addressee = _addressee_from_query(request, station)
        form = SuggestionForm(
            station=station, initial={"token": _TOKEN_SLOT, "addressee": addressee}
        )
        # Rendered without the request's context processors, so the CSRF slot stays a slot.
        html = render_to_string(
            "suggestions/form.html",
            {
                "station": station,
                "form": form,
                "addressee": addressee,
                "privacy": consent_notice(station),
                "request": request,
                "csrf_token": _CSRF_SLOT,
                **accessibility(request),
            },
        )
        pages.set(key, html)
    html = html.replace(_CSRF_SLOT, get_token(request)).replace(_TOKEN_SLOT, str(uuid.uuid4()))
    return HttpResponse(html)


def _addressee_from_query(request: HttpRequest, station: Station) -> Representative | None:
    code = request.GET.get("to")
    if not code:
        return None
    return addressees_for(station).filter(code=normalize_code(code)).first()


def representative_form(request: HttpRequest, code: str) -> HttpResponse:
    """A representative's personal code: the form of their station, them as the addressee."""
    representative, stations = representative_for_form(code)
    # A scan of the printed code, or a tap on the website's button (which adds via=web).
    query = f"to={representative.code}" + ("&via=web" if request.GET.get("via") == "web" else "")
    if len(stations) == 1:
        url = reverse("suggestions:station_form", kwargs={"code": stations[0].code})
        return redirect(f"{url}?{query}")
    return render(
        request,
        "suggestions/choose_station.html",
        {"representative": representative, "stations": stations, "query": query},
    )


def _submitted_url(request: HttpRequest, suggestion: Suggestion, secret: str) -> str:
    """The receipt's address. An anonymous submitter's secret is a proof, so it stays out of
    the address (signed is not hidden; addresses end up in logs and history): the session
    keeps it for the receipt page."""
    if secret:
        request.session[f"{SUBMITTED_SALT}:{suggestion.pk}"] = secret
    token = signing.dumps({"id": suggestion.pk}, salt=SUBMITTED_SALT)
    url = reverse("suggestions:submitted", kwargs={"code": suggestion.station.code})
    return f"{url}?t={token}"


@never_cache
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt page. Its signed link is the only way to see a code without proof."""
    try:
        data = signing.loads(
            request.GET.get("t", ""), salt=SUBMITTED_SALT, max_age=SUBMITTED_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404 from None
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("station"),
        pk=data["id"],
        station__code=normalize_code(code),
    )
    return render(
        request,
        "suggestions/submitted.html",
        {
            "station": suggestion.station,
            "suggestion": suggestion,
            "secret": request.session.get(f"{SUBMITTED_SALT}:{suggestion.pk}", ""),
            "phone_tail": last_digits(suggestion.phone),
        },
    )


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    suggestion, status = None, 200
    if request.method == "POST" and _proof_tries_spent(request):
        form = TrackForm(initial={"code": request.POST.get("code", "")[:20]})
        form.cleaned_data = {}
        form.add_error(None, _too_many_tries_message())
        status = 429
    elif request.method == "POST" and form.is_valid():
        suggestion = suggestion_for_tracking(form.cleaned_data["code"], form.cleaned_data["proof"])
        if suggestion is None:
            form.add_error(
                None, _("No suggestion matches this code and these digits. Please check both.")
            )
    return _tracking_page(request, form, suggestion, status=status)


def _proof_tries_spent(request: HttpRequest) -> bool:
    """Count one try at a tracking proof, per address and per code; whether either is spent.

    Every endpoint that checks a proof (the lookup and the rating) asks this first, with the
    same counters, so the per-code limit cannot be walked around through another endpoint, and
    once it is spent a right proof and a wrong one get the same answer.
    """
    code = normalize_tracking_code(str(request.POST.get("code", "")))
    over_ip = _over_limit(request, "track-ip", settings.TRACK_RATE_PER_IP)
    over_code = _over_limit(request, "track-code", settings.TRACK_RATE_PER_CODE, code)
    return over_ip or over_code


def _too_many_tries_message() -> str:
    return _("Too many tries. Please wait a while and try again.")


def _tracking_page(request, form, suggestion, *, status=200, rating_form=None) -> HttpResponse:
    context = {"form": form, "suggestion": suggestion}
    if suggestion is not None:
        may_rate = suggestion.status == Suggestion.Status.FED_BACK and not suggestion.rating
        context |= {
            "timeline": public_timeline(suggestion),
            "masked_name": mask_name(suggestion.name),
            "show_reply": bool(suggestion.result)
            and suggestion.status in Suggestion.FINISHED_STATUSES,
            "rating_form": rating_form
            or (
                RatingForm(
                    initial={"code": suggestion.tracking_code, "proof": form["proof"].value()}
                )
                if may_rate
                else None
            ),
        }
    return render(request, "suggestions/track.html", context, status=status)


@never_cache
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    """The citizen rates the result; the code and proof are checked again, as on the lookup."""
    if _proof_tries_spent(request):
        refused = TrackForm(initial={"code": request.POST.get("code", "")[:20]})
        refused.cleaned_data = {}
        refused.add_error(None, _too_many_tries_message())
        return _tracking_page(request, refused, None, status=429)
    rating_form = RatingForm(request.POST)
    lookup = TrackForm(
        {"code": request.POST.get("code", ""), "proof": request.POST.get("proof", "")}
    )
    if not rating_form.is_valid() or not lookup.is_valid():
        raise Http404
    suggestion = suggestion_for_tracking(lookup.cleaned_data["code"], lookup.cleaned_data["proof"])
    if suggestion is None:
        raise Http404
    try:
        suggestion = suggestion_rate(
            suggestion=suggestion,
            rating=rating_form.cleaned_data["rating"],
            comment=rating_form.cleaned_data["comment"],
        )
    except TransitionError as exc:
        lookup.add_error(None, str(exc))
        return _tracking_page(request, lookup, suggestion, status=409)
    messages.success(request, _("Thank you for your rating."))
    return _tracking_page(request, lookup, suggestion)


@login_required
def staff_register(request: HttpRequest) -> HttpResponse:
    """Station staff register a walk-in or phone suggestion for a citizen."""
    stations = stations_managed_by(request.user).active().select_related("region")
    if not stations.exists():
        raise PermissionDenied
    chosen = request.GET.get("station")
    station = None
    if chosen:
        station = get_object_or_404(stations, code=normalize_code(chosen))
    elif stations.count() == 1:
        station = stations.first()
    if station is None:
        return render(request, "suggestions/staff_choose_station.html", {"stations": stations})
    if request.method == "POST":
        form = StaffSuggestionForm(request.POST, request.FILES, station=station)
        if form.is_valid():
            result = suggestion_submit(
                station=station,
                submission=form.submission(),
                channel=form.cleaned_data["channel"],
                token=form.cleaned_data["token"],
                registered_by=request.user,
            )
            return redirect(_submitted_url(request, result.suggestion, result.secret))
    else:
        form = StaffSuggestionForm(station=station, initial={"token": uuid.uuid4()})
    return render(
        request,
        "suggestions/staff_register.html",
        {"station": station, "form": form, "privacy": consent_notice(station)},
    )

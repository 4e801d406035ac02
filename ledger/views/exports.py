"""Ledger exports (台账导出): asking for one, following its progress and downloading the file."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from audit.services import Action as AuditAction
from audit.services import audit_record
from liaison.http import AuthenticatedHttpRequest
from liaison.storage import serve_private

from .. import exports
from ..models import Export
from ..permissions import visible_exports
from ..selectors.exports import download_name, export_title, filter_summary


@login_required
@require_POST
def export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "suggestions")
    fmt = request.POST.get("format", "")
    if kind not in exports.KINDS or fmt not in Export.Format.values:
        raise Http404
    export = exports.export_request(user=request.user, kind=kind, format=fmt, params=request.GET)
    return redirect("ledger:export_detail", pk=export.pk)


def _own_export(request: AuthenticatedHttpRequest, pk: int) -> Export:
    """An export its owner (or a superuser) may see; anyone else gets a 404."""
    return get_object_or_404(visible_exports(request.user), pk=pk)


@login_required
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = Export.objects.filter(user=request.user).order_by("-created")[:50]
    return render(request, "ledger/exports.html", {"exports": mine})


@login_required
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    return render(
        request,
        "ledger/export.html",
        {
            "export": export,
            "title": export_title(export),
            "filters": filter_summary(export),
            "keep_days": settings.EXPORT_KEEP_DAYS,
        },
    )


@login_required
def export_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    export = _own_export(request, pk)
    return JsonResponse(
        {
            "state": export.state,
            "state_display": str(export.get_state_display()),
            "rows": export.rows,
            "total": export.total,
            "percent": export.percent,
            "done": export.state == Export.State.DONE,
            "failed": export.state == Export.State.FAILED,
            "expired": export.state == Export.State.EXPIRED,
        }
    )


@login_required
@require_POST
def export_repeat(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    export = exports.export_again(export=_own_export(request, pk), user=request.user)
    return redirect("ledger:export_detail", pk=export.pk)


@login_required
def export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    export = _own_export(request, pk)
    if export.state != Export.State.DONE or not export.file:
        raise Http404
    audit_record(action=AuditAction.EXPORT, request=request, obj=export, details={"download": True})
    return serve_private(export.file, download_name=download_name(export))

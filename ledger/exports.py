"""Ledger exports (台账导出) to CSV and Excel, written in the background.

A million rows pass through in chunks: `values_list(...).iterator(chunk_size=CHUNK)` reads them
without building model objects, each chunk is completed with its departments (or attendees) in
one more query, written out and forgotten, and Export.rows is moved on so the page can show
progress. The rows get the same scope, filter and masking as the ledger page of the user who
asked for them.
"""

import csv
import datetime as dt
import io
import logging
import re
import secrets
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import Action as AuditAction
from audit.services import audit_record
from liaison.queueing import delay_or_leave_to_sweep
from liaison.spreadsheets import FORMULA_STARTS
from receptions.models import DutyLog, ReceptionDay
from receptions.permissions import visible_duty_logs
from suggestions.models import Department, Suggestion, format_tracking_code
from suggestions.permissions import Scope, shown_contact

from .filters import ReceptionFilter, SuggestionFilter
from .models import Export
from .selectors.pages import RECEPTION_SORTS, SUGGESTION_SORTS, capped_count
from .selectors.receptions import raised_count
from .selectors.suggestions import live_tasks

logger = logging.getLogger(__name__)

CHUNK = 2000
# Excel's limit is 1,048,576 rows a sheet, one of them the header.
XLSX_ROWS_PER_SHEET = 1_048_575
# Parameters of the page that are not part of the filter.
NOT_FILTERS = {"after", "before", "format", "kind", "csrfmiddlewaretoken"}


def filters_from(params) -> dict[str, str]:
    """The filter as recorded on the Export: the page's query parameters that choose rows."""
    return {k: v for k, v in params.items() if k not in NOT_FILTERS and v.strip()}


# --- what each ledger exports -----------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


SUGGESTION_COLUMNS = (
    "pk", "tracking_code", "created", "station__name", "theme__name", "title", "content",
    "status", "route", "deadline", "outcome", "rating", "is_key", "channel", "addressee__name",
    "name", "phone", "is_anonymous",
)  # fmt: skip


def _label(model, name: str) -> str:
    """A column named like the field everywhere else, in the catalog's words."""
    return capfirst(model._meta.get_field(name).verbose_name)


def suggestion_headers() -> list[str]:
    fields = ["tracking_code", "created", "station", "theme", "title", "content", "status", "route"]
    return [
        *[_label(Suggestion, f) for f in fields],
        capfirst(str(Department._meta.verbose_name_plural)),
        _label(Suggestion, "deadline"),
        _("Overdue"),
        *[_label(Suggestion, f) for f in ["outcome", "rating", "is_key", "channel", "addressee"]],
        _label(Suggestion, "name"),
        _label(Suggestion, "phone"),
    ]


def _labels(choices) -> dict[str, str]:
    """A field's choice labels, translated once for the whole export rather than per cell."""
    return {value: str(label) for value, label in choices.choices}


def suggestion_batches(scope: Scope, queryset: QuerySet[Suggestion]) -> Iterator[list[list]]:
    status, route, outcome, rating, channel = (
        _labels(choices)
        for choices in (
            Suggestion.Status, Suggestion.Route, Suggestion.Outcome, Suggestion.Rating,
            Suggestion.Channel,
        )
    )  # fmt: skip
    yes, no = _yes_no(True), _yes_no(False)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    for chunk in _chunks(queryset.values_list(*SUGGESTION_COLUMNS).iterator(chunk_size=CHUNK)):
        ids = [r[0] for r in chunk]
        departments: dict[int, list[str]] = defaultdict(list)
        for suggestion_id, name in (
            live_tasks()
            .filter(suggestion_id__any_of=ids)
            .values_list("suggestion_id", "department__name")
        ):
            departments[suggestion_id].append(name)
        handled = scope.handled_among(ids)
        rows = []
        for (pk, code, created, station, theme, title, content, st, rt, deadline, oc, rated,
             is_key, ch, addressee, name, phone, anonymous) in chunk:  # fmt: skip
            shown_name, shown_phone = shown_contact(
                name=name, phone=phone, anonymous=anonymous,
                handled=handled is None or pk in handled,
            )  # fmt: skip
            overdue = Suggestion.overdue_on(status=st, deadline=deadline, today=today)
            rows.append([
                format_tracking_code(code),
                # Excel has no time zones: the local wall-clock time, as the page shows it.
                created.astimezone(tz).replace(tzinfo=None), station, theme, title, content,
                status.get(st, st), route.get(rt, rt), "、".join(departments[pk]),
                deadline, yes if overdue else no, outcome.get(oc, oc), rating.get(rated, rated),
                yes if is_key else no, channel.get(ch, ch), addressee or "", shown_name,
                shown_phone,
            ])  # fmt: skip
        yield rows


RECEPTION_COLUMNS = (
    "pk",
    "day__date",
    "day__station__name",
    "day__theme",
    "visitor_batches",
    "visitors",
    "raised",
)


def reception_headers() -> list[str]:
    return [
        _label(ReceptionDay, "date"), _label(ReceptionDay, "station"),
        _label(ReceptionDay, "theme"), _label(DutyLog, "attendees"),
        _label(DutyLog, "visitor_batches"), _label(DutyLog, "visitors"),
        _("Suggestions raised"),
    ]  # fmt: skip


def reception_batches(scope: Scope, queryset: QuerySet[DutyLog]) -> Iterator[list[list]]:
    queryset = queryset.annotate(raised=raised_count())
    through = DutyLog.attendees.through
    for chunk in _chunks(queryset.values_list(*RECEPTION_COLUMNS).iterator(chunk_size=CHUNK)):
        names: dict[int, list[str]] = defaultdict(list)
        for log_id, name in (
            through.objects.filter(dutylog_id__any_of=[r[0] for r in chunk])
            .order_by("representative_id")
            .values_list("dutylog_id", "representative__name")
        ):
            names[log_id].append(name)
        yield [
            [date, station, theme, "、".join(names[pk]), batches, visitors, raised]
            for pk, date, station, theme, batches, visitors, raised in chunk
        ]


@dataclass(frozen=True)
class LedgerKind:
    title: str | Promise
    filterset_class: type
    sorts: dict
    headers: Callable[[], list[str]]
    batches: Callable[[Scope, QuerySet], Iterator[list[list]]]

    def base(self, scope: Scope) -> QuerySet:
        if self.filterset_class is SuggestionFilter:
            return scope.visible()
        return visible_duty_logs(scope)


KINDS = {
    "suggestions": LedgerKind(
        gettext_lazy("Suggestions ledger"), SuggestionFilter, SUGGESTION_SORTS,
        suggestion_headers, suggestion_batches,
    ),
    "receptions": LedgerKind(
        gettext_lazy("Receptions ledger"), ReceptionFilter, RECEPTION_SORTS,
        reception_headers, reception_batches,
    ),
}  # fmt: skip


def _chunks(rows: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or CHUNK
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- writers ----------------------------------------------------------------------------------

# A cell a spreadsheet would read as a formula (CSV injection): citizens write these texts.
_FORMULA_STARTS = FORMULA_STARTS  # local name: read for every cell of a million rows


def _csv_value(value) -> object:
    # Most cells are text: test for it first (a million rows pass through here).
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv(out, headers: list[str], batches: Iterable[list[list]], progress) -> int:
    """UTF-8 with a byte-order mark, without which Excel reads Chinese as mojibake."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    written = 0
    plain = str
    for rows in batches:
        # Inline for the common cell, plain text that does not look like a formula: a million
        # rows have eighteen million cells.
        writer.writerows(
            [
                v if type(v) is plain and not v.startswith(_FORMULA_STARTS) else _csv_value(v)
                for v in row
            ]
            for row in rows
        )
        written += len(rows)
        progress(written)
    text.flush()
    text.detach()
    return written


def write_xlsx(out, headers: list[str], batches: Iterable[list[list]], progress, title) -> int:
    """XlsxWriter's constant-memory mode writes each row out as it comes: memory stays flat.

    A citizen's text is always text: nothing that starts with "=" becomes a formula, and no
    address or number-like text is turned into a link or a number.
    """
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd hh:mm",
        },
    )
    sheets, line = 0, XLSX_ROWS_PER_SHEET
    sheet: Any = None  # the xlsxwriter worksheet being written (xlsxwriter has no types)
    written = 0
    for rows in batches:
        for row in rows:
            if line == XLSX_ROWS_PER_SHEET:
                # A sheet holds 1,048,576 rows; the rest go on the next sheet, never dropped.
                sheets += 1
                name = _sheet_name(title) if sheets == 1 else _sheet_name(f"{title} ({sheets})")
                sheet, line = book.add_worksheet(name), 0
                sheet.write_row(0, 0, headers)
            line += 1
            sheet.write_row(line, 0, row)
        written += len(rows)
        progress(written)
    if sheet is None:
        book.add_worksheet(_sheet_name(title)).write_row(0, 0, headers)
    book.close()
    return written


def _sheet_name(title) -> str:
    """Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\\."""
    name = re.sub(r"[\[\]:*?/\\]", " ", str(title))
    return name if len(name) <= 31 else name[:26] + name[-5:]


# --- services ---------------------------------------------------------------------------------


def export_request(*, user: User, kind: str, format: str, params) -> Export:
    """Record the export and queue it once the row is committed."""
    spec = KINDS[kind]
    scope = Scope(user)
    filters = filters_from(params)
    filterset = spec.filterset_class(filters, queryset=spec.base(scope), scope=scope)
    count, exact = capped_count(filterset.qs)
    export = Export(
        user=user, kind=kind, format=format, filters=filters, total=count if exact else None
    )
    # An empty filter ({}: the whole ledger) is valid, though the field says blank=False.
    export.full_clean(exclude=["file", "filters"])
    export.save()
    audit_record(
        action=AuditAction.EXPORT,
        user=user,
        obj=export,
        # Which filters, not their values: a text search may hold a name or a number.
        details={"kind": kind, "format": format, "filters": sorted(filters)},
    )
    transaction.on_commit(lambda: _queue_run(export.pk))
    return export


def _queue_run(export_id: int) -> None:
    # The export stays queued if the broker is away, and exports_sweep queues it again.
    delay_or_leave_to_sweep(
        "ledger.tasks.run_export",
        export_id,
        warning="Export %s could not be queued; the periodic sweep will queue it.",
    )


def export_run(*, export_id: int) -> Export | None:
    """Write the file of a queued export; a second worker given the same export does nothing."""
    claimed = Export.objects.filter(pk=export_id, state=Export.State.QUEUED).update(
        state=Export.State.RUNNING, started=timezone.now()
    )
    if not claimed:
        return None
    export = Export.objects.select_related("user").get(pk=export_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _write(export)
    except Exception as exc:
        logger.exception("Ledger export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            state=Export.State.FAILED, error=str(exc)[:2000], finished=timezone.now()
        )
    export.refresh_from_db()
    return export


def _write(export: Export) -> None:
    spec = KINDS[export.kind]
    scope = Scope(export.user)
    filterset = spec.filterset_class(export.filters, queryset=spec.base(scope), scope=scope)
    sort = spec.sorts[filterset.sort_key]
    queryset = filterset.qs.order_by(*sort.ordering(False))
    Export.objects.filter(pk=export.pk).update(total=queryset.count())
    batches = spec.batches(scope, queryset)
    headers = [str(label) for label in spec.headers()]

    def progress(rows: int) -> None:
        Export.objects.filter(pk=export.pk).update(rows=rows)

    with tempfile.TemporaryFile() as out:
        if export.format == Export.Format.XLSX:
            rows = write_xlsx(out, headers, batches, progress, spec.title)
        else:
            rows = write_csv(out, headers, batches, progress)
        out.seek(0)
        # MEDIA_ROOT may be served as it is (SERVE_MEDIA): an unguessable name keeps the file
        # out of reach of everyone but the download view, which checks the owner.
        name = f"ledger-{export.kind}-{export.pk}-{secrets.token_urlsafe(18)}.{export.format}"
        export.file.save(name, File(out), save=False)
    export.rows = rows
    export.state = Export.State.DONE
    export.finished = timezone.now()
    export.save(update_fields=["file", "rows", "state", "finished"])


# Queued this long without a worker taking it: the task was lost (broker down at the time).
REQUEUE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class SweepResult:
    expired: int
    failed: int
    requeued: int


def exports_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Keep exports moving and their files short-lived; safe to run in several workers at once.

    - Files older than EXPORT_KEEP_DAYS are deleted and their exports marked expired; the record
      of who exported what, when and with which filter stays.
    - A run that has not finished EXPORT_MAX_RUN_HOURS after it started lost its worker (the
      task is not run twice, so nothing else would end it): it is marked failed.
    - An export still queued after REQUEUE_AFTER is queued again; a second task for the same
      export finds it claimed and does nothing.
    """
    now = now or timezone.now()
    failed = Export.objects.filter(
        state=Export.State.RUNNING,
        started__lt=now - dt.timedelta(hours=settings.EXPORT_MAX_RUN_HOURS),
    ).update(
        state=Export.State.FAILED,
        error=_("The worker stopped before the export was finished."),
        finished=now,
    )
    old = Export.objects.filter(
        state=Export.State.DONE, finished__lt=now - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    )
    # Claimed in one update under row locks that a second sweep skips, so no export is counted
    # twice; the records no longer name their files even if deleting one fails below.
    with transaction.atomic():
        claimed = dict(old.select_for_update(skip_locked=True).values_list("pk", "file"))
        Export.objects.filter(pk__in=claimed).update(state=Export.State.EXPIRED, file="")
    storage = Export._meta.get_field("file").storage
    for pk, name in claimed.items():
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not delete the file %s of export %s", name, pk, exc_info=True)
    stale = Export.objects.filter(state=Export.State.QUEUED, created__lt=now - REQUEUE_AFTER)
    requeued = list(stale.values_list("pk", flat=True))
    for pk in requeued:
        _queue_run(pk)
    return SweepResult(expired=len(claimed), failed=failed, requeued=len(requeued))


def export_again(*, export: Export, user: User) -> Export:
    """A new export of the same ledger, format and filter (the old file expired or failed)."""
    return export_request(user=user, kind=export.kind, format=export.format, params=export.filters)

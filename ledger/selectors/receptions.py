"""The receptions ledger: the held receptions the scope reaches, their totals, and one held
reception's record (the log, the rota, the suggestions raised there)."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from receptions.models import Duty, DutyLog, DutyLogPhoto
from receptions.permissions import visible_duty_logs
from representatives.models import Representative
from suggestions.models import Suggestion
from suggestions.permissions import Scope

from .pages import RECEPTION_SORTS, Ledger, keyset_page


def raised_count() -> Coalesce:
    raised = (
        Suggestion.objects.filter(reception_day=OuterRef("day_id"))
        .order_by()
        .values("reception_day")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(raised, output_field=IntegerField()), 0)


def reception_rows(queryset: QuerySet[DutyLog]) -> QuerySet[DutyLog]:
    return (
        queryset.select_related("day__station")
        .prefetch_related(
            Prefetch("attendees", queryset=Representative.objects.only("pk", "name").order_by("pk"))
        )
        .annotate(raised=raised_count())
    )


@dataclass(frozen=True)
class ReceptionRecord:
    """One held reception as its page shows it: the log, who was on duty, what was raised."""

    log: DutyLog
    duties: list[Duty]
    # The suggestions raised there that this user may open, and how many were raised in all.
    raised: list[Suggestion]
    raised_total: int

    @property
    def hidden_count(self) -> int:
        return self.raised_total - len(self.raised)


def reception_record(scope: Scope, log: DutyLog) -> ReceptionRecord:
    """What the reception page needs of `log` (one of `reception_logs(scope)`)."""
    return ReceptionRecord(
        log=log,
        duties=list(
            log.day.duties.select_related("representative").order_by("role", "representative__name")
        ),
        raised=list(
            scope.visible()
            .filter(reception_day_id=log.day_id)
            .only("pk", "tracking_code", "title", "status")
            .order_by("created", "pk")
        ),
        raised_total=log.raised,
    )


def reception_logs(scope: Scope) -> QuerySet[DutyLog]:
    """The held receptions the user may open, with what their page shows alongside."""
    return (
        visible_duty_logs(scope)
        .select_related("day__station", "recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Representative.objects.order_by("name")),
            Prefetch("photos", queryset=DutyLogPhoto.objects.order_by("pk")),
        )
        .annotate(raised=raised_count())
    )


def reception_ledger(filterset, *, after: str = "", before: str = "") -> Ledger:
    qs = filterset.qs
    totals = qs.aggregate(
        days=Count("pk"), batches=Sum("visitor_batches"), visitors=Sum("visitors")
    )
    totals["raised"] = Suggestion.objects.filter(reception_day__log__in=qs).count()
    page = keyset_page(
        reception_rows(qs), key="-date", sort=RECEPTION_SORTS["-date"], after=after,
        before=before,
    )  # fmt: skip
    return Ledger(
        filterset=filterset, page=page, count=totals["days"], exact=True, rows=page.rows,
        totals=totals,
    )  # fmt: skip

"""Swap requests: the representative on duty asks to be relieved of a duty, naming a replacement
or not, and station staff approve or refuse. Like every rota write they lock the reception day
first (`receptions.rota.lock_day`)."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from representatives.models import Representative

from .models import Duty, SwapRequest
from .permissions import check_can_manage, check_can_swap
from .rota import check_can_take, lock_day, whose_turn


@transaction.atomic
def swap_request(
    *, duty: Duty, actor: User, reason: str, replacement: Representative | None = None
) -> SwapRequest:
    """The representative on `duty` asks to be relieved of it, naming a replacement or not."""
    day = lock_day(duty.day_id)
    duty = Duty.objects.select_related("representative").get(pk=duty.pk)
    check_can_swap(actor, duty)
    if day.date < timezone.localdate():
        raise ValidationError(_("This reception day has passed."))
    if duty.swap_requests.filter(state=SwapRequest.State.PENDING).exists():
        raise ValidationError(_("A swap of this duty is already waiting for a decision."))
    if replacement is not None:
        if replacement.pk == duty.representative_id:
            raise ValidationError({"replacement": _("Choose someone else as the replacement.")})
        check_can_take(day=day, representative=replacement)
    swap = SwapRequest(duty=duty, replacement=replacement, reason=reason)
    swap.full_clean()
    swap.save()
    return swap


@transaction.atomic
def swap_decide(*, swap: SwapRequest, actor: User, approve: bool) -> SwapRequest:
    """Station staff approve or refuse a swap request.

    On approval the duty passes to the requested replacement, or, when none was named, to whoever
    the rotation rules pick for that role; if nobody is free the request stays pending.
    """
    duty_id = SwapRequest.objects.filter(pk=swap.pk).values_list("duty_id", flat=True).get()
    day = lock_day(Duty.objects.filter(pk=duty_id).values_list("day_id", flat=True).get())
    check_can_manage(actor, day.station)
    swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if swap.state != SwapRequest.State.PENDING:
        raise ValidationError(_("This swap request has already been decided."))
    if approve:
        duty = Duty.objects.select_for_update().get(pk=swap.duty_id)
        replacement = swap.replacement
        if replacement is None:
            replacement = whose_turn(day=day, role=duty.role)
            if replacement is None:
                raise ValidationError(
                    _("Nobody else is free that day; name a replacement or refuse the request.")
                )
        else:
            check_can_take(day=day, representative=replacement, instead_of=duty)
        duty.representative = replacement
        duty.full_clean()
        duty.save(update_fields=["representative"])
        swap.replacement = replacement
        swap.state = SwapRequest.State.APPROVED
    else:
        swap.state = SwapRequest.State.REFUSED
    swap.decided_by = actor
    swap.full_clean()
    swap.save(update_fields=["replacement", "state", "decided_by"])
    return swap

"""Citizens' requests to see, correct or delete their personal data (PIPL arts. 44–47), and
each request's history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .suggestion import Suggestion


class DataRequest(models.Model):
    """One request from a citizen about the personal data the station holds on them.

    The phone number is kept masked: the record proves that a request was made and answered,
    and must not keep the number the citizen may just have asked us to delete.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("see my data")
        CORRECTION = "correction", _("correct my data")
        DELETION = "deletion", _("delete my data")

    class Verification(models.TextChoices):
        ID_IN_PERSON = "id_in_person", _("identity card checked in person")
        CALL_BACK = "call_back", _("called back on the number held")
        TRACKING = "tracking", _("tracking code and last digits of the phone")
        OTHER = "other", _("other (see note)")

    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        PARTLY = "partly", _("partly done")
        REFUSED = "refused", _("refused")

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    requester = models.CharField(_("who asked"), max_length=50)
    masked_phone = models.CharField(_("phone (masked)"), max_length=20)
    verification = models.CharField(
        _("how identity was checked"), max_length=12, choices=Verification.choices
    )
    verification_note = models.CharField(_("verification note"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    answer = models.TextField(_("answer given"))
    suggestions = models.ManyToManyField(
        Suggestion, verbose_name=_("suggestions concerned"), blank=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.masked_phone} · {self.created:%Y-%m-%d}"


class DataRequestEvent(models.Model):
    """One step in a request's history. Append-only: written by suggestions.privacy only."""

    class Action(models.TextChoices):
        RECEIVED = "received", _("request recorded")
        SHOWN = "shown", _("data shown")
        CORRECTED = "corrected", _("corrected")
        UNCHANGED = "unchanged", _("nothing to correct")
        DELETED = "deleted", _("personal data deleted")
        REFUSED = "refused", _("refused")

    request = models.ForeignKey(
        DataRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("request history entry")
        verbose_name_plural = _("request history")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.action}"

"""Reads for the export pages: an export's title, its filter in the filter form's words, and the
name its file is downloaded under."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import Promise

from suggestions.permissions import Scope

from ..exports import KINDS
from ..models import Export


def filter_summary(export: Export) -> list[tuple[str, str]]:
    """The export's filter in the form's words: ("状态", "已办结"), ("联络站", "中垛乡…")."""
    if not export.filters or export.kind not in KINDS:
        return []
    spec = KINDS[export.kind]
    scope = Scope(export.user)
    form = spec.filterset_class(export.filters, queryset=spec.base(scope).none(), scope=scope).form
    form.is_valid()  # cleaned_data holds every field that passed
    summary = []
    for name, raw in export.filters.items():
        field = form.fields.get(name)
        if field is None:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            shown = raw  # refused by the form now (say, a station no longer in scope)
        elif isinstance(value, dt.date):
            shown = f"{value:%Y-%m-%d}"
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            shown = str(dict(field.choices).get(raw, raw))  # the label, not the stored key
        else:
            shown = str(value)  # text as typed, or the chosen station, region, person
        summary.append((str(field.label), shown))
    return summary


def export_title(export: Export) -> str | Promise:
    """The ledger's name ("意见建议台账"), or the stored kind of a ledger no longer offered."""
    return KINDS[export.kind].title if export.kind in KINDS else export.kind


def download_name(export: Export) -> str:
    title = export_title(export)
    return f"{title}-{timezone.localtime(export.created):%Y%m%d}-{export.pk}.{export.format}"

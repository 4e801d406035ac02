"""Form widgets shared by the staff pages."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise


class AutocompleteSelect(forms.Select):
    """A drop-down that holds only the chosen option; the rest are fetched as the user types.

    A province's filter reaches 5,000 stations and 50,000 representatives: listing them as
    <option>s made a page of megabytes and seconds of rendering. The page now renders the
    selected choice alone, and Select2 (the copy Django's admin ships, so it works offline)
    asks `url` for the matching choices: `?q=<typed text>&page=<n>` answered with Select2's
    JSON, `{"results": [{"id", "text"}], "pagination": {"more"}}`. `label` must give the same
    text the endpoint does, so the chosen option reads the same before and after a reload.
    """

    def __init__(
        self,
        *,
        url: str | Promise,
        label: Callable[[Model], str],
        placeholder: str | Promise = "",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.url = url
        self.label = label
        self.placeholder = placeholder

    class Media:
        css = {"all": ["admin/css/vendor/select2/select2.min.css"]}
        js = [
            "admin/js/vendor/jquery/jquery.min.js",
            "admin/js/vendor/select2/select2.full.min.js",
            "admin/js/vendor/select2/i18n/zh-CN.js",
            "js/autocomplete.js",
        ]

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = str(self.url)
        attrs["data-placeholder"] = str(self.placeholder)
        attrs["class"] = f"{attrs.get('class', '')} autocomplete-select".strip()
        return attrs

    def optgroups(
        self, name: str, value: list[str], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        """The empty choice and the selected ones, read in one query by primary key."""
        # The field is a ModelChoiceField, whose choices are an iterator over its queryset.
        queryset = cast(ModelChoiceIterator, self.choices).queryset
        wanted = [v for v in value if v and str(v).isdigit()]
        options = [self.create_option(name, "", "", not wanted, 0)]
        if wanted:
            for obj in queryset.filter(pk__in=wanted):
                options.append(
                    self.create_option(name, str(obj.pk), self.label(obj), True, len(options))
                )
        return [(None, options, 0)]

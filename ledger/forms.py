"""Forms of the ledger's pages that are not a filter form (those are in filters.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

# More pages than anyone scrolls through in an autocomplete; also keeps the offset in range.
MAX_CHOICE_PAGE = 1000


class ChoiceSearchForm(forms.Form):
    """What the filter form's autocomplete sends: the text typed so far and the page wanted."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    page = forms.CharField(label=_("Page"), required=False)

    def clean_page(self) -> int:
        """A page the autocomplete can show; anything else (a typo, 10**30) is the first page."""
        page: str = self.cleaned_data["page"]
        if page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_CHOICE_PAGE:
            return int(page)
        return 1

from django import forms
from django.utils.translation import gettext_lazy as _


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Station name or code"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Zhongduo"), "type": "search"}),
    )
    region = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

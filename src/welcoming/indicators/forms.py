"""The form that starts an import from the web."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A Statistics Canada table or census profile (CSV), or a tidy CSV or XLSX."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(f, ImportBatch.Format(f).label) for f in ("statcan", "tidy")],
    )
    dry_run = forms.BooleanField(
        label=_("Check only: report what would change, write nothing"), required=False
    )

"""The form an organization's administrator adds a member with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, User
from .selectors import person_find


class MembershipAddForm(forms.Form):
    person = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
        help_text=_("The person must already have an account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_person(self) -> User:
        person = person_find(identifier=self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(
                _("No single active account has this user name or e-mail address."),
                code="unknown_person",
            )
        return person

"""Forms of the account pages: API tokens, authenticator codes, password reset by mail, and
the form an organization's administrator adds a member with."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from welcoming.integrations.mail import send_templated_mail

from .models import ApiToken, Role, Scope, User
from .selectors import person_find
from .services import sign_in_lockout_clear

TOKEN_LIFETIMES = {"30": timedelta(days=30), "90": timedelta(days=90), "365": timedelta(days=365)}


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, such as “nightly import”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token lets a program do"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
    )
    lifetime = forms.ChoiceField(
        label=_("Expires after"),
        choices=[("30", _("30 days")), ("90", _("90 days")), ("365", _("one year"))],
        initial="90",
    )

    def cleaned_lifetime(self) -> timedelta:
        return TOKEN_LIFETIMES[self.cleaned_data["lifetime"]]


class AuthenticatorCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "8"}
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class UnlockingSetPasswordForm(SetPasswordForm):
    """The new password of a reset, which also lifts a lock-out of the account's sign-in."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            sign_in_lockout_clear(user=user)
        return user


class MailedPasswordResetForm(PasswordResetForm):
    """Django's reset form, writing to each person in their preferred language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        send_templated_mail(
            template="accounts/mail/password_reset",
            to=to_email,
            language=context["user"].preferred_language,
            context=context,
            from_email=from_email,
        )


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

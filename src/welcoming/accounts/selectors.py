"""Reads on people's accounts: their API tokens, their authenticator and their consents."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, Consent, ConsentPurpose, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """A person's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def totp_device_of(*, user: User, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def consent_list(*, person: Model) -> QuerySet[Consent]:
    """Every consent of a person (an account or another record), newest first, withdrawn too."""
    if isinstance(person, User):
        return Consent.objects.filter(user=person)
    return Consent.objects.filter(
        subject_type=ContentType.objects.get_for_model(person), subject_id=person.pk
    )


def consent_active(*, person: Model, purpose: ConsentPurpose | str) -> Consent | None:
    """The consent in force for a purpose, or None: nothing given, or given and withdrawn."""
    return consent_list(person=person).filter(purpose=purpose, withdrawn_at__isnull=True).first()


def consent_is_given(*, person: Model, purpose: ConsentPurpose | str) -> bool:
    return consent_list(person=person).filter(purpose=purpose, withdrawn_at__isnull=True).exists()

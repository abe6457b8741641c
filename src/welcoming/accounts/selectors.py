"""Reads on people's accounts: memberships, API tokens, authenticators and consents."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming.core.models import Organization

from .models import ApiToken, Consent, ConsentPurpose, Membership, User


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


def organizations_managed_by(*, user: User) -> list[Organization]:
    """The organizations whose members the person may manage, by name."""
    return [
        organization
        for organization in Organization.objects.order_by("name_en")
        if user.has_perm("accounts.manage_memberships", organization)
    ]


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username", "role")
    )


def person_find(*, identifier: str) -> User | None:
    """The active person whose user name or e-mail address is `identifier` (case ignored)."""
    identifier = identifier.strip()
    if not identifier:
        return None
    found = list(
        User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .filter(is_active=True)
        .exclude(username="operator")[:2]
    )
    return found[0] if len(found) == 1 else None

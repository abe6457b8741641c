"""Writes on people, memberships, API tokens and consents."""

import hashlib
import hmac
import secrets
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welcoming.core.models import Organization

from .models import ApiToken, Consent, ConsentPurpose, Membership, Role, User
from .selectors import consent_active

# Errors, as constants that tests and callers can rely on.
MAY_NOT_RECORD_CONSENT = _("You may record only your own consent.")
MAY_NOT_WITHDRAW_CONSENT = _("You may withdraw only your own consent.")


@transaction.atomic
def membership_grant(*, user: User, organization: Organization, role: Role) -> Membership:
    """Give a person a role in an organization (idempotent)."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    return membership


def _hash(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is safe: there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    The secret starts with the token's prefix, so a request finds its token by an indexed
    lookup and compares hashes in constant time.
    """
    prefix = secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=name, prefix=prefix, secret_hash=_hash(secret))
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    """Refuse the token from now on; it stays listed, with when it was revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(*, secret: str) -> User | None:
    """The active person behind a valid, unrevoked token, or None; records when it was used."""
    prefix = secret.split(".", 1)[0]
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def consent_give(
    *, person: Model, purpose: ConsentPurpose | str, notice_version: str, actor: User
) -> Consent:
    """Record that a person consents to a purpose under a version of the privacy notice.

    Giving the same consent again changes nothing; giving it under a newer notice withdraws
    the older one at the same moment, so exactly one consent per purpose is in force.
    """
    if not (person == actor or actor.has_perm("accounts.add_consent")):
        raise PermissionDenied(MAY_NOT_RECORD_CONSENT)
    current = consent_active(person=person, purpose=purpose)
    if current is not None and current.notice_version == notice_version:
        return current
    now = timezone.now()
    if current is not None:
        _withdraw(current, actor=actor, at=now)
    consent = Consent(
        purpose=purpose,
        notice_version=notice_version,
        given_at=now,
        recorded_by=actor,
    )
    if isinstance(person, User):
        consent.user = person
    else:
        consent.subject_type = ContentType.objects.get_for_model(person)
        consent.subject_id = person.pk
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User) -> Consent:
    """Withdraw a consent from now on (withdrawing it twice changes nothing)."""
    if not actor.has_perm("accounts.withdraw_consent", consent):
        raise PermissionDenied(MAY_NOT_WITHDRAW_CONSENT)
    if consent.withdrawn_at is None:
        _withdraw(consent, actor=actor, at=timezone.now())
    return consent


def _withdraw(consent: Consent, *, actor: User, at: datetime) -> None:
    consent.withdrawn_at = at
    consent.withdrawn_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])

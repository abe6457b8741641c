"""Writes on people, memberships, API tokens and consents."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from axes.utils import reset as axes_reset
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming.core.history import acting_as
from welcoming.core.models import Organization
from welcoming.core.roles import DATA_MANAGERS

from .models import ApiToken, Consent, ConsentPurpose, Membership, Role, Scope, User
from .selectors import consent_active


def sign_in_lockout_clear(*, user: User) -> None:
    """Lift the sign-in lock-out of a person's user name, from every address: they have just
    proven they hold the mailbox of the account (a password reset)."""
    axes_reset(username=user.get_username())


# Errors, as constants that tests and callers can rely on.
MAY_NOT_RECORD_CONSENT = gettext_lazy("You may record only your own consent.")
MAY_NOT_WITHDRAW_CONSENT = gettext_lazy("You may withdraw only your own consent.")

OPERATOR_USERNAME = "operator"
"""The account the command line acts as: a superuser that cannot sign in (no usable password)."""


@transaction.atomic
def operator_user() -> User:
    """The system operator, created on first use; command-line writes are recorded as theirs."""
    operator, created = User.objects.get_or_create(
        username=OPERATOR_USERNAME,
        defaults={
            "first_name": "System operator (command line)",
            "is_superuser": True,
            "is_staff": False,
        },
    )
    if created:
        operator.set_unusable_password()
        operator.save(update_fields=["password"])
    elif operator.has_usable_password() or not operator.is_superuser:
        # A person took the name: never hand the command line's powers to a login.
        raise ValidationError(
            _("The account “%(username)s” is a person's, not the system operator's.")
            % {"username": OPERATOR_USERNAME}
        )
    return operator


def _refuse_unless_manager(actor: User, organization: Organization) -> None:
    if not actor.has_perm("accounts.manage_memberships", organization):
        raise PermissionDenied(
            _("You may not manage the members of %(organization)s.")
            % {"organization": organization}
        )


def _sync_staff(user: User) -> None:
    """Administrators and data stewards use the admin (what they see there is up to the rules)."""
    user.forget_roles()
    staff = bool(user.roles_anywhere() & DATA_MANAGERS) or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def membership_grant(
    *, actor: User, user: User, organization: Organization, role: Role
) -> Membership:
    """Give a person a role in an organization (idempotent)."""
    _refuse_unless_manager(actor, organization)
    with acting_as(actor):
        membership, _created = Membership.objects.get_or_create(
            user=user, organization=organization, role=role
        )
        _sync_staff(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    """Take a role away; an organization keeps at least one administrator."""
    organization = membership.organization
    _refuse_unless_manager(actor, organization)
    if (
        membership.role == Role.ADMINISTRATOR
        and not Membership.objects.filter(organization=organization, role=Role.ADMINISTRATOR)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(organization)s would have no administrator left.")
            % {"organization": organization},
            code="last_administrator",
        )
    user = membership.user
    with acting_as(actor):
        membership.delete()
        _sync_staff(user)


def _hash(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is safe: there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


DEFAULT_TOKEN_LIFETIME = timedelta(days=90)


def api_token_create(
    *,
    user: User,
    name: str,
    scopes: Iterable[str] = (Scope.READ,),
    lifetime: timedelta | None = DEFAULT_TOKEN_LIFETIME,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    The token lets a program do what its scopes say, for `lifetime` (None: until revoked). The
    secret starts with the token's prefix, so a request finds its token by an indexed lookup and
    compares hashes in constant time.
    """
    if lifetime is not None and lifetime <= timedelta(0):
        raise ValidationError({"expires_at": _("A token must live for at least one day.")})
    prefix = secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=list(scopes),
        expires_at=None if lifetime is None else timezone.now() + lifetime,
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """Refuse the token from now on; it stays listed, with when it was revoked.

    Its owner may revoke it, and so may whoever may manage the owner's tokens (the admin).
    """
    if not actor.has_perm("accounts.revoke_apitoken", token):
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The valid token behind a secret (unrevoked, unexpired, of an active person), or None;
    records when it was used. The caller checks its scopes."""
    prefix = secret.split(".", 1)[0]
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.is_expired(at=now) or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new authenticator for `user`, unconfirmed (and unused at sign-in) until they give one of
    its codes; an earlier unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name=_("Authenticator app"), confirmed=False)
    device.full_clean()
    device.save()
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Turn the authenticator on when `code` is one of its current codes."""
    if device.confirmed or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def totp_device_remove(*, user: User, code: str) -> bool:
    """Remove the person's authenticator, proven by one of its current codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


@transaction.atomic
def consent_give(
    *, person: Model, purpose: ConsentPurpose | str, notice_version: str, actor: User
) -> Consent:
    """Record that a person consents to a purpose under a version of the privacy notice.

    Giving the same consent again changes nothing; giving it under a newer notice withdraws
    the older one at the same moment, so exactly one consent per purpose is in force.
    """
    if not (person == actor or actor.has_perm("accounts.add_consent", person)):
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

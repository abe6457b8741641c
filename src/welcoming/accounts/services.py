"""Writes on people, memberships and API tokens."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from welcoming.core.models import Organization

from .models import ApiToken, Membership, Role, Scope, User


def sign_in_lockout_clear(*, user: User) -> None:
    """Lift the sign-in lock-out of a person's user name, from every address: they have just
    proven they hold the mailbox of the account (a password reset)."""
    axes_reset(username=user.get_username())


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

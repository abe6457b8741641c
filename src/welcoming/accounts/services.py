"""Writes on people, memberships and API tokens."""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from welcoming.core.models import Organization

from .models import ApiToken, Membership, Role, User


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

"""Writes on people, memberships and API tokens."""

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welcoming.core.history import acting_as
from welcoming.core.models import Organization
from welcoming.core.roles import DATA_MANAGERS

from .models import ApiToken, Membership, Role, User

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

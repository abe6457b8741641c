"""Reads on people's accounts: their API tokens and their authenticator."""

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """A person's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def totp_device_of(*, user: User, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()

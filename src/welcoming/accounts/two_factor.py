"""The second factor (TOTP codes through django-otp): optional for everyone, required for
administrators.

A person who has confirmed an authenticator signs in with their password, then a code; until the
code is given the session reaches nothing but the code page (and the API refuses it). An
administrator without a confirmed authenticator is sent to set one up before any other page.
"""

from collections.abc import Callable
from urllib.parse import urlencode

import rules
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

# Pages a session may reach before its second factor: the code, the set-up, signing out.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {"two-factor", "two-factor-verify", "two-factor-confirm", "logout"}
)


def session_awaits_second_factor(request: HttpRequest) -> bool:
    """Signed in with a password, but not yet with the code of a confirmed authenticator."""
    user = request.user
    if not user.is_authenticated or _is_verified(request):
        return False
    return bool(user_has_device(user, confirmed=True))


def is_required_for(user: object) -> bool:
    """Whether this person must sign in in two steps (administrators, see rules.py)."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS", True):
        return False
    return bool(rules.test_rule("accounts.must_use_two_factor", user))


def must_enrol(request: HttpRequest) -> bool:
    """An administrator who has no confirmed authenticator yet."""
    user = request.user
    if not user.is_authenticated or _is_verified(request):
        return False
    return is_required_for(user) and not user_has_device(user, confirmed=True)


def _is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


class SecondFactorMiddleware:
    """Sends a session to its code page, or an administrator to set up an authenticator, before
    any page but those in OPEN_BEFORE_SECOND_FACTOR. Goes after django-otp's OTPMiddleware. The
    API answers for itself (accounts/auth.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        if match.namespace.startswith("api-") or match.view_name == "set_language":
            return None
        if match.namespace == "accounts" and match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if session_awaits_second_factor(request):
            target = "accounts:two-factor-verify"
        elif must_enrol(request):
            target = "accounts:two-factor"
        else:
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))

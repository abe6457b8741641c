"""Account pages: the lock-out answer, API tokens, the second factor (password pages are
Django's, see urls.py)."""

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import ApiTokenCreateForm, AuthenticatorCodeForm
from ..models import ApiToken, Scope, User
from ..selectors import api_token_list, totp_device_of
from ..services import (
    api_token_create,
    api_token_revoke,
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
)
from ..two_factor import is_required_for, session_awaits_second_factor


def lockout(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """What django-axes answers to a sign-in from a locked-out user name and address."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/lockout.html", context, status=429)


def _next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else default


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every view below is behind login_required
    return user


# API tokens


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    scopes: list[str]
    expired: bool

    @property
    def active(self) -> bool:
        return self.token.revoked_at is None and not self.expired


@login_required
def api_token_list_view(request: HttpRequest) -> HttpResponse:
    """The person's tokens, a form to create one (its secret shown once) and a revoke button."""
    person = _person(request)
    form = ApiTokenCreateForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_create(
                user=person,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                lifetime=form.cleaned_lifetime(),
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            form = ApiTokenCreateForm()
    now = timezone.now()
    labels = dict(Scope.choices)
    rows = [
        TokenRow(
            token=token,
            scopes=[f"{labels.get(scope, scope)} ({scope})" for scope in token.scopes],
            expired=token.is_expired(at=now),
        )
        for token in api_token_list(user=person)
    ]
    context = {"form": form, "tokens": rows, "secret": secret}
    return render(request, "accounts/apitoken_list.html", context)


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    token = get_object_or_404(ApiToken, pk=pk, user=person)  # another's token is not found
    api_token_revoke(token=token, actor=person)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("accounts:api-tokens"))


# The second factor

WRONG_CODE = gettext_lazy("This code is not the one your authenticator shows now.")
THROTTLED = gettext_lazy(
    "Too many wrong codes in a row: wait a few seconds, then give the code your app shows then."
)


def _code_refused(user: User) -> str:
    """Why a code was refused: a wrong code, or a pause after several wrong ones."""
    device = totp_device_of(user=user, confirmed=True) or totp_device_of(user=user, confirmed=False)
    if device is not None and not device.verify_is_allowed()[0]:
        return str(THROTTLED)
    return str(WRONG_CODE)


def _qr_code(uri: str) -> SafeString:
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title=_("QR code to scan with an authenticator app")
    )
    return mark_safe(svg)  # segno writes the SVG and escapes the title into it


def _two_factor_page(
    request: HttpRequest, form: AuthenticatorCodeForm | None = None, status: int = 200
) -> HttpResponse:
    person = _person(request)
    device = totp_device_of(user=person, confirmed=True)
    pending = None if device else totp_device_of(user=person, confirmed=False)
    context: dict[str, Any] = {
        "device": device,
        "pending": pending,
        "required": is_required_for(request.user),
        "form": form or AuthenticatorCodeForm(),
        "next": _next(request, ""),
    }
    if pending is not None:
        context.update(
            qr_svg=_qr_code(pending.config_url),
            manual_key=base64.b32encode(pending.bin_key).decode(),
            otpauth_uri=pending.config_url,
        )
    return render(request, "accounts/two_factor.html", context, status=status)


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Whether two-step sign-in is on; GET shows it, POST starts setting up an authenticator."""
    if request.method == "POST":
        totp_device_start(user=_person(request))
        target = reverse("accounts:two-factor")
        wanted = _next(request, "")
        query = f"?{urlencode({'next': wanted})}" if wanted else ""
        return HttpResponseRedirect(f"{target}{query}")
    return _two_factor_page(request)


@require_POST
@login_required
def two_factor_confirm_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticatorCodeForm(request.POST)
    device: TOTPDevice | None = totp_device_of(user=_person(request), confirmed=False)
    if device is None:
        return HttpResponseRedirect(reverse("accounts:two-factor"))
    if form.is_valid():
        if totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            return HttpResponseRedirect(_next(request, reverse("accounts:two-factor")))
        form.add_error("code", _code_refused(_person(request)))
    return _two_factor_page(request, form, status=422)


@require_POST
@login_required
def two_factor_remove_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticatorCodeForm(request.POST)
    if form.is_valid():
        if totp_device_remove(user=_person(request), code=form.cleaned_data["code"]):
            messages.success(request, _("The authenticator is removed; two-step sign-in is off."))
            return HttpResponseRedirect(reverse("accounts:two-factor"))
        form.add_error("code", _code_refused(_person(request)))
    return _two_factor_page(request, form, status=422)


@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the person's authenticator."""
    home = reverse(settings.LOGIN_REDIRECT_URL)
    if not session_awaits_second_factor(request):
        return HttpResponseRedirect(_next(request, home))
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next(request, home))
        form.add_error("code", _code_refused(_person(request)))
    status = 422 if form.errors else 200
    context = {"form": form, "next": _next(request, "")}
    return render(request, "accounts/two_factor_verify.html", context, status=status)

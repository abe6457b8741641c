"""The versioned REST API: one router per app, an OpenAPI document at /api/v1/openapi.json.

Every error answers `{"detail": ...}` in the language the client asks for (Accept-Language);
a rejected import adds `errors`, one per bad row. The document lists every error status of every
operation with its shape (welcoming.api.errors).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from welcoming.accounts.api import router as accounts
from welcoming.accounts.auth import ScopeRefused
from welcoming.connections.api import router as connections
from welcoming.connections.workflow_api import router as connection_workflow
from welcoming.core.api import router as communities
from welcoming.core.uploads import UploadTooLarge
from welcoming.directory.api import router as hsds
from welcoming.directory.openapi import hsds_document
from welcoming.framework.api import router as framework
from welcoming.indicators.api import imports, values
from welcoming.indicators.api import router as indicators
from welcoming.scorecards.api import router as scorecards

from .errors import errors_document


class WelcomingAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return errors_document(hsds_document(super().get_openapi_schema(**kwargs)))


api = WelcomingAPI(
    title="Welcoming API",
    version="1",
    urls_namespace="api-1",
    description=(
        "Communities, the welcoming-community framework, indicators and their values, in "
        "English and French. Reading is public; importing needs an API token "
        "(`Authorization: Bearer <token>`) or a signed-in session with its CSRF token.\n\n"
        "A token has scopes: `read` for what needs a person, and one `write:<app>` scope per "
        "kind of change (`write:indicators` to import values, `write:scorecards` to change "
        "scoring profiles, `write:framework`, `write:connections` for connection programs and "
        "profiles, `write:directory` to keep the directory's services and organizations). An "
        "unknown, revoked or expired token answers "
        "401; a token without the scope an operation needs answers 403 "
        '`{"detail": ..., "required_scope": "write:indicators"}`. People create and revoke '
        "their tokens on the page “My API tokens”."
    ),
)
api.add_router("/communities", communities)
api.add_router("/framework", framework)
api.add_router("/indicators", indicators)
api.add_router("/values", values)
api.add_router("/imports", imports)
api.add_router("/accounts", accounts)
api.add_router("/scorecards", scorecards)
api.add_router("/connections", connections)
api.add_router("/connections", connection_workflow)
api.add_router("/hsds", hsds)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    detail = _("Sign in, or send an API token in the header “Authorization: Bearer <token>”.")
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="welcoming"'
    return response


@api.exception_handler(ScopeRefused)
def scope_refused(request: HttpRequest, error: ScopeRefused) -> HttpResponse:
    body = {"detail": str(error), "required_scope": error.scope}
    return api.create_response(request, body, status=403)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    detail = str(error) or _("You may not do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    detail = str(error) or _("Nothing was found at this address.")
    return api.create_response(request, {"detail": detail}, status=404)


@api.exception_handler(UploadTooLarge)
def upload_too_large(request: HttpRequest, error: UploadTooLarge) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=413)

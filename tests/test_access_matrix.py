"""Who gets what at every address: each URL pattern (both languages) and each API operation,
for every role in the installation's organization and in an ordinary one, on their own
organization and on another, and for an anonymous visitor.

A route with no expectation below fails `test_every_route_has_an_expectation`: a new page,
admin model or API operation must say who may use it.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult, get_date_max

from tests.connections.matrix import (
    WORKFLOW_API,
    connections_api_request,
    connections_pages,
    connections_records,
    workflow_api_request,
    workflow_pages,
)
from tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ProgramFactory,
    ServiceFactory,
    TaxonomyTermFactory,
    UserFactory,
)
from tests.slices import load_real_slice
from welcoming.accounts.models import ApiToken, ConsentPurpose, Membership, Role, Scope, User
from welcoming.accounts.services import (
    api_token_create,
    consent_give,
    membership_grant,
    operator_user,
)
from welcoming.api import api
from welcoming.core.models import Community, Organization
from welcoming.core.roles import DATA_MANAGERS, SERVING_ROLES
from welcoming.directory.models import (
    DuplicateDismissal,
    FeedImportJob,
    ImportRun,
    OrganizationIdentifier,
    ServiceAtLocation,
    ServiceMerge,
    Taxonomy,
    TermMapping,
    Verification,
)
from welcoming.indicators.models import ImportBatch, ImportJob, IndicatorValue
from welcoming.scorecards.services import scoring_profile_save

HOMES = ("installation", "ordinary")
DIRECTORY_FACTORIES = {
    "directory.service": ServiceFactory,
    "directory.location": LocationFactory,
    "directory.program": ProgramFactory,
    "directory.organizationidentifier": lambda organization: OrganizationIdentifier.objects.create(
        organization=organization, identifier_type="Sample charity number", identifier="0"
    ),
}


@dataclass(frozen=True)
class Subject:
    role: Role | None  # None: an anonymous visitor
    home: str = "ordinary"  # where the role is held

    def __str__(self) -> str:
        return "anonymous" if self.role is None else f"{self.role.value}@{self.home}"


SUBJECTS = [Subject(None)] + [Subject(role, home) for role in Role for home in HOMES]

# Who may: functions of (subject, target) where target is "own" or "other" organization.
Rule = Callable[[Subject, str], bool]


def everyone(s: Subject, t: str) -> bool:
    return True


def signed_in(s: Subject, t: str) -> bool:
    return s.role is not None


def nobody(s: Subject, t: str) -> bool:
    return False


def installation_data_managers(s: Subject, t: str) -> bool:
    return s.role in DATA_MANAGERS and s.home == "installation"


def installation_administrators(s: Subject, t: str) -> bool:
    return s.role == Role.ADMINISTRATOR and s.home == "installation"


def data_managers_anywhere(s: Subject, t: str) -> bool:
    return s.role in DATA_MANAGERS


def administrators_anywhere(s: Subject, t: str) -> bool:
    return s.role == Role.ADMINISTRATOR


def own_administrators(s: Subject, t: str) -> bool:
    return (s.role == Role.ADMINISTRATOR and t == "own") or installation_administrators(s, t)


def own_data_managers(s: Subject, t: str) -> bool:
    return (s.role in DATA_MANAGERS and t == "own") or installation_data_managers(s, t)


def serving_anywhere(s: Subject, t: str) -> bool:
    """Agency staff and administrators serve newcomers in their organization (connections)."""
    return s.role in SERVING_ROLES


def own_serving(s: Subject, t: str) -> bool:
    """Only the serving staff of the record's own organization: not even the installation's."""
    return s.role in SERVING_ROLES and t == "own"


def own_administrators_only(s: Subject, t: str) -> bool:
    return s.role == Role.ADMINISTRATOR and t == "own"


def newcomers(s: Subject, t: str) -> bool:
    return s.role == Role.NEWCOMER


def counts_readers(s: Subject, t: str) -> bool:
    return s.role == Role.FUNDER_OFFICER or serving_anywhere(s, t)


# --- the table ----------------------------------------------------------------------------------

PAGES: dict[str, Rule] = {
    "set_language": everyone,
    "accounts:login": everyone,
    "accounts:logout": everyone,
    "accounts:organization-list": administrators_anywhere,
    "accounts:membership-list": own_administrators,
    "accounts:membership-remove": own_administrators,
    # One's own account: password, second factor, API tokens.
    "accounts:password_change": signed_in,
    "accounts:password_change_done": signed_in,
    "accounts:two-factor": signed_in,
    "accounts:two-factor-confirm": signed_in,
    "accounts:two-factor-remove": signed_in,
    "accounts:two-factor-verify": signed_in,
    "accounts:api-tokens": signed_in,
    "accounts:api-token-revoke": signed_in,
    # A forgotten password: before signing in, so anyone.
    "accounts:password_reset": everyone,
    "accounts:password_reset_done": everyone,
    "accounts:password_reset_confirm": everyone,
    "accounts:password_reset_complete": everyone,
    "favicon": everyone,
    # The directory's stewards: each page shows (or acts on) only the records one may change.
    "stewardship:service-list": data_managers_anywhere,
    "stewardship:service-add": data_managers_anywhere,
    "stewardship:duplicate-list": data_managers_anywhere,
    "stewardship:service-edit": own_data_managers,
    "stewardship:service-verify": own_data_managers,
    "stewardship:service-review": own_data_managers,
    "stewardship:service-merge": own_data_managers,
    "stewardship:duplicate-dismiss": own_data_managers,
    "stewardship:import-list": installation_data_managers,
    "stewardship:import-job": installation_data_managers,
    "health": everyone,  # the load balancer's check: nothing in it but "ok" or "failing"
    "indicators:import-list": installation_data_managers,
    "indicators:import-job": installation_data_managers,
    "framework:overview": everyone,
    "indicators:community-profile": everyone,
    "scorecards:compare": everyone,
    "scorecards:methodology": everyone,
    "scorecards:profile-edit": installation_data_managers,
    "scorecards:finder": everyone,
    "scorecards:scorecard": everyone,
    "scorecards:scorecard-chart": everyone,
    "scorecards:scorecard-pdf": everyone,
    # The public directory: anonymous and read-only.
    "directory:search": everyone,
    "directory:search-print": everyone,
    "directory:service-detail": everyone,
    "directory:organization-detail": everyone,
    "directory:welcome-centre-list": everyone,
    "directory:welcome-centre": everyone,
    "directory:welcome-centre-pdf": everyone,
    "core:home": everyone,
    "core:community-list": everyone,
    # Connections: each organization's serving staff, its records only; newcomers their own.
    "connections:program-list": serving_anywhere,
    "connections:program-create": serving_anywhere,
    "connections:program-detail": own_serving,
    "connections:program-edit": own_serving,
    "connections:newcomer-list": serving_anywhere,
    "connections:newcomer-create": serving_anywhere,
    "connections:newcomer-detail": own_serving,
    "connections:newcomer-edit": own_serving,
    "connections:host-list": serving_anywhere,
    "connections:host-create": serving_anywhere,
    "connections:host-detail": own_serving,
    "connections:host-edit": own_serving,
    # A person's data on request: exported and erased by the staff who serve them.
    "connections:newcomer-export": own_serving,
    "connections:newcomer-erase": own_serving,
    "connections:host-export": own_serving,
    "connections:host-erase": own_serving,
    "connections:sign-up": everyone,
    "connections:my-profile": newcomers,
    "connections:counts": counts_readers,
    "api-1:openapi-json": everyone,
    "api-1:openapi-view": everyone,
    "api-1:api-root": nobody,  # django-ninja's root page answers 404 unless DEBUG is on
    # The admin site's own pages: its staff are the administrators and data stewards.
    "admin:index": data_managers_anywhere,
    "admin:login": everyone,
    "admin:logout": everyone,
    "admin:password_change": data_managers_anywhere,
    "admin:password_change_done": data_managers_anywhere,
    "admin:jsi18n": data_managers_anywhere,
    "admin:autocomplete": data_managers_anywhere,
    "admin:view_on_site": everyone,  # a redirect to the object's public page
    # An authenticator's secret, as a page and as a QR code (django-otp's admin).
    "admin:otp_totp_totpdevice_config": nobody,  # OTP_ADMIN_HIDE_SENSITIVE_DATA: no secret shown
    "admin:otp_totp_totpdevice_qrcode": nobody,
    # The coordinator's workflow: the program's organization's staff; the people in a match
    # see it too (tests/connections), and a confirmation link works for whoever holds it.
    "connections:run-list": own_serving,
    "connections:run-detail": own_serving,
    "connections:match-swap": own_serving,
    "connections:match-detail": own_serving,
    "connections:match-decide": own_serving,
    "connections:interaction-log": own_serving,
    "connections:feedback-give": own_serving,
    "connections:match-confirm": everyone,
    "connections:my-matches": signed_in,
    "connections:activity-list": own_serving,
    "connections:activity-detail": own_serving,
}
APP_LISTS: dict[str, Rule] = {
    "accounts": installation_administrators,
    "core": data_managers_anywhere,
    "framework": data_managers_anywhere,
    "indicators": data_managers_anywhere,
    "scorecards": data_managers_anywhere,
    "connections": administrators_anywhere,
    "directory": data_managers_anywhere,
    "axes": installation_administrators,
    "otp_totp": installation_administrators,
    "django_tasks_database": installation_administrators,
}


@dataclass(frozen=True)
class AdminRules:
    view: Rule
    add: Rule
    change: Rule
    delete: Rule
    per_organization: bool = False  # the object is the target organization
    listing: Rule | None = None  # the changelist, when it differs from viewing one object


SHARED = AdminRules(
    data_managers_anywhere,
    installation_data_managers,
    installation_data_managers,
    installation_data_managers,
)
ACCOUNTS = AdminRules(
    installation_administrators,
    installation_administrators,
    installation_administrators,
    installation_administrators,
)
# Written by sign-ins only (django-axes' admin adds none); the installation's administrators see
# and clear them.
SIGN_INS = AdminRules(
    installation_administrators,
    nobody,
    installation_administrators,
    installation_administrators,
)
# Newcomers' data: an organization's own administrators (the admin's staff), their records only.
CONNECTIONS = AdminRules(
    own_administrators_only,
    administrators_anywhere,
    own_administrators_only,
    own_administrators_only,
    listing=administrators_anywhere,
)
ADMIN_MODELS: dict[str, AdminRules] = {
    "accounts.user": ACCOUNTS,
    "accounts.membership": ACCOUNTS,
    "accounts.apitoken": ACCOUNTS,
    # Consents: given and withdrawn through the service only; the admin shows them.
    "accounts.consent": AdminRules(installation_administrators, nobody, nobody, nobody),
    # Sign-in records (django-axes).
    "axes.accessattempt": SIGN_INS,
    "axes.accessfailurelog": SIGN_INS,
    "axes.accesslog": SIGN_INS,
    "otp_totp.totpdevice": ACCOUNTS,
    # Background tasks: django-tasks' admin is read-only.
    "django_tasks_database.dbtaskresult": AdminRules(
        installation_administrators, nobody, nobody, nobody
    ),
    "core.community": SHARED,
    "core.organization": AdminRules(
        data_managers_anywhere,
        installation_data_managers,
        own_data_managers,
        installation_administrators,
        per_organization=True,
    ),
    "framework.framework": SHARED,
    "framework.characteristicgroup": SHARED,
    "framework.characteristic": SHARED,
    "framework.qolrscategory": SHARED,
    "indicators.indicator": SHARED,
    "indicators.indicatorvalue": SHARED,
    # Provenance: written by imports only.
    "indicators.importbatch": AdminRules(
        installation_data_managers, nobody, nobody, installation_data_managers
    ),
    # Import jobs: started by an upload only.
    "indicators.importjob": AdminRules(
        installation_data_managers, nobody, nobody, installation_data_managers
    ),
    # The directory: an organization's own data managers keep its services, sites and programs;
    # the installation's keep the shared taxonomies and see the imports of whole feeds.
    **{
        f"directory.{name}": AdminRules(
            data_managers_anywhere,
            data_managers_anywhere,  # the form; the record saved must be their organization's
            own_data_managers,
            own_data_managers,
            per_organization=True,
        )
        for name in ("service", "location", "program", "organizationidentifier")
    },
    "directory.taxonomy": SHARED,
    "directory.taxonomyterm": SHARED,
    "directory.importrun": AdminRules(
        installation_data_managers, nobody, nobody, installation_data_managers
    ),
    # Stewardship: term mappings are shared like the taxonomies; verifications and merges are
    # written by the stewards' services only.
    "directory.termmapping": SHARED,
    "directory.verification": AdminRules(data_managers_anywhere, nobody, nobody, nobody),
    "directory.servicemerge": AdminRules(data_managers_anywhere, nobody, nobody, nobody),
    "directory.duplicatedismissal": AdminRules(data_managers_anywhere, nobody, nobody, nobody),
    "directory.feedimportjob": AdminRules(
        installation_data_managers, nobody, nobody, installation_data_managers
    ),
    # Versions: written by the scoring-profile service only.
    "scorecards.scoringprofile": AdminRules(data_managers_anywhere, nobody, nobody, nobody),
    **{
        f"connections.{model}": CONNECTIONS
        for model in (
            "program",
            "newcomerprofile",
            "hostprofile",
            "matchrun",
            "match",
            "interaction",
            "feedback",
            "groupactivity",
            "newcomerlanguage",
            "hostlanguage",
            "matchhost",
            "attendance",
        )
    },
}

API: dict[str, Rule] = {
    "GET /api/v1/communities": everyone,
    "GET /api/v1/communities/{code}": everyone,
    "GET /api/v1/framework/frameworks": everyone,
    "GET /api/v1/framework/frameworks/{code}": everyone,
    "GET /api/v1/framework/characteristics": everyone,
    "GET /api/v1/framework/qolrs-categories": everyone,
    "GET /api/v1/indicators": everyone,
    "GET /api/v1/indicators/{code}": everyone,
    "GET /api/v1/values": everyone,
    "POST /api/v1/imports": installation_data_managers,
    "GET /api/v1/imports": installation_data_managers,
    "GET /api/v1/accounts/me": signed_in,
    "GET /api/v1/accounts/me/consents": signed_in,
    "POST /api/v1/accounts/me/consents": signed_in,
    "POST /api/v1/accounts/me/consents/{consent_id}/withdraw": signed_in,
    "POST /api/v1/imports/jobs": installation_data_managers,
    "GET /api/v1/imports/jobs/{job_id}": installation_data_managers,
    "GET /api/v1/scorecards/profiles": everyone,
    "GET /api/v1/scorecards/profiles/{name}": everyone,
    "POST /api/v1/scorecards/profiles/{name}": installation_data_managers,
    "GET /api/v1/scorecards/compare": everyone,
    "GET /api/v1/scorecards/{code}": everyone,
    "GET /api/v1/connections/programs": signed_in,  # empty unless the person serves newcomers
    "POST /api/v1/connections/programs": own_serving,
    "GET /api/v1/connections/programs/{program_id}": own_serving,
    "PUT /api/v1/connections/programs/{program_id}": own_serving,
    "GET /api/v1/connections/newcomers": signed_in,
    "POST /api/v1/connections/newcomers": own_serving,
    "GET /api/v1/connections/newcomers/{profile_id}": own_serving,
    "PUT /api/v1/connections/newcomers/{profile_id}": own_serving,
    "GET /api/v1/connections/hosts": signed_in,
    "POST /api/v1/connections/hosts": own_serving,
    "GET /api/v1/connections/hosts/{profile_id}": own_serving,
    "PUT /api/v1/connections/hosts/{profile_id}": own_serving,
    "GET /api/v1/connections/newcomers/{profile_id}/export": own_serving,
    "POST /api/v1/connections/newcomers/{profile_id}/erase": own_serving,
    "GET /api/v1/connections/hosts/{profile_id}/export": own_serving,
    "POST /api/v1/connections/hosts/{profile_id}/erase": own_serving,
    "POST /api/v1/connections/programs/{program_id}/runs": own_serving,
    "GET /api/v1/connections/runs/{run_id}": own_serving,
    "GET /api/v1/connections/programs/{program_id}/matches": own_serving,
    "GET /api/v1/connections/matches/{match_id}": own_serving,
    "POST /api/v1/connections/matches/{match_id}/decide": own_serving,
    "GET /api/v1/connections/matches/{match_id}/interactions": own_serving,
    "POST /api/v1/connections/matches/{match_id}/interactions": own_serving,
    "POST /api/v1/connections/runs/{run_id}/swap": own_serving,
    "GET /api/v1/connections/counts": counts_readers,
    # The directory as HSDS 3.0: public, as the directory's pages are.
    **{
        f"GET /api/v1/hsds{path}": everyone
        for path in (
            "/",
            "/services",
            "/services/{id}",
            "/organizations",
            "/organizations/{id}",
            "/taxonomies",
            "/taxonomies/{id}",
            "/taxonomy_terms",
            "/taxonomy_terms/{id}",
            "/service_at_locations",
            "/service_at_locations/{id}",
        )
    },
    # Stewards write their organization's services and details; the installation's data
    # managers every organization's, and only they add organizations.
    "POST /api/v1/hsds/services": own_data_managers,
    "PUT /api/v1/hsds/services/{id}": own_data_managers,
    "POST /api/v1/hsds/services/{id}/deactivate": own_data_managers,
    "POST /api/v1/hsds/organizations": installation_data_managers,
    "PUT /api/v1/hsds/organizations/{id}": own_data_managers,
    "POST /api/v1/hsds/organizations/{id}/deactivate": own_data_managers,
}

ADMIN_ACTIONS = ("changelist", "add", "change", "delete", "history")
API_OPERATION_NAMES = "api-1:"  # operations are listed by method and path in API


# --- the routes that exist ----------------------------------------------------------------------


def _url_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def _api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def _has_history(label: str) -> bool:
    from django.apps import apps

    return hasattr(apps.get_model(label), "history")


def _admin_url_names() -> set[str]:
    names = {"admin:auth_user_password_change"}  # Django's UserAdmin names it so
    for label in ADMIN_MODELS:
        app, model = label.split(".")
        names |= {f"admin:{app}_{model}_{action}" for action in ADMIN_ACTIONS}
        if _has_history(label):
            names.add(f"admin:{app}_{model}_simple_history")
    return names


def _expected_names() -> set[str]:
    # "admin:None": the admin's last pattern, which catches every other address, has no name.
    return set(PAGES) | _admin_url_names() | {"admin:app_list", "admin:None"}


def test_every_route_has_an_expectation() -> None:
    with translation.override("en"):
        names = set(_url_names(get_resolver().url_patterns))
    operations = {n for n in names if n.startswith(API_OPERATION_NAMES)} - set(PAGES)
    names -= operations
    assert names - _expected_names() == set(), "routes without an expectation"
    assert _api_operations() ^ set(API) == set(), "API operations without an expectation"
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered ^ set(ADMIN_MODELS) == set(), "admin models without an expectation"
    assert set(APP_LISTS) == {label.split(".")[0] for label in registered}


# --- asking every route -------------------------------------------------------------------------


@dataclass
class World:
    organizations: dict[str, Organization]  # installation, ordinary, other
    people: dict[Subject, User]
    objects: dict[str, Any]


@pytest.fixture
def world(db: None) -> World:
    load_real_slice()
    scoring_profile_save(actor=operator_user(), name="default")
    organizations = {
        "installation": OrganizationFactory(is_installation=True),
        "ordinary": OrganizationFactory(),
        "other": OrganizationFactory(),
    }
    people = {}
    for subject in SUBJECTS[1:]:
        user = UserFactory(username=f"synthetic-{subject}".replace("@", "-at-"))
        membership_grant(
            actor=operator_user(),
            user=user,
            organization=organizations[subject.home],
            role=subject.role,
        )
        people[subject] = user
    for organization in organizations.values():  # every organization keeps an administrator
        membership_grant(
            actor=operator_user(),
            user=UserFactory(),
            organization=organization,
            role=Role.ADMINISTRATOR,
        )
    token, _secret = api_token_create(user=UserFactory(), name="synthetic")
    someone = UserFactory()
    sign_in = {
        "user_agent": "synthetic",
        "ip_address": "192.0.2.1",
        "username": someone.username,
        "http_accept": "text/html",
        "path_info": "/en/accounts/login/",
    }
    objects = {
        "accounts.user": UserFactory(),
        "accounts.membership": Membership.objects.first(),
        "accounts.apitoken": token,
        "accounts.consent": consent_give(
            person=someone, purpose=ConsentPurpose.CONTACT, notice_version="1", actor=someone
        ),
        "axes.accessattempt": AccessAttempt.objects.create(
            **sign_in, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**sign_in),
        "axes.accesslog": AccessLog.objects.create(**sign_in),
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=someone, name="synthetic", confirmed=True
        ),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            task_path="welcoming.indicators.tasks.import_job_run_task",
            args_kwargs={"args": [], "kwargs": {"job_id": 0}},
            backend_name="default",
            run_after=get_date_max(),
        ),
        "core.community": Community.objects.get(code="3520005"),
        "indicators.importbatch": ImportBatch.objects.first(),
        "indicators.importjob": ImportJob.objects.create(
            file_name="values.csv",
            format=ImportBatch.Format.TIDY,
            stored_as="uploads/synthetic.upload",
            created_by=someone,
            status=ImportJob.Status.DONE,
            phase=ImportJob.Phase.FINISHED,
        ),
        "indicators.indicatorvalue": IndicatorValue.objects.first(),
        "directory.taxonomy": Taxonomy.objects.create(name_en="Sample", name_fr="Exemple"),
        "directory.taxonomyterm": TaxonomyTermFactory(),
        "directory.importrun": ImportRun.objects.create(
            source="sample", format=ImportRun.Format.HSDS3, file_name="sample.json", sha256="0"
        ),
        "directory.feedimportjob": FeedImportJob.objects.create(
            file_name="sample.json",
            stored_as="uploads/synthetic.json",
            created_by=someone,
            status=FeedImportJob.Status.DONE,
            phase=FeedImportJob.Phase.FINISHED,
        ),
    }
    objects.update(connections_records(organizations, people, someone))
    for label, factory in DIRECTORY_FACTORIES.items():
        objects[label] = {o.pk: factory(organization=o) for o in organizations.values()}
    objects.update(_stewardship_objects(objects, someone))
    return World(organizations, people, objects)


def _stewardship_objects(objects: dict[str, Any], someone: User) -> dict[str, Any]:
    """A verification, a merge and a term mapping, and a second service per organization (the
    pair a merge page compares)."""
    services = objects["directory.service"]
    term = objects["directory.taxonomyterm"]
    one = next(iter(services.values()))
    return {
        "directory.termmapping": TermMapping.objects.create(
            term=term, target=TaxonomyTermFactory()
        ),
        "directory.verification": Verification.objects.create(
            service=one, verified_on="2026-01-05", verified_by=someone
        ),
        "directory.servicemerge": ServiceMerge.objects.create(
            kept=one, merged_hsds_id=one.hsds_id, merged_name="Sample duplicate", merged_by=someone
        ),
        "directory.duplicatedismissal": DuplicateDismissal.objects.create(
            first=one, second=ServiceFactory(organization=one.organization), dismissed_by=someone
        ),
        "twin services": {
            pk: ServiceFactory(organization=service.organization)
            for pk, service in services.items()
        },
    }


def _target_organization(world: World, subject: Subject, target: str) -> Organization:
    if target == "own":
        return world.organizations[subject.home]
    return world.organizations["other"]


def _client(world: World, subject: Subject) -> Client:
    client = Client()
    if subject.role is not None:
        client.force_login(world.people[subject])
    return client


def _denied(response: Any) -> bool:
    # 404: the admin hides an application from whoever may see none of its models.
    if response.status_code in {401, 403, 404}:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return "/login/" in location


def _model_object(world: World, label: str, organization: Organization) -> Any:
    if label == "core.organization":
        return organization
    if (label, organization.pk) in world.objects:  # a record of the target organization
        return world.objects[(label, organization.pk)]
    if ADMIN_MODELS[label].per_organization:  # the target organization's own record
        return world.objects[label][organization.pk]
    if label in world.objects:
        return world.objects[label]
    from django.apps import apps

    return apps.get_model(label).objects.first()


def _admin_requests(world: World, subject: Subject, target: str, lang: str) -> Iterator[tuple]:
    organization = _target_organization(world, subject, target)
    for label, rules in ADMIN_MODELS.items():
        app, model = label.split(".")
        obj = _model_object(world, label, organization)
        base = f"admin:{app}_{model}"
        listing = rules.listing or rules.view
        yield f"{base}_changelist", "get", reverse(f"{base}_changelist"), None, listing
        yield f"{base}_add", "get", reverse(f"{base}_add"), None, rules.add
        change = reverse(f"{base}_change", args=[obj.pk])
        yield f"{base}_change", "get", change, None, rules.view
        # An empty form changes nothing: 403 without the permission, the form again with it.
        yield f"{base}_change (save)", "post", change, {}, rules.change
        yield f"{base}_delete", "get", reverse(f"{base}_delete", args=[obj.pk]), None, rules.delete
        yield f"{base}_history", "get", reverse(f"{base}_history", args=[obj.pk]), None, rules.view
        if _has_history(label):
            if not obj.history.exists():
                obj.save()  # rows bulk-inserted by an import have no history until changed
            record = obj.history.first().history_id
            url = reverse(f"{base}_simple_history", args=[obj.pk, record])
            yield f"{base}_simple_history", "get", url, None, rules.view
    user = world.objects["accounts.user"]
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    yield "admin:auth_user_password_change", "get", url, None, ACCOUNTS.change
    for app, rule in APP_LISTS.items():
        yield "admin:app_list", "get", reverse("admin:app_list", args=[app]), None, rule


def _page_requests(world: World, subject: Subject, target: str) -> Iterator[tuple]:
    organization = _target_organization(world, subject, target)

    def fresh_membership() -> int:
        return Membership.objects.create(
            user=UserFactory(), organization=organization, role=Role.VOLUNTEER
        ).pk

    def own_token() -> int:  # an anonymous visitor tries another person's
        owner = world.people.get(subject) or world.objects["accounts.apitoken"].user
        return api_token_create(user=owner, name="to revoke")[0].pk

    pk = organization.pk
    yield "set_language", "post", reverse("set_language"), {"language": "fr"}, everyone
    yield "accounts:login", "get", reverse("accounts:login"), None, everyone
    yield "accounts:organization-list", "get", reverse("accounts:organization-list"), None, None
    yield (
        "accounts:membership-list",
        "get",
        reverse("accounts:membership-list", args=[pk]),
        None,
        None,
    )
    yield (
        "accounts:membership-remove",
        "post",
        reverse("accounts:membership-remove", args=[pk, fresh_membership()]),
        {},
        None,
    )
    for name in (
        "accounts:password_change",
        "accounts:password_change_done",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
        "accounts:two-factor",
        "accounts:two-factor-verify",  # no second step awaited: on to the home page
        "accounts:api-tokens",
    ):
        yield name, "get", reverse(name), None, None
    # A link that is not (or no longer) valid: the page says so.
    reset = reverse("accounts:password_reset_confirm", args=["MQ", "cxyz-0123456789abcdef"])
    yield "accounts:password_reset_confirm", "get", reset, None, None
    # Empty forms: no authenticator being set up (back to the page), a wrong code (422).
    yield "accounts:two-factor-confirm", "post", reverse("accounts:two-factor-confirm"), {}, None
    yield "accounts:two-factor-remove", "post", reverse("accounts:two-factor-remove"), {}, None
    yield (
        "accounts:api-token-revoke",
        "post",
        reverse("accounts:api-token-revoke", args=[own_token()]),
        {},
        None,
    )
    yield "favicon", "get", reverse("favicon"), None, None
    yield from _stewardship_requests(world, organization)
    yield "health", "get", reverse("health"), None, None
    yield "indicators:import-list", "get", reverse("indicators:import-list"), None, None
    job = world.objects["indicators.importjob"].pk
    yield "indicators:import-job", "get", reverse("indicators:import-job", args=[job]), None, None
    yield "framework:overview", "get", reverse("framework:overview"), None, None
    yield (
        "indicators:community-profile",
        "get",
        reverse("indicators:community-profile", args=["3520005"]),
        None,
        None,
    )
    yield "scorecards:compare", "get", reverse("scorecards:compare") + "?codes=535", None, None
    yield (
        "scorecards:methodology",
        "get",
        reverse("scorecards:methodology", args=["default"]),
        None,
        None,
    )
    yield (
        "scorecards:profile-edit",
        "get",
        reverse("scorecards:profile-edit", args=["default"]),
        None,
        None,
    )
    yield "scorecards:finder", "get", reverse("scorecards:finder"), None, None
    yield "scorecards:scorecard", "get", reverse("scorecards:scorecard", args=["535"]), None, None
    yield (
        "scorecards:scorecard-chart",
        "get",
        reverse("scorecards:scorecard-chart", args=["535"]),
        None,
        None,
    )
    yield (
        "scorecards:scorecard-pdf",
        "get",
        reverse("scorecards:scorecard-pdf", args=["535"]),
        None,
        None,
    )
    yield from connections_pages(world.objects, organization)
    service = world.objects["directory.service"][organization.pk]
    for name, args in (
        ("directory:search", []),
        ("directory:search-print", []),
        ("directory:service-detail", [service.hsds_id]),
        ("directory:organization-detail", [organization.hsds_id]),
        ("directory:welcome-centre-list", []),
        ("directory:welcome-centre", ["3520005"]),
        ("directory:welcome-centre-pdf", ["3520005"]),
    ):
        yield name, "get", reverse(name, args=args) + "?q=sample&near=M5V", None, None
    yield "core:home", "get", reverse("core:home"), None, None
    yield "core:community-list", "get", reverse("core:community-list"), None, None
    yield "api-1:openapi-json", "get", reverse("api-1:openapi-json"), None, None
    yield "api-1:openapi-view", "get", reverse("api-1:openapi-view"), None, None
    yield "api-1:api-root", "get", reverse("api-1:api-root"), None, None
    yield "admin:index", "get", reverse("admin:index"), None, None
    yield "admin:login", "get", reverse("admin:login"), None, None
    yield "admin:password_change", "get", reverse("admin:password_change"), None, None
    yield "admin:password_change_done", "get", reverse("admin:password_change_done"), None, None
    yield "admin:jsi18n", "get", reverse("admin:jsi18n"), None, None
    autocomplete = reverse("admin:autocomplete") + (
        "?app_label=core&model_name=organization&field_name=community"
    )
    yield "admin:autocomplete", "get", autocomplete, None, None
    yield "admin:None", "get", reverse("admin:index") + "no-such-page/", None, None
    device = world.objects["otp_totp.totpdevice"].pk
    for name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        yield name, "get", reverse(name, args=[device]), None, None
    yield from workflow_pages(world.objects, organization)
    # Signing out last: the session ends with it.
    yield "admin:logout", "post", reverse("admin:logout"), {}, None
    yield "accounts:logout", "post", reverse("accounts:logout"), {}, None


def _stewardship_requests(world: World, organization: Organization) -> Iterator[tuple]:
    service = world.objects["directory.service"][organization.pk].pk
    twin = world.objects["twin services"][organization.pk].pk
    for name in ("service-list", "service-add", "duplicate-list"):
        yield f"stewardship:{name}", "get", reverse(f"stewardship:{name}"), None, None
    for name in ("service-edit", "service-verify", "service-review"):
        url = reverse(f"stewardship:{name}", args=[service])
        yield f"stewardship:{name}", "get", url, None, None
        yield f"stewardship:{name}", "post", url, {}, None  # an empty form: nothing changes
    merge = reverse("stewardship:service-merge", args=[service, twin])
    yield "stewardship:service-merge", "get", merge, None, None
    yield "stewardship:service-merge", "post", merge, {}, None
    dismiss = reverse("stewardship:duplicate-dismiss", args=[service, twin])
    yield "stewardship:duplicate-dismiss", "post", dismiss, {}, None
    yield "stewardship:import-list", "get", reverse("stewardship:import-list"), None, None
    job = world.objects["directory.feedimportjob"].pk
    yield "stewardship:import-job", "get", reverse("stewardship:import-job", args=[job]), None, None


CATCH_ALL: Rule = nobody  # a staff member gets 404, anyone else the login


def _api_requests(world: World, subject: Subject) -> Iterator[tuple]:
    one_value = (
        "community_code,indicator_code,period,value,status\n3520005,population,2016,2731571,\n"
    )

    def own_consent() -> int:  # an anonymous visitor tries another person's
        consent = world.objects["accounts.consent"]
        person = world.people.get(subject) or consent.user
        return consent_give(
            person=person, purpose=ConsentPurpose.SURVEYS, notice_version="1", actor=person
        ).pk

    job = world.objects["indicators.importjob"].pk
    home = world.organizations[subject.home]
    service = world.objects["directory.service"][home.pk]
    at_location, _new = ServiceAtLocation.objects.get_or_create(
        service=service, location=world.objects["directory.location"][home.pk]
    )
    hsds_ids = {
        "/api/v1/hsds/services/{id}": service.hsds_id,
        "/api/v1/hsds/organizations/{id}": home.hsds_id,
        "/api/v1/hsds/taxonomies/{id}": world.objects["directory.taxonomy"].hsds_id,
        "/api/v1/hsds/taxonomy_terms/{id}": world.objects["directory.taxonomyterm"].hsds_id,
        "/api/v1/hsds/service_at_locations/{id}": at_location.hsds_id,
    }
    for operation in API:
        method, path = operation.split(" ", 1)
        if operation in WORKFLOW_API:
            yield workflow_api_request(world.objects, home, operation)
            continue
        if "/connections/" in path:
            yield connections_api_request(world.objects, home, operation)
            continue
        if operation.startswith("GET /api/v1/hsds/") and path in hsds_ids:
            yield operation, "get", path.format(id=hsds_ids[path]), None, None
            continue
        if path.startswith("/api/v1/hsds/") and method != "GET":
            yield _hsds_write(operation, hsds_ids, home)
            continue
        if operation == "POST /api/v1/accounts/me/consents/{consent_id}/withdraw":
            yield operation, "post", path.format(consent_id=own_consent()), None, None
            continue
        url = path.format(code="535", name="default", job_id=job)
        if operation in {"POST /api/v1/imports", "POST /api/v1/imports/jobs"}:
            data = {"file": io.BytesIO(one_value.encode()), "format": "tidy"}
            data["file"].name = "values.csv"  # type: ignore[attr-defined]
            yield operation, "post", url, data, None
        elif operation == "POST /api/v1/accounts/me/consents":
            consent = {"purpose": ConsentPurpose.CONTACT, "notice_version": "2"}
            yield operation, "post_json", url, consent, None
        elif operation == "POST /api/v1/scorecards/profiles/{name}":
            yield operation, "post_json", url, {}, None
        elif operation == "GET /api/v1/indicators/{code}":
            yield operation, "get", path.format(code="population"), None, None
        elif operation == "GET /api/v1/framework/frameworks/{code}":
            yield operation, "get", path.format(code="esses-2010"), None, None
        elif operation == "GET /api/v1/communities/{code}":
            yield operation, "get", path.format(code="3520005"), None, None
        else:
            yield operation, "get", url, None, None


def _hsds_write(operation: str, hsds_ids: dict[str, Any], home: Organization) -> tuple:
    """A write of the subject's own organization's record: what it read, sent back (a new
    record for an addition), so that whoever may write gets 2xx and anyone else a refusal."""
    method, path = operation.split(" ", 1)
    record = path.removesuffix("/deactivate")
    url = path.format(id=hsds_ids.get(record, ""))
    if path.endswith("/deactivate"):
        return operation, "post", url, None, None
    if method == "PUT":
        body = Client().get(url).json()
        return operation, "put_json", url, body, None
    if path.endswith("/services"):
        body = {"name": "Sample", "status": "active", "organization_id": str(home.hsds_id)}
        return operation, "post_json", url, body, None
    return operation, "post_json", url, {"name": "Sample", "description": "Sample."}, None


def _ask(client: Client, method: str, url: str, data: Any) -> Any:
    if method == "post_json":
        return client.post(url, data, content_type="application/json")
    if method == "post":
        return client.post(url, data or {})
    return client.get(url)


def _rule_for(name: str, given: Rule | None) -> Rule:
    if given is not None:
        return given
    if name == "admin:None":
        return CATCH_ALL
    return PAGES.get(name) or API[name]


def _check(world: World, requests: Iterator[tuple], subject: Subject, target: str) -> list[str]:
    wrong = []
    client = _client(world, subject)
    for name, method, url, data, given in requests:
        response = _ask(client, method, url, data)
        allowed = _rule_for(name, given)(subject, target)
        if response.status_code >= 500 or allowed == _denied(response):
            verdict = "allowed" if allowed else "denied"
            wrong.append(
                f"{subject} on {target}: {method.upper()} {url} ({name}) answered "
                f"{response.status_code} {response.get('Location', '')}, expected {verdict}"
            )
    return wrong


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_and_admin_route_answers_as_the_table_says(world: World, language: str) -> None:
    wrong: list[str] = []
    with translation.override(language):
        for subject in SUBJECTS:
            for target in ("own", "other"):
                wrong += _check(world, _page_requests(world, subject, target), subject, target)
                wrong += _check(
                    world, _admin_requests(world, subject, target, language), subject, target
                )
    assert not wrong, "\n".join(wrong)


def test_every_api_operation_answers_as_the_table_says(world: World) -> None:
    wrong: list[str] = []
    for subject in SUBJECTS:
        client = Client()
        headers: dict[str, str] = {}
        if subject.role is not None:
            # Every scope: scopes restrict a token, and this asks what the person may do.
            _token, secret = api_token_create(
                user=world.people[subject], name="matrix", scopes=Scope.values
            )
            headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        for name, method, url, data, _given in _api_requests(world, subject):
            if method == "post_json":
                response = client.post(url, data, content_type="application/json", **headers)
            elif method == "put_json":
                response = client.put(url, data, content_type="application/json", **headers)
            elif method == "post":
                response = client.post(url, data, **headers)
            else:
                response = client.get(url, **headers)
            allowed = API[name](subject, "own")
            if response.status_code >= 500 or allowed == _denied(response):
                wrong.append(f"{subject}: {name} answered {response.status_code}")
    assert ApiToken.objects.exists()
    assert not wrong, "\n".join(wrong)

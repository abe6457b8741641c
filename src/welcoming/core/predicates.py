"""Who may do what, as composable `rules` predicates (registered in each app's rules.py).

A predicate that takes an object answers for that object: a role counts in its own
organization only. An object belongs to an organization when it is one or has an
`organization`. Asked without an object (a menu, the admin's list, `/accounts/me`), a predicate
on organizations' objects answers whether the person may do it in some organization; the
service that acts always asks again with the object.
"""

from collections.abc import Iterable

import rules

from .models import Organization
from .roles import DATA_MANAGERS, Role, installation_roles, roles_anywhere, roles_in


def _organization_id(obj: object) -> int | None:
    if isinstance(obj, Organization):
        return obj.pk
    return getattr(obj, "organization_id", None)


def holds_role_in_organization(name: str, roles: Iterable[str]) -> rules.Predicate:
    """A predicate: the person holds one of `roles` in the object's organization."""
    wanted = frozenset(roles)

    def check(user: object, obj: object = None) -> bool:
        if obj is None:
            return bool(roles_anywhere(user) & wanted)
        organization_id = _organization_id(obj)
        return organization_id is not None and bool(roles_in(user, organization_id) & wanted)

    return rules.Predicate(check, name=name)


def holds_installation_role(name: str, roles: Iterable[str]) -> rules.Predicate:
    """A predicate: the person holds one of `roles` in the installation's own organization."""
    wanted = frozenset(roles)
    return rules.Predicate(lambda user: bool(installation_roles(user) & wanted), name=name)


is_installation_administrator = holds_installation_role(
    "is_installation_administrator", [Role.ADMINISTRATOR]
)
is_installation_data_manager = holds_installation_role(
    "is_installation_data_manager", DATA_MANAGERS
)
is_organization_administrator = holds_role_in_organization(
    "is_organization_administrator", [Role.ADMINISTRATOR]
)
is_organization_data_manager = holds_role_in_organization(
    "is_organization_data_manager", DATA_MANAGERS
)


@rules.predicate
def is_data_manager_anywhere(user: object) -> bool:
    return bool(roles_anywhere(user) & DATA_MANAGERS)


# Communities are installation-wide: the Statistics Canada geography every organization shares.
is_allowed_change_community = is_installation_data_manager
is_allowed_view_community = is_data_manager_anywhere

# An organization's own administrators and data stewards keep its details up to date; the
# installation's create, remove, and say which organization runs the installation.
is_allowed_add_organization = is_installation_data_manager
is_allowed_change_organization = is_organization_data_manager | is_installation_data_manager
is_allowed_delete_organization = is_installation_administrator
is_allowed_view_organization = is_data_manager_anywhere
is_allowed_designate_installation = is_installation_administrator


def add_model_perms(app_label: str, *, view: rules.Predicate, change: rules.Predicate) -> None:
    """Register the view/add/change/delete permissions of every model of the app (its admin's),
    and the app's own permission (the admin shows the app to whoever may view its models).

    Each app calls this from its own rules.py, for itself only; historical models are left out.
    """
    from django.apps import apps

    rules.set_perm(app_label, view)
    for model in apps.get_app_config(app_label).get_models():
        name = model._meta.model_name or ""
        if name.startswith("historical"):
            continue
        rules.set_perm(f"{app_label}.view_{name}", view)
        for action in ("add", "change", "delete"):
            rules.set_perm(f"{app_label}.{action}_{name}", change)

"""Who may do what, as small composable predicates (see rules.py for the permissions)."""

import rules

from .models import Role


def _holds_role(user: object, *roles: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(role__in=roles).exists()  # type: ignore[attr-defined]


@rules.predicate
def is_administrator(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _holds_role(user, Role.ADMINISTRATOR)


@rules.predicate
def is_data_steward(user: object) -> bool:
    return _holds_role(user, Role.DATA_STEWARD)


@rules.predicate
def is_analyst(user: object) -> bool:
    return _holds_role(user, Role.ANALYST, Role.LIP_COORDINATOR, Role.FUNDER_OFFICER)


can_manage_data = is_administrator | is_data_steward


@rules.predicate
def is_token_owner(user: object, token: object) -> bool:
    return token is not None and getattr(token, "user_id", None) == getattr(user, "pk", False)

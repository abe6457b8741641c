"""Who may do what with people, memberships, tokens and consents, as `rules` predicates (see
rules.py).

Accounts are installation-wide: the installation's administrators manage them in the admin. An
organization's administrators manage who belongs to it, from its membership page.
"""

import rules

from welcoming.core.predicates import is_installation_administrator, is_organization_administrator
from welcoming.core.roles import SERVING_ROLES, Role, roles_anywhere, roles_in


@rules.predicate
def is_token_owner(user: object, token: object) -> bool:
    owner = getattr(token, "user_id", None)
    return owner is not None and owner == getattr(user, "pk", None)


@rules.predicate
def is_consent_person(user: object, consent: object) -> bool:
    """The consent is this person's own (a consent about a record is nobody's account)."""
    owner = getattr(consent, "user_id", None)
    return owner is not None and owner == getattr(user, "pk", None)


@rules.predicate
def is_administrator_anywhere(user: object) -> bool:
    """A superuser, or an administrator of any organization."""
    return bool(getattr(user, "is_superuser", False)) or Role.ADMINISTRATOR in roles_anywhere(user)


# The object is the organization, or a membership of it.
is_allowed_manage_memberships = is_organization_administrator | is_installation_administrator

# People, their memberships everywhere and API tokens, in the admin.
is_allowed_manage_accounts = is_installation_administrator

# A token's owner revokes it; the installation's administrators may revoke any.
is_allowed_revoke_apitoken = is_token_owner | is_installation_administrator


@rules.predicate
def serves_the_person(user: object, person: object = None) -> bool:
    """The person's record (a newcomer's profile) is kept by an organization in which the user
    serves newcomers; asked without a record, no."""
    organization_id = getattr(person, "organization_id", None)
    return organization_id is not None and bool(roles_in(user, organization_id) & SERVING_ROLES)


# Consents: a person sees and withdraws their own; recording someone else's (a newcomer who gave
# consent on paper) is for the staff of the organization that serves the person, and the
# installation administrators.
is_allowed_record_consent = is_installation_administrator | serves_the_person
is_allowed_view_consent = is_consent_person | is_installation_administrator
is_allowed_withdraw_consent = is_consent_person | is_installation_administrator

# Not a permission but a duty: who must sign in with a second factor (accounts/two_factor.py).
must_use_two_factor = is_administrator_anywhere

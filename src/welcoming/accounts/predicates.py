"""Who may do what with people, memberships, tokens and consents, as `rules` predicates (see
rules.py).

Accounts are installation-wide: the installation's administrators manage them in the admin. An
organization's administrators manage who belongs to it, from its membership page.
"""

import rules

from welcoming.core.predicates import is_installation_administrator, is_organization_administrator
from welcoming.core.roles import Role, roles_anywhere


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

# Consents: a person sees and withdraws their own; recording or withdrawing someone else's
# (a newcomer who gave consent on paper) is the installation administrators', until the
# connections issue gives it to the staff of the organization that serves the person.
is_allowed_record_consent = is_installation_administrator
is_allowed_view_consent = is_consent_person | is_installation_administrator
is_allowed_withdraw_consent = is_consent_person | is_installation_administrator

# Not a permission but a duty: who must sign in with a second factor (accounts/two_factor.py).
must_use_two_factor = is_administrator_anywhere

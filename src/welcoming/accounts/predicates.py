"""Who may do what with people and memberships, as `rules` predicates (see rules.py).

Accounts are installation-wide: the installation's administrators manage them in the admin. An
organization's administrators manage who belongs to it, from its membership page.
"""

from welcoming.core.predicates import is_installation_administrator, is_organization_administrator

# The object is the organization, or a membership of it.
is_allowed_manage_memberships = is_organization_administrator | is_installation_administrator

# People, their memberships everywhere and API tokens, in the admin.
is_allowed_manage_accounts = is_installation_administrator

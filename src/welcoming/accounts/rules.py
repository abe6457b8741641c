"""Permissions on people, memberships and API tokens."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import is_allowed_manage_accounts, is_allowed_manage_memberships

rules.add_perm("accounts.manage_memberships", is_allowed_manage_memberships)

add_model_perms("accounts", view=is_allowed_manage_accounts, change=is_allowed_manage_accounts)

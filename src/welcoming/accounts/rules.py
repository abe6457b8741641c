"""Permissions on people, memberships, and the communities and organizations they work in.

Core's permissions live here because they are answered by roles, which core does not know.
"""

import rules

from .predicates import can_manage_data, is_administrator, is_token_owner

rules.add_perm("accounts.manage_memberships", is_administrator)
rules.add_perm("accounts.revoke_apitoken", is_token_owner | is_administrator)
# Not a permission but a duty: who must sign in with a second factor (accounts/two_factor.py).
rules.add_rule("accounts.must_use_two_factor", is_administrator)
rules.add_perm("core.change_community", can_manage_data)
rules.add_perm("core.add_organization", can_manage_data)
rules.add_perm("core.change_organization", can_manage_data)
rules.add_perm("scorecards.change_scoringprofile", can_manage_data)

# App-level permissions: the admin shows an app to people who hold its permission.
for app in ("core", "framework", "indicators", "scorecards"):
    rules.add_perm(app, can_manage_data)

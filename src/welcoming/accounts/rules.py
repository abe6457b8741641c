"""Permissions on people, memberships, API tokens and consents."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import (
    is_allowed_manage_accounts,
    is_allowed_manage_memberships,
    is_allowed_record_consent,
    is_allowed_revoke_apitoken,
    is_allowed_view_consent,
    is_allowed_withdraw_consent,
    must_use_two_factor,
)

rules.add_perm("accounts.manage_memberships", is_allowed_manage_memberships)
rules.add_perm("accounts.revoke_apitoken", is_allowed_revoke_apitoken)
rules.add_perm("accounts.withdraw_consent", is_allowed_withdraw_consent)
rules.add_rule("accounts.must_use_two_factor", must_use_two_factor)

add_model_perms("accounts", view=is_allowed_manage_accounts, change=is_allowed_manage_accounts)
# Consents are given and seen by the person too, not only managed in the admin.
rules.set_perm("accounts.add_consent", is_allowed_record_consent)
rules.set_perm("accounts.view_consent", is_allowed_view_consent)

# The sign-in records and authenticators of the apps accounts builds on (django-axes,
# django-otp) are people's data too: the installation's administrators manage them.
for label in ("axes", "otp_totp"):
    add_model_perms(label, view=is_allowed_manage_accounts, change=is_allowed_manage_accounts)
# A consent is never edited or deleted: it is withdrawn (accounts.services.consent_withdraw).
rules.set_perm("accounts.change_consent", rules.always_deny)
rules.set_perm("accounts.delete_consent", rules.always_deny)

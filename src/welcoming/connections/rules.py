"""Permissions on programs, profiles and matches (predicates.py says who and why)."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import (
    is_allowed_change_hostprofile,
    is_allowed_change_match,
    is_allowed_change_newcomerprofile,
    is_allowed_change_program,
    is_allowed_erase_hostprofile,
    is_allowed_erase_newcomerprofile,
    is_allowed_export_hostprofile,
    is_allowed_export_newcomerprofile,
    is_allowed_give_feedback,
    is_allowed_log_interaction,
    is_allowed_manage_connections,
    is_allowed_record_activity,
    is_allowed_run_matching,
    is_allowed_view_connection_counts,
    is_allowed_view_hostprofile,
    is_allowed_view_match,
    is_allowed_view_newcomerprofile,
    is_allowed_view_own_matches,
    is_allowed_view_program,
    is_newcomer_anywhere,
)

# Every model's admin permissions first: the organization's staff, object by object.
add_model_perms(
    "connections", view=is_allowed_manage_connections, change=is_allowed_manage_connections
)
rules.set_perm("connections.manage_connections", is_allowed_manage_connections)
rules.set_perm("connections.view_program", is_allowed_view_program)
rules.set_perm("connections.change_program", is_allowed_change_program)
rules.set_perm("connections.view_newcomerprofile", is_allowed_view_newcomerprofile)
rules.set_perm("connections.change_newcomerprofile", is_allowed_change_newcomerprofile)
rules.set_perm("connections.view_hostprofile", is_allowed_view_hostprofile)
rules.set_perm("connections.change_hostprofile", is_allowed_change_hostprofile)
rules.set_perm("connections.view_match", is_allowed_view_match)
rules.set_perm("connections.change_match", is_allowed_change_match)
rules.set_perm("connections.view_connection_counts", is_allowed_view_connection_counts)
rules.set_perm("connections.view_own_profile", is_newcomer_anywhere)
rules.set_perm("connections.run_matching", is_allowed_run_matching)
rules.set_perm("connections.log_interaction", is_allowed_log_interaction)
rules.set_perm("connections.give_feedback", is_allowed_give_feedback)
rules.set_perm("connections.record_activity", is_allowed_record_activity)
rules.set_perm("connections.view_own_matches", is_allowed_view_own_matches)
rules.set_perm("connections.export_newcomerprofile", is_allowed_export_newcomerprofile)
rules.set_perm("connections.erase_newcomerprofile", is_allowed_erase_newcomerprofile)
rules.set_perm("connections.export_hostprofile", is_allowed_export_hostprofile)
rules.set_perm("connections.erase_hostprofile", is_allowed_erase_hostprofile)

"""Permissions on scoring profiles."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import is_allowed_change_scoringprofile, is_allowed_view_scorecards_admin

add_model_perms(
    "scorecards", view=is_allowed_view_scorecards_admin, change=is_allowed_change_scoringprofile
)
# A version, once saved, explains the scorecards made with it: the service adds versions (the
# permission to change a profile), nothing edits or deletes one.
rules.set_perm("scorecards.add_scoringprofile", rules.always_deny)
rules.set_perm("scorecards.delete_scoringprofile", rules.always_deny)

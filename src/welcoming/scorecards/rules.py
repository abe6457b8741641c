"""Permissions on scoring profiles."""

from welcoming.core.predicates import add_model_perms

from .predicates import is_allowed_change_scoringprofile, is_allowed_view_scorecards_admin

add_model_perms(
    "scorecards", view=is_allowed_view_scorecards_admin, change=is_allowed_change_scoringprofile
)

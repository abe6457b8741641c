"""Who may do what with scoring profiles, as `rules` predicates (registered in rules.py)."""

from welcoming.core.predicates import is_data_manager_anywhere, is_installation_data_manager

# Scoring profiles, the default one first, are shared by every organization's scorecards.
is_allowed_change_scoringprofile = is_installation_data_manager
is_allowed_view_scorecards_admin = is_data_manager_anywhere

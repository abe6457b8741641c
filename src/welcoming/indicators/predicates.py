"""Who may do what with indicators and their values, as `rules` predicates (see rules.py)."""

from welcoming.core.predicates import is_data_manager_anywhere, is_installation_data_manager

# Indicator definitions and values are shared by every organization: the installation's data
# managers import and correct them, and see the imports made.
is_allowed_import_values = is_installation_data_manager
is_allowed_view_importbatch = is_installation_data_manager
is_allowed_change_indicators = is_installation_data_manager
is_allowed_view_indicators_admin = is_data_manager_anywhere

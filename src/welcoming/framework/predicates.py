"""Who may do what with the framework, as `rules` predicates (registered in rules.py)."""

from welcoming.core.predicates import is_data_manager_anywhere, is_installation_data_manager

# The framework is shared by every organization: the installation's data managers keep it, and
# loading a framework rewrites what every scorecard is built on.
is_allowed_change_framework = is_installation_data_manager
is_allowed_load_framework = is_installation_data_manager
is_allowed_view_framework_admin = is_data_manager_anywhere

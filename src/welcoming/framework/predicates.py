"""Who may do what with the framework, as `rules` predicates (registered in rules.py)."""

from welcoming.accounts.predicates import can_manage_data

# Loading or reloading a framework rewrites what every scorecard is built on: data managers only.
is_allowed_load_framework = can_manage_data

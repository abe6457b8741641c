"""Permissions on indicators and their values."""

import rules

from welcoming.accounts.predicates import can_manage_data

rules.add_perm("indicators.import_values", can_manage_data)
rules.add_perm("indicators.view_importbatch", can_manage_data)

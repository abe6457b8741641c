"""Permissions on the framework."""

import rules

from .predicates import is_allowed_load_framework

rules.add_perm("framework.load_framework", is_allowed_load_framework)

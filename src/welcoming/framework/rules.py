"""Permissions on the framework."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import (
    is_allowed_change_framework,
    is_allowed_load_framework,
    is_allowed_view_framework_admin,
)

add_model_perms(
    "framework", view=is_allowed_view_framework_admin, change=is_allowed_change_framework
)
rules.add_perm("framework.load_framework", is_allowed_load_framework)

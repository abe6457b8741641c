"""Permissions on communities and organizations."""

import rules

from .predicates import (
    add_model_perms,
    is_allowed_add_organization,
    is_allowed_change_community,
    is_allowed_change_organization,
    is_allowed_delete_organization,
    is_allowed_designate_installation,
    is_allowed_view_community,
    is_allowed_view_organization,
    is_installation_administrator,
)

rules.add_perm("core", is_allowed_view_organization)  # the admin shows the app
rules.add_perm("core.view_community", is_allowed_view_community)
rules.add_perm("core.add_community", is_allowed_change_community)
rules.add_perm("core.change_community", is_allowed_change_community)
rules.add_perm("core.delete_community", is_allowed_change_community)
rules.add_perm("core.view_organization", is_allowed_view_organization)
rules.add_perm("core.add_organization", is_allowed_add_organization)
rules.add_perm("core.change_organization", is_allowed_change_organization)
rules.add_perm("core.delete_organization", is_allowed_delete_organization)
rules.add_perm("core.designate_installation", is_allowed_designate_installation)

# Background tasks (django-tasks' database backend) are the platform's: its administrators see
# and clear them in the admin.
add_model_perms(
    "django_tasks_database",
    view=is_installation_administrator,
    change=is_installation_administrator,
)

"""Permissions on indicators and their values."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import (
    is_allowed_change_indicators,
    is_allowed_import_values,
    is_allowed_view_importbatch,
    is_allowed_view_indicators_admin,
)

add_model_perms(
    "indicators", view=is_allowed_view_indicators_admin, change=is_allowed_change_indicators
)
rules.add_perm("indicators.import_values", is_allowed_import_values)
# The list of imports (who imported what) is for the installation's data managers; a batch is
# provenance, written by an import only.
rules.set_perm("indicators.view_importbatch", is_allowed_view_importbatch)
rules.set_perm("indicators.add_importbatch", rules.always_deny)
rules.set_perm("indicators.change_importbatch", rules.always_deny)
# Import jobs name who started them: the installation's data managers see them, as they see
# batches; a job is started by an upload only.
rules.set_perm("indicators.view_importjob", is_allowed_view_importbatch)
rules.set_perm("indicators.add_importjob", rules.always_deny)
rules.set_perm("indicators.change_importjob", rules.always_deny)
rules.set_perm("indicators.delete_importjob", is_allowed_view_importbatch)

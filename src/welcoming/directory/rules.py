"""Permissions on the directory."""

import rules

from welcoming.core.predicates import add_model_perms

from .predicates import (
    is_allowed_change_directory_record,
    is_allowed_change_taxonomy,
    is_allowed_import_directory,
    is_allowed_steward_directory,
    is_allowed_view_directory_admin,
    is_allowed_view_importrun,
    is_allowed_write_importrun,
)

add_model_perms(
    "directory", view=is_allowed_view_directory_admin, change=is_allowed_change_directory_record
)
for _model in ("taxonomy", "taxonomyterm"):
    for _action in ("add", "change", "delete"):
        rules.set_perm(f"directory.{_action}_{_model}", is_allowed_change_taxonomy)
rules.set_perm("directory.view_importrun", is_allowed_view_importrun)
rules.set_perm("directory.add_importrun", is_allowed_write_importrun)
rules.set_perm("directory.change_importrun", is_allowed_write_importrun)
rules.set_perm("directory.delete_importrun", is_allowed_view_importrun)
# Feed imports from the web: seen, and cleared away, by whoever may see the runs they made.
rules.set_perm("directory.view_feedimportjob", is_allowed_view_importrun)
rules.set_perm("directory.delete_feedimportjob", is_allowed_view_importrun)
rules.add_perm("directory.import_directory", is_allowed_import_directory)

# Stewardship (steward_services.py): verifying a service is part of keeping it. Term mappings are
# shared reference data, like the taxonomies; verifications and merges are written by the
# services only and kept as the record of who did what.
rules.add_perm("directory.verify_service", is_allowed_change_directory_record)
rules.add_perm("directory.steward", is_allowed_steward_directory)
for _action in ("add", "change", "delete"):
    rules.set_perm(f"directory.{_action}_termmapping", is_allowed_change_taxonomy)
    for _model in ("verification", "servicemerge", "duplicatedismissal"):
        rules.set_perm(f"directory.{_action}_{_model}", rules.always_deny)
for _action in ("add", "change"):
    rules.set_perm(f"directory.{_action}_feedimportjob", rules.always_deny)

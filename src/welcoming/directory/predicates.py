"""Who may do what in the directory.

A service, a location or a program belongs to its organization: that organization's
administrators and data stewards keep it up to date, and so do the installation's. The shared
taxonomies and the imports of whole feeds are the installation's data managers' business.
"""

import rules

from welcoming.core.predicates import (
    is_data_manager_anywhere,
    is_installation_data_manager,
    is_organization_data_manager,
)

is_allowed_view_directory_admin = is_data_manager_anywhere
is_allowed_change_directory_record = is_organization_data_manager | is_installation_data_manager
is_allowed_change_taxonomy = is_installation_data_manager
is_allowed_import_directory = is_installation_data_manager
is_allowed_view_importrun = is_installation_data_manager
is_allowed_write_importrun = rules.always_deny  # written by an import only

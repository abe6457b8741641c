"""Who may do what with programs, profiles and matches, as `rules` predicates (see rules.py).

Everything here belongs to one organization: a program's, a profile's, or a match's through its
program. The organization's agency staff and administrators (`SERVING_ROLES`) see and change it;
nobody else in the installation does, not even its administrators, because profiles hold
newcomers' personal data. A volunteer sees the matches they host, a newcomer their own profile
and matches; a funder officer sees counts only, suppressed under 5.

Asked without an object (a menu, a list, the admin's list), a staff predicate answers whether the
person serves newcomers in some organization; lists show only that organization's rows
(selectors.py) and every change asks again with the object.
"""

import rules

from welcoming.core.roles import SERVING_ROLES, Role, roles_anywhere, roles_in


def _organization_id(obj: object) -> int | None:
    """The organization an object of this app belongs to."""
    organization_id = getattr(obj, "organization_id", None)
    if organization_id is not None:
        return int(organization_id)
    for parent in ("program", "newcomer", "host", "match", "activity"):
        related = getattr(obj, parent, None) if hasattr(obj, f"{parent}_id") else None
        if related is not None:
            return _organization_id(related)
    return None


@rules.predicate
def serves_newcomers(user: object, obj: object = None) -> bool:
    """Agency staff or an administrator of the object's organization (of some, without one)."""
    if obj is None:
        return bool(roles_anywhere(user) & SERVING_ROLES)
    organization_id = _organization_id(obj)
    return organization_id is not None and bool(roles_in(user, organization_id) & SERVING_ROLES)


@rules.predicate
def is_profile_person(user: object, profile: object = None) -> bool:
    """The profile is the signed-in person's own (linked to their account)."""
    owner = getattr(profile, "user_id", None)
    return owner is not None and owner == getattr(user, "pk", None)


@rules.predicate
def takes_part_in_match(user: object, match: object = None) -> bool:
    """The person is the match's newcomer or one of its hosts."""
    user_id = getattr(user, "pk", None)
    if match is None or user_id is None:
        return False
    if getattr(getattr(match, "newcomer", None), "user_id", None) == user_id:
        return True
    return bool(match.match_hosts.filter(host__user_id=user_id).exists())  # type: ignore[attr-defined]


@rules.predicate
def is_funder_officer_anywhere(user: object) -> bool:
    return Role.FUNDER_OFFICER in roles_anywhere(user)


@rules.predicate
def is_newcomer_anywhere(user: object) -> bool:
    """A newcomer who signed up holds the newcomer role in the organization they chose."""
    return Role.NEWCOMER in roles_anywhere(user)


# Programs, and the profiles of the newcomers and hosts an organization serves.
is_allowed_manage_connections = serves_newcomers
is_allowed_view_program = serves_newcomers
is_allowed_change_program = serves_newcomers
is_allowed_view_newcomerprofile = serves_newcomers | is_profile_person
is_allowed_change_newcomerprofile = serves_newcomers
is_allowed_view_hostprofile = serves_newcomers | is_profile_person
is_allowed_change_hostprofile = serves_newcomers

# A person's data on request (erasure.py): exported and erased by the organization that serves
# them, and by nobody else, not even the person's own account (they ask the organization).
is_allowed_export_newcomerprofile = serves_newcomers
is_allowed_erase_newcomerprofile = serves_newcomers
is_allowed_export_hostprofile = serves_newcomers
is_allowed_erase_hostprofile = serves_newcomers

# Matches and what follows them: the staff decide; the people in a match see it.
is_allowed_view_match = serves_newcomers | takes_part_in_match
is_allowed_change_match = serves_newcomers

# Aggregates (counts suppressed under 5): for funder officers, and the staff who serve.
is_allowed_view_connection_counts = is_funder_officer_anywhere | serves_newcomers


# The coordinator's workflow: runs, decisions, the interaction log and group activities.
@rules.predicate
def hosts_match(user: object, match: object = None) -> bool:
    """The person is one of the match's hosts (a volunteer with an account)."""
    user_id = getattr(user, "pk", None)
    if match is None or user_id is None:
        return False
    return bool(match.match_hosts.filter(host__user_id=user_id).exists())  # type: ignore[attr-defined]


is_allowed_run_matching = serves_newcomers
is_allowed_log_interaction = serves_newcomers | hosts_match
is_allowed_give_feedback = serves_newcomers | takes_part_in_match
is_allowed_record_activity = serves_newcomers


@rules.predicate
def is_volunteer_anywhere(user: object) -> bool:
    return Role.VOLUNTEER in roles_anywhere(user)


# "My matches": the volunteers who host and the newcomers who take part.
is_allowed_view_own_matches = is_volunteer_anywhere | is_newcomer_anywhere

"""Account pages (`account`) and the membership pages of an organization (`memberships`)."""

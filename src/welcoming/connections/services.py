"""Writing programs and profiles: every write names its actor, checks permission with the object,
validates the whole record, and is all-or-nothing.

A newcomer's consent to matching is recorded in the same transaction as the profile, before the
profile can be matched: with no active consent a newcomer is never put forward (selectors.py).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from welcoming.accounts.models import ConsentPurpose, Membership, Role, User
from welcoming.accounts.services import consent_give
from welcoming.core.history import acting_as
from welcoming.core.locking import version_check
from welcoming.core.models import Community, Organization
from welcoming.core.postal import PostalCodeError, fsa_point

from .models import HostLanguage, HostProfile, NewcomerLanguage, NewcomerProfile, Profile, Program

MATCHING_NOTICE_VERSION = "connections-2026-1"
"""The version of the privacy notice a newcomer agrees to when their profile is recorded; the
sign-up page and the staff's form show that notice (templates/connections/includes)."""

MAY_NOT_CHANGE = _("You may not change this record.")
ERASED_KEPT = _("This profile was erased on request: it cannot be changed.")
CONSENT_NEEDED = _("Record the newcomer's consent to matching before saving the profile.")

Languages = Sequence[tuple[str, int]]


def profile_locate(*, postal_code: str, community: Community) -> tuple[str, float, float]:
    """(FSA, latitude, longitude): the postal code's forward sortation area point, else the
    community's own point. Only the FSA is kept (privacy.md): it locates to a neighbourhood."""
    if postal_code.strip():
        try:
            point = fsa_point(postal_code)
        except PostalCodeError as error:
            raise ValidationError({"postal_code": str(error)}) from error
        return point.fsa, point.latitude, point.longitude
    if community.latitude is None or community.longitude is None:
        raise ValidationError(
            {
                "postal_code": _("Give a postal code: no location is known for %(community)s.")
                % {"community": community.name}
            }
        )
    return "", community.latitude, community.longitude


def _may_change(actor: User, perm: str, record: Any, organization: Organization | None) -> None:
    """The actor may change the record as it is and as it will be (in its new organization)."""
    if record.pk is not None and not actor.has_perm(perm, record):
        raise PermissionDenied(MAY_NOT_CHANGE)
    if not actor.has_perm(perm, type(record)(organization=organization)):
        raise PermissionDenied(MAY_NOT_CHANGE)


def _check_version(record: Any) -> None:
    """Refuse a stale edit (core.locking); the row stays locked until the transaction ends."""
    if record.pk is not None:
        current = type(record).objects.select_for_update().get(pk=record.pk).version
        version_check(current=current, expected=record.version)
        record.version += 1


def _save_profile(
    profile: Profile,
    *,
    fields: dict[str, Any],
    languages: Languages,
    language_model: type[NewcomerLanguage] | type[HostLanguage],
    owner_field: str,
) -> None:
    if profile.erased_at is not None:
        raise ValidationError(ERASED_KEPT, code="erased")
    fields = dict(fields)
    programs = fields.pop("programs", None)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.postal_code, profile.latitude, profile.longitude = profile_locate(
        postal_code=profile.postal_code or "", community=profile.community
    )
    if programs is not None and any(p.organization_id != profile.organization_id for p in programs):
        raise ValidationError({"programs": _("Choose programs of the profile's organization.")})
    profile.full_clean()
    codes = [code for code, _level in languages]
    if not codes:
        raise ValidationError({"languages": _("Give at least one language the person speaks.")})
    if len(set(codes)) != len(codes):
        raise ValidationError({"languages": _("Give each language once.")})
    rows = [language_model(code=code, level=level) for code, level in languages]
    for row in rows:
        row.full_clean(exclude=[owner_field])
    _check_version(profile)
    profile.save()
    if programs is not None:
        profile.programs.set(programs)
    language_model.objects.filter(**{owner_field: profile}).delete()
    for row in rows:  # a handful per person
        setattr(row, owner_field, profile)
        row.save()


@transaction.atomic
def program_save(
    *, actor: User, program: Program, fields: dict[str, Any], communities: Iterable[Community]
) -> Program:
    """Create or change a program of an organization the actor serves newcomers in."""
    _may_change(
        actor,
        "connections.change_program",
        program,
        fields.get("organization", getattr(program, "organization", None)),
    )
    for name, value in fields.items():
        setattr(program, name, value)
    program.full_clean()
    communities = list(communities)
    if not communities:
        raise ValidationError({"communities": _("Choose at least one community served.")})
    _check_version(program)
    with acting_as(actor):
        program.save()
    program.communities.set(communities)
    return program


@transaction.atomic
def newcomer_profile_save(
    *,
    actor: User,
    profile: NewcomerProfile,
    fields: dict[str, Any],
    languages: Languages,
    consent_given: bool = False,
) -> NewcomerProfile:
    """Create or change a newcomer's profile. A new profile needs the newcomer's consent to
    matching (`consent_given`), recorded under MATCHING_NOTICE_VERSION with the profile."""
    creating = profile.pk is None
    organization = fields.get("organization", getattr(profile, "organization", None))
    _may_change(actor, "connections.change_newcomerprofile", profile, organization)
    if creating and not consent_given:
        raise ValidationError({"consent": CONSENT_NEEDED})
    with acting_as(actor):
        _save_profile(
            profile,
            fields=fields,
            languages=languages,
            language_model=NewcomerLanguage,
            owner_field="newcomer",
        )
        if creating:
            profile.consent = consent_give(
                person=profile,
                purpose=ConsentPurpose.MATCHING,
                notice_version=MATCHING_NOTICE_VERSION,
                actor=actor,
            )
            profile.save(update_fields=["consent"])
    return profile


@transaction.atomic
def host_profile_save(
    *, actor: User, profile: HostProfile, fields: dict[str, Any], languages: Languages
) -> HostProfile:
    """Create or change a host's profile, its screening included."""
    organization = fields.get("organization", getattr(profile, "organization", None))
    _may_change(actor, "connections.change_hostprofile", profile, organization)
    with acting_as(actor):
        _save_profile(
            profile,
            fields=fields,
            languages=languages,
            language_model=HostLanguage,
            owner_field="host",
        )
    return profile


@transaction.atomic
def newcomer_sign_up(
    *,
    email: str,
    password: str,
    preferred_language: str,
    fields: dict[str, Any],
    languages: Languages,
) -> NewcomerProfile:
    """A newcomer signs themselves up: an account, their consent to matching (first), then the
    profile the organization they chose will see. The newcomer is their own actor."""
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account already uses this e-mail address: sign in.")})
    user = User(username=email, email=email, preferred_language=preferred_language)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    consent = consent_give(
        person=user,
        purpose=ConsentPurpose.MATCHING,
        notice_version=MATCHING_NOTICE_VERSION,
        actor=user,
    )
    membership = Membership(user=user, organization=fields["organization"], role=Role.NEWCOMER)
    membership.full_clean()
    membership.save()
    profile = NewcomerProfile(
        user=user, consent=consent, email=email, preferred_language=preferred_language
    )
    with acting_as(user):
        _save_profile(
            profile,
            fields=fields,
            languages=languages,
            language_model=NewcomerLanguage,
            owner_field="newcomer",
        )
    return profile

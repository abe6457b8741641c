"""Programs, the newcomers and hosts they connect, and the coordinator's record of matches.

A newcomer and a host are each served by one organization; its agency staff see and change them
(predicates.py). What a profile holds is what matching needs (docs/privacy.md lists each field).

Matches: one `Match` per newcomer (household) in a program, with one `MatchHost` row per host.
A one-to-one program has one MatchHost; a team program (3–5 volunteers) has several, and the
unique (match, host) pair means a volunteer is never in the same team twice. Each MatchHost keeps
its own score and score terms (the engine scores pairs) and its own confirmation; the Match keeps
the sum, the lifecycle and the newcomer's confirmation.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from welcoming.core.locking import Versioned
from welcoming.core.models import Community, Organization
from welcoming.core.privacy import holds_personal_data
from welcoming.engines.matching.model import AVAILABILITY_ALL, Weights

from .languages import is_language_code

DEFAULT_WEIGHTS = Weights()
NOC_UNIT_GROUP = r"^[0-9]{5}$"


class ProgramKind(models.TextChoices):
    MENTORING = "mentoring", _("One-to-one mentoring")
    HOST_FAMILY = "host_family", _("Host family or friendship")
    CONVERSATION_CIRCLE = "conversation_circle", _("Conversation circle")
    FAMILY_NETWORK = "family_network", _("Family and early-childhood network")
    SENIORS_NETWORK = "seniors_network", _("Seniors network")
    BUSINESS_NETWORK = "business_network", _("Business or entrepreneur network")
    EMPLOYMENT_MENTORING = "employment_mentoring", _("Employment mentoring")
    YOUTH = "youth", _("Youth")


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BOTH = "both", _("In person or online")


class Eligibility(models.TextChoices):
    """Facts about a newcomer a program may require (the engine's `tags`), derived from the
    profile so nobody is asked twice."""

    CHILDREN_UNDER_6 = "children_under_6", _("Parent of a child under 6")
    SENIOR = "senior", _("Senior (65 or older)")
    YOUTH = "youth", _("Youth (15 to 24)")
    ENTREPRENEUR = "entrepreneur", _("Wants to start or grow a business")
    JOB_SEEKER = "job_seeker", _("Looking for work in their field")
    REFUGEE = "refugee", _("Refugee")


class Preference(models.TextChoices):
    """What a newcomer may ask of a host (`requires`) and a host may offer (`offers`)."""

    WOMAN = "woman", _("A woman host or mentor")
    FAMILY_WITH_CHILDREN = "family_with_children", _("A family with children")
    SAME_FAITH_FRIENDLY = "faith_friendly", _("Comfortable with religious practice")
    ACCESSIBLE_PLACE = "accessible_place", _("Meets in a wheelchair-accessible place")


class Interest(models.TextChoices):
    SPORTS = "sports", _("Sports")
    OUTDOORS = "outdoors", _("Outdoors and nature")
    ARTS = "arts", _("Arts and crafts")
    MUSIC = "music", _("Music")
    COOKING = "cooking", _("Cooking")
    READING = "reading", _("Reading")
    TECHNOLOGY = "technology", _("Technology")
    GARDENING = "gardening", _("Gardening")
    FAITH = "faith", _("Faith community")
    VOLUNTEERING = "volunteering", _("Volunteering")
    GAMES = "games", _("Games")
    CHILDREN = "children", _("Activities with children")


class Goal(models.TextChoices):
    PRACTISE_ENGLISH = "practise_english", _("Practise English")
    PRACTISE_FRENCH = "practise_french", _("Practise French")
    EMPLOYMENT = "employment", _("Find work in my field")
    BUSINESS = "business", _("Start or grow a business")
    FRIENDSHIP = "friendship", _("Make friends")
    LOCAL_KNOWLEDGE = "local_knowledge", _("Learn about the community")
    CHILDREN = "children", _("Support for my young children")
    SENIORS = "seniors", _("Meet other seniors")


class AgeGroup(models.TextChoices):
    YOUTH = "youth", _("15 to 24")
    ADULT = "adult", _("25 to 64")
    SENIOR = "senior", _("65 or older")


class LanguageLevel(models.IntegerChoices):
    BASIC = 1, _("Basic")
    CONVERSATIONAL = 2, _("Conversational")
    FLUENT = 3, _("Fluent")
    NATIVE = 4, _("Native or first language")


class Program(Versioned):
    """A connection program an organization runs: who it is for, where, and how matches are
    scored. Weights default to the engine's (`engines.matching.Weights`, docs/matching.md)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="connection_programs",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind of program"), max_length=24, choices=ProgramKind.choices)
    communities = models.ManyToManyField(
        Community, verbose_name=_("communities served"), related_name="connection_programs"
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639-3 codes of the languages the program works in, e.g. eng, fra."),
    )
    min_language_level = models.PositiveSmallIntegerField(
        _("shared language level needed"),
        choices=LanguageLevel.choices,
        default=LanguageLevel.CONVERSATIONAL,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("How many newcomers the program can serve at once; empty: no limit."),
    )
    eligibility = models.JSONField(
        _("eligibility"),
        default=list,
        blank=True,
        help_text=_("What every newcomer in the program must be, e.g. a senior."),
    )
    team_size_min = models.PositiveSmallIntegerField(
        _("fewest volunteers per team"),
        null=True,
        blank=True,
        help_text=_("For a team program only: each household is matched with a team."),
    )
    team_size_max = models.PositiveSmallIntegerField(
        _("most volunteers per team"), null=True, blank=True
    )
    schedule = models.CharField(
        _("schedule"), max_length=200, blank=True, help_text=_("E.g. Tuesdays, 6 to 8 pm.")
    )
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    is_active = models.BooleanField(_("taking people"), default=True)
    weight_occupation = models.FloatField(
        _("weight of occupation closeness"), default=DEFAULT_WEIGHTS.occupation
    )
    weight_interests = models.FloatField(
        _("weight of shared interests"), default=DEFAULT_WEIGHTS.interests
    )
    weight_distance = models.FloatField(_("weight of nearness"), default=DEFAULT_WEIGHTS.distance)
    weight_household = models.FloatField(
        _("weight of household fit"), default=DEFAULT_WEIGHTS.household
    )
    weight_language = models.FloatField(
        _("weight of language comfort"), default=DEFAULT_WEIGHTS.language
    )
    weight_waiting = models.FloatField(_("weight of waiting time"), default=DEFAULT_WEIGHTS.waiting)
    weight_priority = models.FloatField(
        _("weight of priority factors"), default=DEFAULT_WEIGHTS.priority
    )
    distance_scale_km = models.FloatField(
        _("distance scale (km)"),
        default=DEFAULT_WEIGHTS.distance_scale_km,
        help_text=_("Nearness counts half at this distance."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    WEIGHT_FIELDS = (
        "weight_occupation",
        "weight_interests",
        "weight_distance",
        "weight_household",
        "weight_language",
        "weight_waiting",
        "weight_priority",
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name_en", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_size_min__isnull=True, team_size_max__isnull=True)
                | models.Q(
                    team_size_min__gte=1,
                    team_size_max__gte=models.F("team_size_min"),
                ),
                name="program_team_size_range",
                violation_error_message=_(
                    "Give both team sizes, the fewest at least 1 and not above the most."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(min_language_level__gte=1, min_language_level__lte=4),
                name="program_language_level_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    weight_occupation__gte=0,
                    weight_interests__gte=0,
                    weight_distance__gte=0,
                    weight_household__gte=0,
                    weight_language__gte=0,
                    weight_waiting__gte=0,
                    weight_priority__gte=0,
                ),
                name="program_weights_not_negative",
                violation_error_message=_("A weight cannot be below 0."),
            ),
            models.CheckConstraint(
                condition=models.Q(distance_scale_km__gt=0),
                name="program_distance_scale_positive",
                violation_error_message=_("The distance scale must be above 0 km."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def is_team(self) -> bool:
        return self.team_size_min is not None

    def clean(self) -> None:
        errors: dict[str, object] = {}
        unknown = _unknown_languages(self.languages)
        if unknown is not None:
            errors["languages"] = unknown
        bad = _unknown_choices(self.eligibility, Eligibility.values)
        if bad is not None:
            errors["eligibility"] = bad
        if errors:
            raise ValidationError(errors)


class Profile(Versioned):
    """What newcomers and hosts share: where they are, when they are free, what they speak."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organization that serves this person and keeps the profile."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("A name or initials the coordinator will know.")
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("For the introduction."))
    preferred_language = models.CharField(
        _("language for messages"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    programs = models.ManyToManyField(
        Program, verbose_name=_("programs"), blank=True, related_name="%(class)ss"
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The municipality the person lives in."),
    )
    postal_code = models.CharField(
        _("postal code"),
        max_length=7,
        blank=True,
        help_text=_("Only its first three characters are kept, e.g. E1C."),
    )
    latitude = models.FloatField(_("latitude"), editable=False)
    longitude = models.FloatField(_("longitude"), editable=False)
    availability = models.PositiveIntegerField(
        _("availability"),
        default=0,
        help_text=_("Mornings, afternoons and evenings of the week the person is free."),
    )
    online_ok = models.BooleanField(_("can meet online"), default=False)
    noc_code = models.CharField(
        _("occupation (NOC 2021 unit group)"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(NOC_UNIT_GROUP, _("A NOC 2021 unit group has 5 digits."))],
    )
    occupation_text = models.CharField(
        _("occupation in their own words"), max_length=200, blank=True
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    children_ages = models.JSONField(
        _("children's ages"), default=list, blank=True, help_text=_("Ages in years, 0 to 17.")
    )
    is_sample = models.BooleanField(
        _("sample"),
        default=False,
        editable=False,
        help_text=_("A synthetic person made by the demo, shown as sample data."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the person's data was erased on request (erasure.py)."),
    )

    ERASED_NAME = "—"
    """What an erased profile keeps for a name (the pages show "Erased profile 12")."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(_("Erased profile %(id)s") % {"id": self.pk})
        return str(self.name)

    def clean(self) -> None:
        errors: dict[str, object] = {}
        bad = _unknown_choices(self.interests, Interest.values)
        if bad is not None:
            errors["interests"] = bad
        ages = self.children_ages
        if not isinstance(ages, list) or not all(
            isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= 17 for a in ages
        ):
            errors["children_ages"] = _("Give each child's age as a whole number from 0 to 17.")
        errors.update(self._clean_more())
        if errors:
            raise ValidationError(errors)

    def _clean_more(self) -> dict[str, object]:
        return {}


def _profile_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(availability__gte=0, availability__lte=AVAILABILITY_ALL),
            name=f"{prefix}_availability_21_bits",
        ),
        models.CheckConstraint(
            condition=models.Q(latitude__gte=-90, latitude__lte=90)
            & models.Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_point_range",
        ),
        models.CheckConstraint(
            condition=models.Q(noc_code="") | models.Q(noc_code__regex=NOC_UNIT_GROUP),
            name=f"{prefix}_noc_unit_group",
        ),
    ]


class NewcomerProfile(Profile):
    """A newcomer (or household) waiting to be connected, kept by the agency that serves them.

    The consent to matching (`accounts.Consent`, purpose "matching") is recorded before the
    profile is used; without an active one the newcomer is never put forward for matching.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        HELD = "held", _("Held while a match is discussed")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    arrival_date = models.DateField(
        _("arrival in Canada"), null=True, help_text=_("Empty only once the profile is erased.")
    )
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    goals = models.JSONField(_("goals"), default=list, blank=True)
    requires = models.JSONField(
        _("preferences"),
        default=list,
        blank=True,
        help_text=_("What a host must offer for this person to feel at ease."),
    )
    is_refugee = models.BooleanField(_("refugee"), default=False)
    is_isolated_senior = models.BooleanField(_("isolated senior"), default=False)
    is_single_parent = models.BooleanField(_("single parent"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    consent = models.ForeignKey(
        "accounts.Consent",
        verbose_name=_("consent to matching"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("newcomer profile")
        verbose_name_plural = _("newcomer profiles")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = _profile_constraints("newcomer")

    def _clean_more(self) -> dict[str, object]:
        errors: dict[str, object] = {}
        for field, allowed in (("goals", Goal.values), ("requires", Preference.values)):
            bad = _unknown_choices(getattr(self, field), allowed)
            if bad is not None:
                errors[field] = bad
        return errors

    @property
    def priority(self) -> frozenset[str]:
        """The engine's priority factors."""
        flags = {
            "refugee": self.is_refugee,
            "isolated_senior": self.is_isolated_senior,
            "single_parent": self.is_single_parent,
        }
        return frozenset(name for name, on in flags.items() if on)

    @property
    def tags(self) -> frozenset[str]:
        """The eligibility facts programs may require, derived from what the profile holds."""
        tags = set()
        if any(age < 6 for age in self.children_ages or ()):
            tags.add(Eligibility.CHILDREN_UNDER_6)
        if self.age_group == AgeGroup.SENIOR:
            tags.add(Eligibility.SENIOR)
        if self.age_group == AgeGroup.YOUTH:
            tags.add(Eligibility.YOUTH)
        if Goal.BUSINESS in (self.goals or ()):
            tags.add(Eligibility.ENTREPRENEUR)
        if Goal.EMPLOYMENT in (self.goals or ()):
            tags.add(Eligibility.JOB_SEEKER)
        if self.is_refugee:
            tags.add(Eligibility.REFUGEE)
        return frozenset(str(tag) for tag in tags)


class HostProfile(Profile):
    """A volunteer, mentor, network or group that welcomes newcomers. A host is matched only
    while its police check is valid and its training done (the engine checks both)."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer or host family")
        MENTOR = "mentor", _("Mentor")
        NETWORK = "network", _("Network or association")
        GROUP = "group", _("Group")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    GROUP_KINDS = (Kind.NETWORK, Kind.GROUP)

    kind = models.CharField(_("kind of host"), max_length=10, choices=Kind.choices)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        help_text=_("How many newcomers at once; a network or group takes more than 1."),
    )
    max_distance_km = models.FloatField(
        _("farthest distance (km)"),
        default=15.0,
        help_text=_("How far the host will travel to meet in person."),
    )
    offers = models.JSONField(_("can offer"), default=list, blank=True)
    police_check_date = models.DateField(_("police check date"), null=True, blank=True)
    police_check_expires = models.DateField(_("police check expires"), null=True, blank=True)
    training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("host profile")
        verbose_name_plural = _("host profiles")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            *_profile_constraints("host"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=0),
                name="host_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["network", "group"]) | models.Q(capacity__gt=1),
                name="host_group_capacity_above_one",
                violation_error_message=_("A network or group takes more than 1 newcomer."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_distance_km__gte=0),
                name="host_max_distance_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    police_check_date__isnull=True, police_check_expires__isnull=True
                )
                | models.Q(
                    police_check_date__isnull=False,
                    police_check_expires__gt=models.F("police_check_date"),
                ),
                name="host_police_check_expires_after_date",
                violation_error_message=_(
                    "Give the police check's date and its expiry, which comes after it."
                ),
            ),
        ]

    @property
    def trained(self) -> bool:
        return self.training_completed_on is not None

    def _clean_more(self) -> dict[str, object]:
        bad = _unknown_choices(self.offers, Preference.values)
        return {} if bad is None else {"offers": bad}


class LanguageSkill(models.Model):
    code = models.CharField(_("language"), max_length=3, help_text=_("ISO 639-3 code."))
    level = models.PositiveSmallIntegerField(_("level"), choices=LanguageLevel.choices)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} ({self.level})"

    def clean(self) -> None:
        if not is_language_code(self.code):
            raise ValidationError(
                {"code": _("“%(code)s” is not an ISO 639-3 language code.") % {"code": self.code}}
            )


def _language_constraints(prefix: str, owner: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(level__gte=1, level__lte=4), name=f"{prefix}_level_1_to_4"
        ),
        models.UniqueConstraint(fields=[owner, "code"], name=f"{prefix}_one_level_per_language"),
    ]


@holds_personal_data
class NewcomerLanguage(LanguageSkill):
    newcomer = models.ForeignKey(
        NewcomerProfile,
        verbose_name=_("newcomer"),
        on_delete=models.CASCADE,
        related_name="languages",
    )

    class Meta:
        verbose_name = _("newcomer's language")
        verbose_name_plural = _("newcomer's languages")
        constraints = _language_constraints("newcomer_language", "newcomer")


@holds_personal_data
class HostLanguage(LanguageSkill):
    host = models.ForeignKey(
        HostProfile, verbose_name=_("host"), on_delete=models.CASCADE, related_name="languages"
    )

    class Meta:
        verbose_name = _("host's language")
        verbose_name_plural = _("host's languages")
        constraints = _language_constraints("host_language", "host")


class MatchRun(models.Model):
    """One run of the matching engine for a program, with its progress and totals."""

    class Solver(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal (highest total score)")
        STABLE = "stable", _("Stable (no pair would rather be together)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="runs"
    )
    solver = models.CharField(
        _("solver"), max_length=8, choices=Solver.choices, default=Solver.OPTIMAL
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    dry_run = models.BooleanField(_("dry run"), default=False)
    seed = models.IntegerField(_("seed"), default=0)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    newcomers_count = models.PositiveIntegerField(_("newcomers considered"), default=0)
    hosts_count = models.PositiveIntegerField(_("hosts considered"), default=0)
    proposals_count = models.PositiveIntegerField(_("proposals"), default=0)
    unmatched_count = models.PositiveIntegerField(_("newcomers left unmatched"), default=0)
    blocking_pairs_count = models.PositiveIntegerField(_("blocking pairs"), default=0)
    total_score = models.FloatField(_("total score"), default=0.0)
    unmatched = models.JSONField(
        _("why newcomers were left unmatched"),
        default=list,
        blank=True,
        help_text=_("Per newcomer: which constraint removed how many candidates."),
    )
    error = models.TextField(_("error"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="match_run_progress_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(started_at__isnull=False, finished_at__gte=models.F("started_at")),
                name="match_run_finished_after_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""


class Match(Versioned):
    """A newcomer connected with one host, or with a team of hosts in a team program."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INTRODUCED = "introduced", _("Introduced")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended")
        REJECTED = "rejected", _("Rejected")

    LIVE = (Status.PROPOSED, Status.INTRODUCED, Status.ACTIVE)

    class EndReason(models.TextChoices):
        MOVED = "moved", _("Moved away")
        NOT_A_FIT = "not_a_fit", _("Not a good fit")
        NO_CONTACT = "no_contact", _("Lost contact")
        HOST_LEFT = "host_left", _("Host left the program")
        NEWCOMER_LEFT = "newcomer_left", _("Newcomer left the program")
        ERASED = "erased", _("Erased on request")
        OTHER = "other", _("Other")

    run = models.ForeignKey(
        MatchRun,
        verbose_name=_("run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        help_text=_("Empty for a match made by hand."),
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="matches"
    )
    newcomer = models.ForeignKey(
        NewcomerProfile,
        verbose_name=_("newcomer"),
        on_delete=models.PROTECT,
        related_name="matches",
    )
    hosts = models.ManyToManyField(
        HostProfile, through="MatchHost", verbose_name=_("hosts"), related_name="matches"
    )
    score = models.FloatField(_("score"), default=0.0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    held = models.BooleanField(_("held while discussed"), default=False)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on the ending"), max_length=280, blank=True)
    newcomer_confirmed_at = models.DateTimeField(_("newcomer confirmed"), null=True, blank=True)
    accepted_at = models.DateTimeField(
        _("accepted"),
        null=True,
        blank=True,
        help_text=_("When a coordinator accepted the proposal; introductions may follow."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    introduced_at = models.DateTimeField(_("introduced"), null=True, blank=True)
    started_at = models.DateTimeField(_("active since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["program", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ended") | ~models.Q(end_reason=""),
                name="match_ended_has_reason",
                violation_error_message=_("Say why the match ended."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} · {self.program}"


@holds_personal_data
class MatchHost(models.Model):
    """One host of a match, with the engine's score and terms for this pair."""

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="match_hosts"
    )
    host = models.ForeignKey(
        HostProfile, verbose_name=_("host"), on_delete=models.PROTECT, related_name="match_hosts"
    )
    score = models.FloatField(_("score"), default=0.0)
    terms = models.JSONField(
        _("score terms"),
        default=list,
        blank=True,
        help_text=_("The engine's terms: a list of {name, value, weight}."),
    )
    confirmed_at = models.DateTimeField(_("host confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("host of a match")
        verbose_name_plural = _("hosts of matches")
        constraints = [
            models.UniqueConstraint(fields=["match", "host"], name="match_host_once_per_match")
        ]

    def __str__(self) -> str:
        return f"{self.match} · {self.host}"


class Interaction(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting in person")
        CALL = "call", _("Telephone call")
        VIDEO = "video", _("Video call")
        OUTING = "outing", _("Outing or activity")
        MESSAGE = "message", _("Messages")

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="interactions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    note = models.CharField(
        _("short note"),
        max_length=280,
        blank=True,
        help_text=_("What you did, not personal details."),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0, duration_minutes__lte=1440),
                name="interaction_duration_positive",
                violation_error_message=_("A duration is from 1 to 1,440 minutes."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.match} · {self.date}"


class Feedback(models.Model):
    class Side(models.TextChoices):
        NEWCOMER = "newcomer", _("Newcomer")
        HOST = "host", _("Host")

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="feedback"
    )
    side = models.CharField(_("from"), max_length=8, choices=Side.choices)
    host = models.ForeignKey(
        HostProfile,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Which host of a team, when a host gives it."),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(side="host") | models.Q(host__isnull=True),
                name="feedback_host_only_from_host_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match} · {self.get_side_display()}"


class GroupActivity(models.Model):
    """A conversation circle, network event or outing of a group program."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} · {self.date}"


@holds_personal_data
class Attendance(models.Model):
    """Who came to an activity: a newcomer, a host, or a count of people who gave no details."""

    activity = models.ForeignKey(
        GroupActivity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    newcomer = models.ForeignKey(
        NewcomerProfile,
        verbose_name=_("newcomer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    host = models.ForeignKey(
        HostProfile,
        verbose_name=_("host"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymous_count = models.PositiveSmallIntegerField(_("people who gave no details"), default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(newcomer__isnull=False, host__isnull=True, anonymous_count=0)
                | models.Q(newcomer__isnull=True, host__isnull=False, anonymous_count=0)
                | models.Q(newcomer__isnull=True, host__isnull=True, anonymous_count__gt=0),
                name="attendance_one_kind_of_attendee",
                violation_error_message=_(
                    "Record a newcomer, a host, or a number of people who gave no details."
                ),
            ),
            models.UniqueConstraint(
                fields=["activity", "newcomer"],
                condition=models.Q(newcomer__isnull=False),
                name="attendance_newcomer_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "host"],
                condition=models.Q(host__isnull=False),
                name="attendance_host_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)


def _unknown_choices(values: object, allowed: list[str]) -> str | None:
    """A message when `values` is not a list of known choices, else None."""
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return str(_("Give a list of choices."))
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        return str(_("Unknown choices: %(values)s.") % {"values": ", ".join(unknown)})
    return None


def _unknown_languages(codes: object) -> str | None:
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return str(_("Give a list of ISO 639-3 language codes."))
    unknown = sorted(code for code in set(codes) if not is_language_code(code))
    if unknown:
        return str(
            _("Unknown ISO 639-3 language codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return None

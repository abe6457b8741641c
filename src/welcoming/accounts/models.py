"""People, their accounts, the roles they hold in organizations, and their consents."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from welcoming.core.models import Organization
from welcoming.core.roles import NO_ROLES, Role

__all__ = ["ApiToken", "Membership", "Role", "User"]


class User(AbstractUser):
    """A person with an account; what they may do comes from their memberships."""

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="en",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # What core.roles.Member asks: the roles this person holds, by organization. Read once per
    # user object (one query); services that change memberships call forget_roles().

    def _roles(self) -> tuple[dict[int, frozenset[str]], frozenset[str]]:
        cached = self.__dict__.get("_roles_cache")
        if cached is None:
            by_organization: dict[int, set[str]] = {}
            installation: set[str] = set()
            rows = Membership.objects.filter(user_id=self.pk).values_list(
                "organization_id", "role", "organization__is_installation"
            )
            for organization_id, role, runs_installation in rows:
                by_organization.setdefault(organization_id, set()).add(role)
                if runs_installation:
                    installation.add(role)
            cached = (
                {k: frozenset(v) for k, v in by_organization.items()},
                frozenset(installation),
            )
            self.__dict__["_roles_cache"] = cached
        return cached

    def roles_in(self, organization_id: int | None) -> frozenset[str]:
        if organization_id is None:
            return NO_ROLES
        return self._roles()[0].get(organization_id, NO_ROLES)

    def roles_anywhere(self) -> frozenset[str]:
        return frozenset().union(*self._roles()[0].values())

    def installation_roles(self) -> frozenset[str]:
        return self._roles()[1]

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles_cache", None)


class Membership(models.Model):
    """A person holds a role in an organization; a person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class Scope(models.TextChoices):
    """What a token lets a program do: read, or write the data of one app."""

    READ = "read", _("Read what the person may see")
    WRITE_INDICATORS = "write:indicators", _("Import indicator values")
    WRITE_SCORECARDS = "write:scorecards", _("Change scoring profiles")
    WRITE_FRAMEWORK = "write:framework", _("Change the framework")
    WRITE_CONNECTIONS = "write:connections", _("Change connection programs and profiles")
    WRITE_DIRECTORY = "write:directory", _("Change the directory's services and organizations")


def _every_scope() -> list[str]:
    # Only for the tokens made before scopes existed, which could do everything; the service
    # and the forms always say which scopes a new token gets.
    return list(Scope.values)


class ApiToken(models.Model):
    """A secret that lets a program act as a person through the API, within its scopes and until
    it expires or its owner revokes it; only its hash is kept."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    secret_hash = models.CharField(_("secret hash (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    scopes = models.JSONField(
        _("scopes"), default=_every_scope, help_text=_("What the token lets a program do.")
    )
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the token does not expire.")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        scopes = self.scopes if isinstance(self.scopes, list) else None
        if not scopes or any(scope not in Scope.values for scope in scopes):
            raise ValidationError(
                {
                    "scopes": _("Choose one or more of these scopes: %(scopes)s.")
                    % {"scopes": ", ".join(Scope.values)}
                }
            )
        self.scopes = sorted(set(scopes), key=Scope.values.index)

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def is_expired(self, *, at: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= at


class ConsentPurpose(models.TextChoices):
    """What a person may agree to; each purpose is consented to, and withdrawn, on its own."""

    MATCHING = "matching", _("Being matched with a host, mentor or network")
    CONTACT = "contact", _("Being contacted by e-mail or telephone")
    SURVEYS = "surveys", _("Answering surveys about settlement outcomes")
    REFERRAL = "referral", _("Sharing my details with a service I am referred to")


class Consent(models.Model):
    """A person's consent to one purpose under one version of the privacy notice.

    The person is an account (`user`) or, for someone without one (a newcomer's profile kept by
    an agency), a record of another model (`subject_type`, `subject_id`): exactly one of the two.
    A consent is never edited or deleted: it is withdrawn (`withdrawn_at`), and giving it again
    makes a new record, so the history of what a person agreed to, and when, stays whole.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consents",
        null=True,
        blank=True,
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    subject_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    notice_version = models.CharField(
        _("privacy notice version"),
        max_length=32,
        validators=[RegexValidator(r"^[0-9A-Za-z.\-]+$")],
    )
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="consents_recorded",
    )
    withdrawn_by = models.ForeignKey(
        User,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        related_name="consents_withdrawn",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, subject_type__isnull=True, subject_id__isnull=True)
                    | models.Q(
                        user__isnull=True, subject_type__isnull=False, subject_id__isnull=False
                    )
                ),
                name="consent_one_person",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True, user__isnull=False),
                name="consent_one_active_per_user_purpose",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True, subject_type__isnull=False),
                name="consent_one_active_per_subject_purpose",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.notice_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

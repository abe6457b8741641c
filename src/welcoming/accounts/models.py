"""People, their accounts and the roles they hold in organizations."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from welcoming.core.models import Organization


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DATA_STEWARD = "data_steward", _("Data steward")
    ANALYST = "analyst", _("Analyst")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    LIP_COORDINATOR = "lip_coordinator", _("LIP coordinator")
    FUNDER_OFFICER = "funder_officer", _("Funder officer")
    VOLUNTEER = "volunteer", _("Volunteer or host")
    NEWCOMER = "newcomer", _("Newcomer")


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

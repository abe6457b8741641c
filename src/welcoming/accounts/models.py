"""People, their accounts and the roles they hold in organizations."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
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


class ApiToken(models.Model):
    """A secret that lets a program act as a person through the API; only its hash is kept."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    secret_hash = models.CharField(_("secret hash (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

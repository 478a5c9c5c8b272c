"""Users: one organisation and one role each (DOMAIN.md §3)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.models import Organisation
from tsunagu.core.roles import STAFF_ROLES, Role
from tsunagu.core.validators import KANA_VALIDATORS, NAME_VALIDATORS

# The organisation kinds each role may belong to.
ROLE_ORGANISATION_KINDS = {
    Role.CENTER_STAFF: set(Organisation.CENTER_UNITS),
    Role.SUPERVISOR: {Organisation.Kind.CENTER, *Organisation.CENTER_UNITS},
    Role.PARTNER: {
        Organisation.Kind.CAFETERIA,
        Organisation.Kind.SCHOOL,
        Organisation.Kind.NURSERY,
        Organisation.Kind.HOSPITAL,
        Organisation.Kind.SOCIAL_WELFARE_COUNCIL,
        Organisation.Kind.OTHER,
    },
    Role.PROVIDER_STAFF: {Organisation.Kind.PROVIDER},
    Role.CGC_LIAISON: {Organisation.Kind.CGC},
    Role.RESOURCE_EDITOR: {
        Organisation.Kind.SOCIAL_WELFARE_COUNCIL,
        Organisation.Kind.CENTER,
        *Organisation.CENTER_UNITS,
    },
    Role.ADMINISTRATOR: {Organisation.Kind.CENTER},
    Role.OPERATOR: set(),  # of the install, not of a municipality
}


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("役割"), max_length=30, choices=Role.choices, blank=True)
    display_name = models.CharField(
        _("氏名"), max_length=100, blank=True, validators=NAME_VALIDATORS
    )
    display_name_kana = models.CharField(
        _("氏名(カナ)"), max_length=100, blank=True, validators=KANA_VALIDATORS
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def municipality_id(self) -> int | None:
        return self.organisation.municipality_id if self.organisation_id else None

    @property
    def needs_second_factor(self) -> bool:
        return self.role in STAFF_ROLES

    def clean(self) -> None:
        if self.role == Role.OPERATOR:
            if self.organisation_id:
                raise ValidationError({"organisation": "運用管理者は組織に所属しません。"})
            return
        if self.role and self.organisation_id:
            allowed = ROLE_ORGANISATION_KINDS[Role(self.role)]
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {"role": "この役割はこの所属組織の種別には割り当てられません。"}
                )

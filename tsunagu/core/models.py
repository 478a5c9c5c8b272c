"""The municipality, its geography and the organisations that work in it."""

from dateutil.relativedelta import relativedelta
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .codes import normalise_municipality_code
from .validators import NAME_VALIDATORS


class Municipality(models.Model):
    """A city, town or ward centre; every personal-data row belongs to exactly one."""

    code = models.CharField(_("地方公共団体コード"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50, validators=NAME_VALIDATORS)
    name_kana = models.CharField(_("名称(カナ)"), max_length=100, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    review_interval_months = models.PositiveSmallIntegerField(
        _("進行管理の間隔(か月)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("要対協に登録したケースを実務者会議で見直す間隔です。"),
    )
    alert_ack_minutes = models.PositiveSmallIntegerField(
        _("緊急アラートの確認期限(開庁時間の分)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
        help_text=_("この時間内に確認されない緊急アラートは、統括支援員に知らせます。"),
    )
    referral_reach_days = models.PositiveSmallIntegerField(
        _("つなぐ:つながるまでの目安(日)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "協力団体から紹介された家族に、この日数でつながらなければ期限の近い対応に出ます。"
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("市区町村")
        verbose_name_plural = _("市区町村")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}"

    def save(self, *args, **kwargs) -> None:
        self.code = normalise_municipality_code(self.code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.code = normalise_municipality_code(self.code)

    def next_review_after(self, day):
        """The date a registered case is due for review again after ``day`` (進行管理)."""
        return day + relativedelta(months=self.review_interval_months)


class Area(models.Model):
    """A piece of the municipality: a planning area, a school district or a town (町丁目)."""

    class Kind(models.TextChoices):
        REGION = "region", _("地域")
        ELEMENTARY_DISTRICT = "elementary_district", _("小学校区")
        JUNIOR_HIGH_DISTRICT = "junior_high_district", _("中学校区")
        TOWN = "town", _("町丁目")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="areas")
    kind = models.CharField(_("種別"), max_length=30, choices=Kind.choices)
    code = models.CharField(_("コード"), max_length=30)
    name = models.CharField(_("名称"), max_length=100, validators=NAME_VALIDATORS)
    name_kana = models.CharField(_("名称(カナ)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # A GeoJSON geometry (Polygon or MultiPolygon, WGS84) when boundaries have been loaded: drawn
    # on the staff map.
    boundary = models.JSONField(_("境界(GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["municipality", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "code"], name="area_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """The center and its units, the child guidance center, and every partner."""

    class Kind(models.TextChoices):
        CENTER = "center", _("こども家庭センター")
        UNIT_MATERNAL_HEALTH = "unit_maternal_health", _("母子保健")
        UNIT_CHILD_WELFARE = "unit_child_welfare", _("児童福祉")
        UNIT_DEVELOPMENT = "unit_development", _("発達支援")
        CGC = "cgc", _("児童相談所")
        CAFETERIA = "cafeteria", _("こども食堂")
        PROVIDER = "provider", _("サービス提供事業者")
        SCHOOL = "school", _("学校")
        NURSERY = "nursery", _("保育所・幼稚園・認定こども園")
        HOSPITAL = "hospital", _("医療機関")
        SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
        OTHER = "other", _("その他")

    CENTER_UNITS = (Kind.UNIT_MATERNAL_HEALTH, Kind.UNIT_CHILD_WELFARE, Kind.UNIT_DEVELOPMENT)

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organisations"
    )
    kind = models.CharField(_("種別"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, validators=NAME_VALIDATORS)
    name_kana = models.CharField(_("名称(カナ)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位組織"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("地区"), on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    is_active = models.BooleanField(_("有効"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["municipality", "kind", "name"]

    def __str__(self) -> str:
        return str(self.name)

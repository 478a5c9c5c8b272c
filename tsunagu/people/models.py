"""Persons and households: one record per person across every unit of the center."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tsunagu.core.models import Area, Municipality, Organisation
from tsunagu.core.validators import KANA_VALIDATORS, NAME_VALIDATORS

from .matching import normalise


class Sex(models.TextChoices):
    FEMALE = "female", _("女")
    MALE = "male", _("男")
    UNKNOWN = "unknown", _("不明")


class Household(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200)
    town = models.ForeignKey(
        Area, verbose_name=_("町丁目"), on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")

    def __str__(self) -> str:
        return self.address


class NameKeyColumns(models.Model):
    """The comparison keys of a name (名寄せ) as columns; never shown."""

    KEYS = ("key_family", "key_given", "key_family_reading", "key_given_reading")

    key_family = models.CharField(max_length=50, blank=True, editable=False)
    key_given = models.CharField(max_length=50, blank=True, editable=False)
    key_family_reading = models.CharField(max_length=100, blank=True, editable=False)
    key_given_reading = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        abstract = True


class NameKeys(NameKeyColumns):
    """Comparison keys of a name, kept beside the name as written.

    Derived on every save from the name fields. ``reading_inferred`` says the reading came from
    the dictionary because no kana was given, which the scorer treats as weak evidence.
    """

    reading_inferred = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        keys = normalise.name_keys(
            self.family_name, self.given_name, self.family_kana, self.given_kana
        )
        for field, value in keys.items():
            setattr(self, field, value)


class BirthDatePrecision(models.TextChoices):
    DAY = "day", _("確定")
    MONTH = "month", _("年月のみ")
    ESTIMATED = "estimated", _("推定")


class Person(NameKeys):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    family_name = models.CharField(_("姓"), max_length=50, validators=NAME_VALIDATORS)
    given_name = models.CharField(_("名"), max_length=50, blank=True, validators=NAME_VALIDATORS)
    family_kana = models.CharField(
        _("姓(フリガナ)"), max_length=100, blank=True, validators=KANA_VALIDATORS
    )
    given_kana = models.CharField(
        _("名(フリガナ)"), max_length=100, blank=True, validators=KANA_VALIDATORS
    )
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("生年月日の確度"),
        max_length=10,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
        help_text=_("年月しか分からないときは「年月のみ」(日は1日として保存します)。"),
    )
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    town = models.ForeignKey(
        Area, verbose_name=_("町丁目"), on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    language = models.CharField(
        _("使用言語"), max_length=50, blank=True, help_text=_("日本語以外のときに記入します。")
    )
    needs_interpreter = models.BooleanField(_("通訳が必要"), default=False)
    resident_id = models.CharField(
        _("宛名番号"),
        max_length=30,
        blank=True,
        help_text=_("住民記録の宛名番号。マイナンバー(個人番号)は入力しないでください。"),
    )
    notes = models.TextField(_("備考"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("統合先"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人")
        verbose_name_plural = _("人")
        indexes = [
            models.Index(fields=["municipality", "family_kana", "given_kana"]),
            models.Index(
                fields=["municipality", "key_family_reading", "key_given_reading"],
                name="person_reading_idx",
            ),
            models.Index(
                fields=["municipality", "key_given_reading", "birth_date"],
                name="person_given_born_idx",
            ),
            models.Index(
                fields=["municipality", "key_family_reading", "birth_date"],
                name="person_family_born_idx",
            ),
            models.Index(
                fields=["municipality", "key_family", "key_given"], name="person_kanji_idx"
            ),
            models.Index(fields=["municipality", "key_given"], name="person_given_kanji_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "resident_id"],
                condition=~Q(resident_id=""),
                name="person_resident_id_unique",
                violation_error_message="この宛名番号はすでに登録されています。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()

    @property
    def birth_date_display(self) -> str:
        if self.birth_date is None:
            return "不明"
        if self.birth_date_precision == BirthDatePrecision.MONTH:
            return f"{self.birth_date.year}年{self.birth_date.month}月(日不明)"
        text = f"{self.birth_date.year}年{self.birth_date.month}月{self.birth_date.day}日"
        if self.birth_date_precision == BirthDatePrecision.ESTIMATED:
            text += "(推定)"
        return text


class OtherName(NameKeys):
    """Another name a person is or was known by (旧姓, 通称), searched like the main one."""

    class Kind(models.TextChoices):
        FORMER_SURNAME = "former_surname", _("旧姓")
        ALIAS = "alias", _("通称")
        OTHER = "other", _("その他の表記")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    family_name = models.CharField(_("姓"), max_length=50, validators=NAME_VALIDATORS)
    given_name = models.CharField(_("名"), max_length=50, blank=True, validators=NAME_VALIDATORS)
    family_kana = models.CharField(
        _("姓(フリガナ)"), max_length=100, blank=True, validators=KANA_VALIDATORS
    )
    given_kana = models.CharField(
        _("名(フリガナ)"), max_length=100, blank=True, validators=KANA_VALIDATORS
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("別の氏名")
        verbose_name_plural = _("別の氏名")
        indexes = [
            models.Index(fields=["key_family_reading", "key_given_reading"]),
            models.Index(fields=["key_family", "key_given"]),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()


class KnownTo(models.Model):
    """A unit of the center that holds records about the person: its staff may see them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="known_to")
    organisation = models.ForeignKey(Organisation, verbose_name=_("担当"), on_delete=models.PROTECT)
    since = models.DateField(_("関与開始日"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("関与している担当")
        verbose_name_plural = _("関与している担当")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="known_to_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"


class HouseholdMember(models.Model):
    """A person's place in a household (続柄), kept with its dates so history survives moves."""

    class Relationship(models.TextChoices):
        HEAD = "head", _("世帯主")
        SPOUSE = "spouse", _("配偶者")
        FATHER = "father", _("父")
        MOTHER = "mother", _("母")
        CHILD = "child", _("子")
        GRANDPARENT = "grandparent", _("祖父母")
        SIBLING = "sibling", _("兄弟姉妹")
        COHABITANT = "cohabitant", _("同居人")
        OTHER = "other", _("その他")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(_("続柄"), max_length=20, choices=Relationship.choices)
    valid_from = models.DateField(_("開始日"), null=True, blank=True)
    valid_to = models.DateField(_("終了日"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("世帯員")
        verbose_name_plural = _("世帯員")

    def __str__(self) -> str:
        return f"{self.person}({self.get_relationship_display()})"


class PersonMerge(models.Model):
    """A worker's decision that two records are one person (名寄せ).

    Nothing is deleted or moved: the absorbed record points to the kept one through
    ``Person.merged_into`` and both keep their histories, so the merge can be undone.
    """

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    absorbed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(_("統合日時"), auto_now_add=True)
    score = models.FloatField(_("スコア"), null=True, blank=True)
    reasons = models.JSONField(_("理由"), default=list, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("名寄せ(統合)")
        verbose_name_plural = _("名寄せ(統合)")
        constraints = [
            models.CheckConstraint(condition=~Q(kept=F("absorbed")), name="merge_two_persons")
        ]

    def __str__(self) -> str:
        return f"{self.absorbed} → {self.kept}"


class CannotLink(models.Model):
    """Two records a worker decided are different people: never proposed again."""

    person_low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("判断日時"), auto_now_add=True)
    note = models.CharField(_("メモ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("別人と判断した組")
        verbose_name_plural = _("別人と判断した組")
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="cannot_link_once"),
            models.CheckConstraint(
                condition=Q(person_low__lt=F("person_high")), name="cannot_link_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_low} ≠ {self.person_high}"


class MatchProposal(models.Model):
    """A pair the database scan proposes as possibly one person, waiting for a worker."""

    class Status(models.TextChoices):
        OPEN = "open", _("未確認")
        MERGED = "merged", _("同一人物として統合")
        DIFFERENT = "different", _("別人")

    person_low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("スコア"))
    decision = models.CharField(_("判定"), max_length=10)
    reasons = models.JSONField(_("理由"), default=list)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    found_at = models.DateTimeField(_("検出日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("名寄せ候補")
        verbose_name_plural = _("名寄せ候補")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["person_low", "person_high"], name="proposal_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_low} / {self.person_high} ({self.score:.1f})"


class MatchModel(models.Model):
    """Scorer parameters estimated from data (EM), shared by the form lookup and the batch scan."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True)
    parameters = models.JSONField()
    trained_at = models.DateTimeField(auto_now_add=True)
    record_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("名寄せモデル")
        verbose_name_plural = _("名寄せモデル")
        get_latest_by = "trained_at"

    def __str__(self) -> str:
        return f"名寄せモデル {self.trained_at:%Y-%m-%d %H:%M}"

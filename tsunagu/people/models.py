"""Persons and households: one record per person across every unit of the center."""

from django.db import models
from simple_history.models import HistoricalRecords

from tsunagu.core.models import Area, Municipality


class Sex(models.TextChoices):
    FEMALE = "female", "女"
    MALE = "male", "男"
    UNKNOWN = "unknown", "不明"


class Household(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    address = models.CharField("住所", max_length=200)
    town = models.ForeignKey(
        Area, verbose_name="町丁目", on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField("電話番号", max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "世帯"
        verbose_name_plural = "世帯"

    def __str__(self) -> str:
        return self.address


class Person(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    family_name = models.CharField("姓", max_length=50)
    given_name = models.CharField("名", max_length=50, blank=True)
    family_kana = models.CharField("姓(フリガナ)", max_length=100, blank=True)
    given_kana = models.CharField("名(フリガナ)", max_length=100, blank=True)
    birth_date = models.DateField("生年月日", null=True, blank=True)
    sex = models.CharField("性別", max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    address = models.CharField("住所", max_length=200, blank=True)
    town = models.ForeignKey(
        Area, verbose_name="町丁目", on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField("電話番号", max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "人"
        verbose_name_plural = "人"
        indexes = [models.Index(fields=["municipality", "family_kana", "given_kana"])]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()


class HouseholdMember(models.Model):
    """A person's place in a household (続柄), kept with its dates so history survives moves."""

    class Relationship(models.TextChoices):
        HEAD = "head", "世帯主"
        SPOUSE = "spouse", "配偶者"
        FATHER = "father", "父"
        MOTHER = "mother", "母"
        CHILD = "child", "子"
        GRANDPARENT = "grandparent", "祖父母"
        SIBLING = "sibling", "兄弟姉妹"
        COHABITANT = "cohabitant", "同居人"
        OTHER = "other", "その他"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField("続柄", max_length=20, choices=Relationship.choices)
    valid_from = models.DateField("開始日", null=True, blank=True)
    valid_to = models.DateField("終了日", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "世帯員"
        verbose_name_plural = "世帯員"

    def __str__(self) -> str:
        return f"{self.person}({self.get_relationship_display()})"

"""The access log: one row for every read of personal data. Rows are never changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("アクセス記録は変更できません。")

    def delete(self):
        raise AppendOnlyError("アクセス記録は削除できません。")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("閲覧")
        LIST = "list", _("一覧")
        SEARCH = "search", _("検索")
        EXPORT = "export", _("出力")
        API = "api", _("API")
        PRINT = "print", _("印刷")

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.PROTECT,
        related_name="access_logs",
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("対象の種類"), max_length=100, db_index=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("対象"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("件数"), default=1)
    path = models.CharField(_("URL"), max_length=500, blank=True)
    purpose = models.CharField(_("目的"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("アクセス記録")
        verbose_name_plural = _("アクセス記録")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("アクセス記録は変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("アクセス記録は削除できません。")

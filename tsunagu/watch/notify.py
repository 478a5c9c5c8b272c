"""The mails of alerts, through Django's mail backends (the console in the demo). A mail
names the case number and the reason, never a person: mail leaves the city's network, so it
only says where to look."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.accounts.models import User

from .models import Alert


def _link(alert: Alert) -> str:
    return settings.TSUNAGU_SITE_URL.rstrip("/") + reverse("watch:alert_detail", args=[alert.pk])


def _send(alert: Alert, subject: str, lead: str, users) -> int:
    addresses = sorted({user.email for user in users if user.email})
    if not addresses:
        return 0
    raised = timezone.localtime(alert.raised_at).strftime("%Y-%m-%d %H:%M")
    lines = [lead, "", f"ケース番号: {alert.case.number}", f"理由: {alert.get_reason_display()}"]
    lines.append(f"発生: {raised}")
    if alert.acknowledge_by:
        deadline = timezone.localtime(alert.acknowledge_by).strftime("%Y-%m-%d %H:%M")
        lines.append(f"確認の期限: {deadline}")
    lines += ["", f"確認と対応はこちらから(ログインが必要です): {_link(alert)}"]
    body = "\n".join(lines)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)


def alert_raised(alert: Alert) -> int:
    """Mail the key person, or the unit's staff when the case has no key person. Returns how
    many mails were sent."""
    if alert.key_person_id:
        users = [alert.key_person]
    else:
        users = User.objects.filter(organisation=alert.unit_id, is_active=True)
    return _send(
        alert,
        f"【tsunagu】見守りアラート {alert.get_reason_display()}({alert.case.number})",
        f"{alert.source or '協力団体の見守り報告'}からアラートが上がりました。",
        users,
    )


def alert_escalated(alert: Alert) -> int:
    """Mail the supervisors of the municipality (those the policy lets receive escalations)."""
    staff = User.objects.filter(
        organisation__municipality=alert.case.municipality_id, is_active=True
    )
    return _send(
        alert,
        f"【tsunagu】未確認の緊急アラート({alert.case.number})",
        "緊急の見守りアラートが、期限までに確認されていません。",
        [user for user in staff if policy.allowed(user, "watch.escalation")],
    )

"""What watching over hears from the apps below it."""

import contextlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from tsunagu.access import policy
from tsunagu.cases import events, origins

from . import services
from .models import Referral


@receiver(events.intake_received)
def _link_referral(sender, intake, actor, origin: str, **kwargs) -> None:
    """An intake saved from a referral (its form opened by 「相談受付として受け付ける」) is
    that referral's. One the worker may not take in, or taken in meanwhile, stays as it was:
    the intake itself is kept."""
    referral = referral_of(actor, origin)
    if referral is None:
        return
    with contextlib.suppress(PermissionDenied, ValidationError):
        services.link_referral(referral, intake, actor=actor)


def referral_of(viewer, origin: str) -> Referral | None:
    """The referral an origin ("watch.referral:12") names, if the viewer may take it in."""
    kind, _, pk = origin.partition(":")
    if kind != services.REFERRAL_ORIGIN or not pk.isdigit():
        return None
    referral = policy.scope(viewer, Referral.objects.select_related("partner", "referred_by"))
    found = referral.filter(pk=int(pk)).first()
    return found if found and policy.may(viewer, "watch.referral_receive", found) else None


def _prefill(viewer, key: str) -> dict | None:
    referral = referral_of(viewer, f"{services.REFERRAL_ORIGIN}:{key}")
    if referral is None or referral.intake_id:
        return None
    return services.intake_prefill(referral)


origins.add_prefill(services.REFERRAL_ORIGIN, _prefill)

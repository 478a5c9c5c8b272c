"""Account actions: creating users and enrolling their second factor."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagu.core.models import Organisation

from .models import User


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    display_name: str = "",
    display_name_kana: str = "",
) -> User:
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        display_name=display_name,
        display_name_kana=display_name_kana,
        is_staff=role == "administrator",
        is_superuser=role == "administrator",
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one at a time)."""
    device = user.totpdevice_set.filter(confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="tsunagu", confirmed=False)


def confirm_totp_device(device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True

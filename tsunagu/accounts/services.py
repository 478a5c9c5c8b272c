"""Account actions: creating users and enrolling their second factor."""

from django.core.exceptions import PermissionDenied
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


def has_second_factor(user: User) -> bool:
    return user.totpdevice_set.filter(confirmed=True).exists()


def may_enrol(user: User, *, session_verified: bool) -> bool:
    """A first device is enrolled after the password; another one only from a session that
    has already passed the existing device (a password alone never replaces a factor)."""
    return session_verified or not has_second_factor(user)


def pending_totp_device(user: User, *, session_verified: bool) -> TOTPDevice:
    """The unconfirmed device being enrolled (one at a time).

    Raises PermissionDenied when the user has a confirmed device and this session has not
    passed it."""
    if not may_enrol(user, session_verified=session_verified):
        raise PermissionDenied
    device = user.totpdevice_set.filter(confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="tsunagu", confirmed=False)


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, token: str, *, session_verified: bool) -> bool:
    """Confirm ``device`` with a code from it; it then replaces the user's other devices.

    Raises PermissionDenied as ``pending_totp_device`` does (checked again here, so a device
    made before another one was confirmed cannot be confirmed by a password-only session)."""
    user = User.objects.select_for_update().get(pk=device.user_id)
    if not may_enrol(user, session_verified=session_verified):
        raise PermissionDenied
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    user.totpdevice_set.exclude(pk=device.pk).delete()
    return True

"""Account actions: users, their second factor, and the administrator's pages."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django_otp.plugins.otp_totp.models import TOTPDevice

from tsunagu.access import policy
from tsunagu.core.history import as_actor, refuse_if_stale
from tsunagu.core.models import Municipality, Organisation

from .models import User


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    organisation: Organisation | None,
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


# The administrator's pages: users, organisations and settings of its own municipality.
# Each change leaves a history row naming the administrator (with a reason where the changed
# value itself is not kept, as for a password).


def _saved(actor: User, obj: Model, *, reason: str | None = None) -> Model:
    obj.full_clean()
    as_actor(actor, obj)
    obj._change_reason = reason
    obj.save()
    return obj


@transaction.atomic
def register_user(*, actor: User, user: User, password: str) -> User:
    """A new user of an organisation of the administrator's municipality.

    Raises PermissionDenied for an organisation outside it, ValidationError for a weak
    password or a role the organisation cannot have."""
    policy.require(actor, "accounts.manage")
    if user.organisation is None or not policy.can_change(actor, user.organisation):
        raise PermissionDenied
    validate_password(password, user)
    user.set_password(password)
    return _saved(actor, user, reason="利用者の登録")


def _refuse_own_lockout(actor: User, user: User) -> None:
    if user.pk != actor.pk:
        return
    saved = User.objects.get(pk=user.pk)
    if (saved.role, saved.is_active, saved.organisation_id) != (
        user.role,
        user.is_active,
        user.organisation_id,
    ):
        raise ValidationError("自分自身の役割・所属・有効/無効は変更できません。")


@transaction.atomic
def update_user(*, actor: User, user: User, seen_version: int) -> User:
    """Save an edit of ``user`` made on a form opened at ``seen_version``.

    Raises PermissionDenied outside the administrator's municipality, ValidationError when
    someone saved the user since, or when administrators would change their own role."""
    if user.organisation is None or not policy.can_change(actor, user.organisation):
        raise PermissionDenied
    _refuse_own_lockout(actor, user)
    return _update(actor, user, seen_version, "この利用者の情報")


@transaction.atomic
def set_password(*, actor: User, user: User, password: str) -> User:
    """A new password set by the administrator (the user's other sessions end with it).

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "accounts.manage", user)
    validate_password(password, user)
    user.set_password(password)
    return _saved(actor, user, reason="パスワードの再設定(管理者)")


@transaction.atomic
def reset_second_factor(*, actor: User, user: User) -> User:
    """Remove the user's authenticator devices: at the next sign-in they enrol a new one.

    For a lost phone. The history of the user records who reset it and when.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "accounts.manage", user)
    user.totpdevice_set.all().delete()
    return _saved(actor, user, reason="2段階認証のリセット(管理者)")


@transaction.atomic
def register_organisation(*, actor: User, organisation: Organisation) -> Organisation:
    """A new organisation of the administrator's municipality.

    Raises PermissionDenied when the policy refuses the actor; ValidationError (its message in
    Japanese) when the data or the moment is refused."""
    policy.require(actor, "accounts.manage")
    organisation.municipality_id = actor.municipality_id
    if organisation.parent and organisation.parent.municipality_id != actor.municipality_id:
        raise PermissionDenied
    return _saved(actor, organisation, reason="組織の登録")


def _update(actor: User, obj: Model, seen_version: int, what: str) -> Model:
    """Save ``obj`` under a row lock, unless someone saved it after ``seen_version``."""
    policy.require(actor, "accounts.manage", obj)
    type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    refuse_if_stale(obj, seen_version, what)
    return _saved(actor, obj)


@transaction.atomic
def update_organisation(
    *, actor: User, organisation: Organisation, seen_version: int
) -> Organisation:
    return _update(actor, organisation, seen_version, "この組織の情報")


@transaction.atomic
def update_municipality(
    *, actor: User, municipality: Municipality, seen_version: int
) -> Municipality:
    return _update(actor, municipality, seen_version, "市区町村の設定")

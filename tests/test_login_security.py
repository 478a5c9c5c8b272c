from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from tsunagu.accounts.services import pending_totp_device

from .factories import PASSWORD


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, follow=False
    )


def test_each_role_lands_on_its_home(users):
    homes = {
        "nurse": "home_center",
        "supervisor": "home_center",
        "partner": "home_partner",
        "provider": "home_provider",
        "cgc": "home_cgc",
        "editor": "home_editor",
        "admin": "home_admin",
    }
    for key, home in homes.items():
        client = Client()
        assert _login(client, key).status_code == 302
        response = client.get(reverse("accounts:home"))
        assert response.url == reverse(f"accounts:{home}"), key


def test_wrong_password_is_refused_in_japanese(users):
    response = _login(Client(), "nurse", "wrong-password")
    assert response.status_code == 200
    assert "利用者IDまたはパスワードが正しくありません。" in response.content.decode()


def test_lock_out_after_five_failures_even_with_the_right_password(users):
    client = Client()
    for _ in range(5):
        _login(client, "caseworker", "wrong-password")
    response = _login(client, "caseworker")
    assert response.status_code == 429
    assert "ログインを一時停止しています" in response.content.decode()
    # Another user from the same address is not locked out.
    assert _login(Client(), "nurse").status_code == 302


@override_settings(TSUNAGU_REQUIRE_2FA=True)
def test_staff_must_enrol_and_pass_totp_when_required(users):
    client = Client()
    _login(client, "nurse")
    response = client.get(reverse("accounts:home_center"))
    assert response.status_code == 302 and reverse("accounts:otp_setup") in response.url
    setup = client.get(reverse("accounts:otp_setup"))
    assert "2段階認証の設定" in setup.content.decode()
    device = pending_totp_device(users["nurse"], session_verified=False)
    done = client.post(reverse("accounts:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 302
    assert client.get(reverse("accounts:home_center")).status_code == 200

    # The next sign-in asks for a code from the enrolled device, and refuses a wrong one.
    second = Client()
    _login(second, "nurse")
    response = second.get(reverse("accounts:home_center"))
    assert reverse("accounts:otp_verify") in response.url
    wrong = (totp(device.bin_key) + 1) % 1_000_000
    refused = second.post(reverse("accounts:otp_verify"), {"token": f"{wrong:06d}"})
    assert "確認コードが正しくありません。" in refused.content.decode()
    assert second.get(reverse("accounts:home_center")).status_code == 302


def _enrolled(user):
    device = pending_totp_device(user, session_verified=False)
    device.confirmed = True
    device.save()
    return device


@override_settings(TSUNAGU_REQUIRE_2FA=True)
def test_a_password_alone_cannot_enrol_a_new_device(users):
    """The probe's bypass: signed in with the password, open the (exempt) setup page, confirm a
    code from a new secret — and be in. The setup page sends such a session to the existing
    device instead, and a new device is never made or confirmed."""
    enrolled = _enrolled(users["supervisor"])
    client = Client()
    _login(client, "supervisor")
    response = client.get(reverse("accounts:otp_setup") + "?next=/cases/")
    assert response.status_code == 302 and reverse("accounts:otp_verify") in response.url
    assert "next=%2Fcases%2F" in response.url
    # A device made before (a pending one from an earlier visit) cannot be confirmed either.
    stale = users["supervisor"].totpdevice_set.create(name="old", confirmed=False)
    posted = client.post(reverse("accounts:otp_setup"), {"token": f"{totp(stale.bin_key):06d}"})
    assert posted.status_code == 302 and reverse("accounts:otp_verify") in posted.url
    stale.refresh_from_db()
    assert not stale.confirmed
    assert client.get(reverse("accounts:home_center")).status_code == 302
    assert list(users["supervisor"].totpdevice_set.filter(confirmed=True)) == [enrolled]


@override_settings(TSUNAGU_REQUIRE_2FA=True)
def test_a_verified_session_may_replace_its_device(users):
    old = _enrolled(users["nurse"])
    client = Client()
    _login(client, "nurse")
    client.post(reverse("accounts:otp_verify"), {"token": f"{totp(old.bin_key):06d}"})
    assert client.get(reverse("accounts:home_center")).status_code == 200
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    new = users["nurse"].totpdevice_set.get(confirmed=False)
    done = client.post(reverse("accounts:otp_setup"), {"token": f"{totp(new.bin_key):06d}"})
    assert done.status_code == 302
    assert list(users["nurse"].totpdevice_set.all()) == [new]


@override_settings(TSUNAGU_REQUIRE_2FA=True)
def test_partners_are_not_asked_for_a_second_factor(users):
    client = Client()
    _login(client, "partner")
    assert client.get(reverse("accounts:home_partner")).status_code == 200


def test_second_factor_is_off_in_the_demo(users):
    client = Client()
    _login(client, "nurse")
    assert client.get(reverse("accounts:home_center")).status_code == 200


def test_pages_carry_security_headers(users):
    client = Client()
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_login_form_requires_csrf(users):
    client = Client(enforce_csrf_checks=True)
    response = _login(client, "nurse")
    assert response.status_code == 403


def test_idle_session_expires(users):
    client = Client()
    _login(client, "nurse")
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    client.get(reverse("accounts:home_center"))
    # Every request pushes the 30-minute expiry forward...
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    # ...and once those 30 minutes pass with no request, the worker signs in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("accounts:home_center"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from tests import factories
from tsunagu.accounts.models import User
from tsunagu.core.models import Area, Organisation
from tsunagu.core.roles import Role
from tsunagu.demo import loader
from tsunagu.people.models import Household, HouseholdMember, Person

TODAY = date(2026, 11, 23)


def _names(seed: int) -> list[tuple]:
    factories.ensure_code_lists()
    loader.build_city(seed=seed, scale=0.01, today=TODAY, progress=lambda _: None)
    rows = list(
        Person.objects.order_by("pk").values_list(
            "family_name", "given_name", "family_kana", "birth_date", "address"
        )
    )
    call_command("flush", interactive=False, verbosity=0)
    return rows


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction
def test_same_seed_builds_the_same_city():
    first, again, other = _names(7), _names(7), _names(8)
    assert first == again
    assert first != other


def test_city_shape_follows_the_seed_document(db, tmp_path, capsys):
    logins = tmp_path / "logins.txt"
    call_command("demo", "--scale", "0.02", "--today", "2026-11-23", "--logins-file", str(logins))
    output = capsys.readouterr().out
    people = Person.objects.count()
    assert abs(people - 139_712 * 0.02) < 139_712 * 0.02 * 0.02
    assert abs(Household.objects.count() - 60_379 * 0.02) <= 2
    assert Area.objects.filter(kind=Area.Kind.REGION).count() == 6
    assert Area.objects.filter(kind=Area.Kind.ELEMENTARY_DISTRICT).count() == 28
    assert Organisation.objects.filter(kind=Organisation.Kind.CAFETERIA).count() == 12
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind)
    assert HouseholdMember.objects.count() == people
    # Names come with their readings in katakana.
    person = Person.objects.first()
    assert person.family_kana and all("ァ" <= ch <= "ヶ" or ch == "ー" for ch in person.family_kana)
    # One login per role, each printed with a password generated for this demo.
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    for user in User.objects.all():
        line = next(x for x in output.splitlines() if x.strip().startswith(user.username + "\t"))
        password = line.split("\t")[1]
        assert user.check_password(password)
        assert line.split("\t")[2] == Role(user.role).label  # 保健師 reads 「センター職員」
    assert logins.read_text(encoding="utf-8").count("\n") == User.objects.count() + 1


def test_running_demo_again_only_issues_new_passwords(db, tmp_path, capsys):
    logins = tmp_path / "logins.txt"
    call_command("demo", "--scale", "0.01", "--logins-file", str(logins))
    people = Person.objects.count()
    old = User.objects.get(username="hoken").password
    call_command("demo", "--scale", "0.01", "--logins-file", str(logins))
    assert Person.objects.count() == people
    assert User.objects.get(username="hoken").password != old
    assert "パスワードを再発行" in capsys.readouterr().out


def test_demo_keeps_history_of_what_it_created(db):
    loader.build_city(seed=1, scale=0.01, today=TODAY, progress=lambda _: None)
    assert Person.history.count() == Person.objects.count()
    assert Person.history.first().history_change_reason == loader.HISTORY_REASON


def test_casework_follows_the_seeds_proportions(db):
    from tsunagu.cases.models import Case, Intake, Registration
    from tsunagu.maternal.models import Pregnancy, UnseenChild

    loader.build_city(seed=3, scale=0.1, today=TODAY, progress=lambda _: None)
    # The casework's consultations; the maternal line raises a few intakes of its own (a child
    # nobody has seen, a 特定妊婦 registered from her notification).
    from_maternal = {*UnseenChild.objects.values_list("intake", flat=True)}
    from_maternal |= {*Pregnancy.objects.exclude(intake=None).values_list("intake", flat=True)}
    intakes = Intake.objects.count()
    assert abs(intakes - len(from_maternal) - 641) <= 1 and 1 <= len(from_maternal) <= 5
    abuse = Intake.objects.filter(category__is_abuse=True).count() / intakes
    assert 0.14 < abuse < 0.23  # seed 001: 虐待 18.6 %
    registered = Registration.objects.filter(ended_on=None)
    protection = registered.filter(category="protection").count()
    support = registered.filter(category="support").count()
    assert protection and 3 <= support / protection <= 5  # seed 003: about 80 and 320
    # every abuse report's child was sighted, apart from the last few days' reports
    late = Intake.objects.filter(is_abuse_report=True, safety_checked_at=None)
    assert all(i.received_at.date() > TODAY - timedelta(days=4) for i in late)
    assert Case.objects.filter(status="closed").exists()
    assert all(Case.objects.values_list("title", flat=True))
    # The register is consistent: registered by today, reviewed only after registration, the
    # next review three months after the last one (or after registration).
    for registration in Registration.objects.select_related("case"):
        last = registration.last_reviewed_on
        assert registration.registered_on <= TODAY
        assert last is None or registration.registered_on < last <= TODAY
        assert registration.case.next_review_on == (
            last or registration.registered_on
        ) + relativedelta(months=3)

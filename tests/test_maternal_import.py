"""The maternal line's imports: births from the resident registry and check-up lists from the
health system, all or nothing, the persons found or registered through the name matcher."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests import factories
from tsunagu.maternal import importing, schedule
from tsunagu.maternal.models import (
    Birth,
    Checkup,
    CheckupKind,
    FollowUp,
    NewbornVisit,
    Pregnancy,
)
from tsunagu.people.models import KnownTo, MatchProposal, Person

pytestmark = pytest.mark.django_db

CHILD = {
    "id": "R0001",
    "family_name": "髙橋",
    "given_name": "陽葵",
    "family_kana": "タカハシ",
    "given_kana": "ヒマリ",
    "birth_date": "2026-10-01",
    "sex": "女",
    "postal_code": "510-0001",
    "address": "テスト市本町1-2-3",
    "phone": "059-123-4567",
}
MOTHER = {
    "mother_family_name": "髙橋",
    "mother_given_name": "美咲",
    "mother_family_kana": "タカハシ",
    "mother_given_kana": "ミサキ",
    "mother_birth_date": "1990-05-01",
}
BIRTH = {"weeks": "39", "weight_g": "3012", "place": "病院"}


def _birth_row(**changes) -> dict:
    return {**CHILD, **MOTHER, **BIRTH, **changes}


def _csv(rows: list[dict], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for row in rows for k in row)))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _rows(rows: list[dict], columns=importing.BIRTH_COLUMNS) -> list[dict]:
    return importing.read_rows(_csv(rows), columns)


@pytest.fixture
def nurse(users):
    return users["nurse"]


def test_a_birth_registers_child_and_mother_with_a_pregnancy_and_the_newborn_visit(town, nurse):
    result = importing.import_births(town, _rows([_birth_row()]), actor=nurse)

    assert result.saved and (result.created, result.persons_created, result.review) == (1, 2, 0)
    birth = Birth.objects.get()
    child, mother = birth.child, birth.pregnancy.mother
    assert (str(child), child.resident_id, child.birth_date) == (
        "髙橋 陽葵",
        "R0001",
        date(2026, 10, 1),
    )
    assert (str(mother), mother.birth_date, mother.sex) == ("髙橋 美咲", date(1990, 5, 1), "female")
    assert (birth.weeks, birth.weight_g, birth.place) == (39, 3012, Birth.Place.HOSPITAL)
    pregnancy = birth.pregnancy
    assert pregnancy.status == Pregnancy.Status.BORN
    assert pregnancy.interview_notes == importing.IMPORTED_PREGNANCY_NOTE
    assert (pregnancy.notified_on, pregnancy.expected_on) == (date(2026, 10, 1),) * 2
    assert pregnancy.partner == Pregnancy.Partner.UNKNOWN and pregnancy.flags == ""
    visit = NewbornVisit.objects.get(birth=birth)
    assert (visit.status, visit.due_on, visit.nurse) == ("due", date(2027, 2, 1), nurse)
    for person in (child, mother):
        assert KnownTo.objects.filter(person=person, organisation=nurse.organisation).exists()
    assert child.history.first().history_user == nurse


def test_an_existing_mother_is_found_and_her_open_pregnancy_used(town, nurse, family):
    _, mother, _ = family
    open_pregnancy = Pregnancy.objects.create(
        municipality=town,
        mother=mother,
        notified_on=date(2026, 3, 1),
        weeks_at_notification=10,
        expected_on=date(2026, 10, 5),
        partner=Pregnancy.Partner.MARRIED,
        feelings=Pregnancy.Feelings.GLAD,
        support_after_birth=Pregnancy.Support.ENOUGH,
        money=Pregnancy.Money.STABLE,
        interviewed_by=nurse,
        unit=nurse.organisation,
        nurse=nurse,
    )
    persons = Person.objects.count()

    result = importing.import_births(town, _rows([_birth_row()]), actor=nurse)

    assert result.saved and (result.created, result.persons_created) == (1, 1)
    assert Person.objects.count() == persons + 1
    birth = Birth.objects.get()
    assert birth.pregnancy == open_pregnancy and birth.pregnancy.mother == mother
    open_pregnancy.refresh_from_db()
    assert open_pregnancy.status == Pregnancy.Status.BORN
    assert Pregnancy.objects.count() == 1


def test_twins_go_on_one_pregnancy(town, nurse):
    twin = _birth_row(id="R0002", given_name="凛", given_kana="リン", weight_g="2410")
    result = importing.import_births(town, _rows([_birth_row(), twin]), actor=nurse)

    assert result.saved and result.created == 2 and result.persons_created == 3
    assert Pregnancy.objects.count() == 1 and Pregnancy.objects.get().births.count() == 2


def test_a_near_match_is_queued_for_review_and_a_new_person_registered(town, nurse):
    # Her name and birth date, another surname and no contact in common: a woman who married
    # and moved, or another woman. The matcher does not decide; a worker does.
    former = factories.person(
        town,
        "美咲",
        "ミサキ",
        date(1990, 5, 1),
        family_name="佐藤",
        family_kana="サトウ",
        address="となり町5-6",
    )
    factories.known_to(former, factories.Kind.UNIT_MATERNAL_HEALTH)

    result = importing.import_births(town, _rows([_birth_row()]), actor=nurse)

    assert result.saved and result.review == 1 and result.persons_created == 2
    mother = Birth.objects.get().pregnancy.mother
    assert mother != former
    proposal = MatchProposal.objects.get()
    assert {proposal.person_low, proposal.person_high} == {mother, former}
    assert proposal.decision == "review" and proposal.status == MatchProposal.Status.OPEN
    assert proposal.reasons


def test_re_importing_the_same_file_creates_nothing(town, nurse):
    rows = _rows([_birth_row(), _birth_row(id="R0002", given_name="凛", given_kana="リン")])
    importing.import_births(town, rows, actor=nurse)
    counts = [m.objects.count() for m in (Person, Pregnancy, Birth, NewbornVisit, MatchProposal)]

    again = importing.import_births(town, rows, actor=nurse)

    assert again.saved and (again.created, again.found, again.persons_created) == (0, 2, 0)
    assert [
        m.objects.count() for m in (Person, Pregnancy, Birth, NewbornVisit, MatchProposal)
    ] == counts


def test_one_bad_row_saves_nothing_and_every_bad_row_is_reported(town, nurse):
    rows = _rows(
        [
            _birth_row(),
            _birth_row(id="R0002", given_name="凛", given_kana="リン", born_on="2026-13-01"),
            _birth_row(id="R0003", given_name="蓮", given_kana="レン", weeks="39週", place="車内"),
        ]
    )

    result = importing.import_births(town, rows, actor=nurse)

    assert not result.saved and result.created == 0
    messages = [message for _, message in result.errors]
    assert "3行目: born_on「2026-13-01」は日付ではありません。" in messages
    assert "4行目: weeks「39週」は整数ではありません。" in messages
    assert any(m.startswith("4行目: place「車内」は選べる値ではありません") for m in messages)
    assert {line for line, _ in result.errors} == {3, 4}
    assert not Person.objects.exists() and not Birth.objects.exists()
    assert not Pregnancy.objects.exists()


def test_a_future_birth_and_a_missing_value_are_row_errors(town, nurse):
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    rows = _rows([_birth_row(birth_date=future, mother_family_name="")])

    result = importing.import_births(town, rows, actor=nurse)

    messages = [message for _, message in result.errors]
    assert f"2行目: birth_date「{future}」は未来の日付です。" in messages
    assert "2行目: mother_family_name: 入力されていません。" in messages
    assert len(messages) == 2  # one message for the empty name, not Django's second one


def test_a_cp932_file_with_a_bom_less_header_is_read(town, nurse):
    data = _csv([_birth_row(place="診療所")], encoding="cp932")
    rows = importing.read_rows(data, importing.BIRTH_COLUMNS)

    result = importing.import_births(town, rows, actor=nurse)

    assert result.saved and Birth.objects.get().place == Birth.Place.CLINIC
    assert Birth.objects.get().child.given_name == "陽葵"


def test_a_utf8_file_with_a_bom_is_read():
    rows = importing.read_rows(b"\xef\xbb\xbf" + _csv([_birth_row()]), importing.BIRTH_COLUMNS)
    assert rows[0]["id"] == "R0001" and rows[0]["_line"] == 2


def test_missing_columns_are_listed():
    data = _csv([{k: v for k, v in _birth_row().items() if k not in ("weeks", "phone")}])
    with pytest.raises(ValidationError, match="phone, weeks"):
        importing.read_rows(data, importing.BIRTH_COLUMNS)


# --- check-ups -----------------------------------------------------------------------------


@pytest.fixture
def child(town, nurse):
    schedule.load(town)
    importing.import_births(
        town,
        _rows([_birth_row(birth_date="2026-06-01", weeks="40", weight_g="3200")]),
        actor=nurse,
    )
    return Birth.objects.get().child


def _checkup_row(**changes) -> dict:
    return {
        **CHILD,
        "birth_date": "2026-06-01",
        "checkup": "4m",
        "status": "受診",
        "attended_on": "2026-10-05",
        "height_cm": "63.5",
        "weight_g": "6800",
        "growth": "所見なし",
        "development": "watch",
        "follow_up_needed": "1",
        "notes": "首のすわりがやや遅い",
        **changes,
    }


def _checkups(rows):
    return _rows(rows, importing.CHECKUP_COLUMNS)


def test_the_checkup_file_records_attendance_findings_and_a_follow_up(town, nurse, child):
    result = importing.import_checkups(town, _checkups([_checkup_row()]), actor=nurse)

    assert result.saved and result.created == 1
    checkup = Checkup.objects.get(child=child)
    assert checkup.kind.code == "4m" and checkup.status == Checkup.Status.ATTENDED
    assert (checkup.attended_on, checkup.height_cm, checkup.weight_g) == (
        date(2026, 10, 5),
        Decimal("63.5"),
        6800,
    )
    assert (checkup.growth, checkup.development) == ("none", "watch")
    assert checkup.follow_up_needed and checkup.due_on == date(2026, 12, 1)
    follow_up = FollowUp.objects.get(person=child, kind=FollowUp.Kind.CHECKUP_FINDING)
    assert follow_up.owner == nurse and "首のすわり" in follow_up.reason


def test_an_invited_checkup_is_completed_and_a_missed_one_marked(town, nurse, child):
    four_months = CheckupKind.objects.get(municipality=town, code="4m")
    invited = Checkup.objects.create(
        municipality=town,
        child=child,
        kind=four_months,
        invited_on=date(2026, 9, 1),
        due_on=date(2026, 12, 1),
    )
    result = importing.import_checkups(
        town, _checkups([_checkup_row(follow_up_needed="いいえ")]), actor=nurse
    )
    assert result.saved and (result.created, result.updated) == (0, 1)
    invited.refresh_from_db()
    assert invited.status == Checkup.Status.ATTENDED and not invited.follow_up_needed
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.CHECKUP_FINDING).exists()

    missed = _checkup_row(checkup="10か月児健診", status="missed", attended_on="")
    result = importing.import_checkups(town, _checkups([missed]), actor=nurse)
    assert result.saved and result.created == 1
    assert Checkup.objects.get(kind__code="10m").status == Checkup.Status.MISSED

    again = importing.import_checkups(town, _checkups([_checkup_row(), missed]), actor=nurse)
    assert again.saved and again.found == 2 and Checkup.objects.count() == 2


def test_an_unknown_child_in_a_checkup_file_saves_nothing(town, nurse, child):
    rows = _checkups(
        [
            _checkup_row(),
            _checkup_row(given_name="湊", given_kana="ミナト", birth_date="2026-02-03"),
            _checkup_row(checkup="5y", growth="ふつう"),
        ]
    )

    result = importing.import_checkups(town, rows, actor=nurse)

    assert not result.saved
    messages = [message for _, message in result.errors]
    assert any(m.startswith("3行目: 子ども 髙橋 湊") and "見つかりません" in m for m in messages)
    assert any(m.startswith("4行目: checkup「5y」はこの市の健診ではありません") for m in messages)
    assert any(m.startswith("4行目: growth「ふつう」は選べる値ではありません") for m in messages)
    assert not Checkup.objects.exists() and not FollowUp.objects.exists()


def test_a_child_only_possibly_found_is_a_row_error(town, nurse, child):
    # The same name and birth date, another surname and no contact: maybe her, maybe not.
    row = _checkup_row(
        family_name="佐藤", family_kana="サトウ", address="", phone="", postal_code=""
    )
    result = importing.import_checkups(town, _checkups([row]), actor=nurse)
    assert not result.saved and "確実に特定できません" in result.errors[0][1]
    assert not Checkup.objects.exists()


def test_a_caseworker_is_refused(town, users):
    with pytest.raises(PermissionDenied):
        importing.import_births(town, _rows([_birth_row()]), actor=users["caseworker"])
    with pytest.raises(PermissionDenied):
        importing.import_checkups(town, [], actor=users["caseworker"])
    assert not Person.objects.exists()


def test_another_citys_nurse_is_refused(town, other_town, nurse):
    with pytest.raises(PermissionDenied):
        importing.import_births(other_town, _rows([_birth_row()]), actor=nurse)


# --- the command ---------------------------------------------------------------------------


def _command(tmp_path, kind, rows, user="nurse", encoding="utf-8"):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(_csv(rows, encoding))
    call_command("maternal_import", kind, str(path), "--municipality", "24205", "--user", user)


def test_the_command_imports_and_says_what_it_did(tmp_path, town, users, capsys):
    _command(tmp_path, "births", [_birth_row()], encoding="cp932")

    err = capsys.readouterr().err
    assert "出生の取り込み: 1 行を読み込みました。" in err
    assert "完了: 出生の記録 1 件" in err and "新しく登録した人 2 人" in err
    assert Birth.objects.count() == 1


def test_the_command_fails_with_every_row_error_and_saves_nothing(tmp_path, town, users, capsys):
    rows = [_birth_row(), _birth_row(id="R0002", born_on="2026-13-01")]
    with pytest.raises(CommandError, match="1 行に誤りがあるため、何も保存しませんでした"):
        _command(tmp_path, "births", rows)

    assert "3行目: born_on「2026-13-01」は日付ではありません。" in capsys.readouterr().err
    assert not Birth.objects.exists() and not Person.objects.exists()


def test_the_command_refuses_a_caseworker_and_an_unknown_user(tmp_path, town, users):
    with pytest.raises(CommandError, match="権限がありません"):
        _command(tmp_path, "births", [_birth_row()], user="caseworker")
    with pytest.raises(CommandError, match="いません"):
        _command(tmp_path, "births", [_birth_row()], user="nobody")
    assert not Person.objects.exists()


def test_the_command_lists_missing_columns(tmp_path, town, users):
    row = {k: v for k, v in _checkup_row().items() if k != "status"}
    with pytest.raises(CommandError, match="次の列がありません: status"):
        _command(tmp_path, "checkups", [row])


def test_the_command_exits_non_zero_when_a_row_fails(tmp_path, town, users, capsys, monkeypatch):
    from django.core.management import base

    from tsunagu.maternal.management.commands.maternal_import import Command

    # run_from_argv closes the connections when done, which would close the test's database.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    path = tmp_path / "births.csv"
    path.write_bytes(_csv([_birth_row(weight_g="重い")]))
    argv = ["tsunagu", "maternal_import", "births", str(path)]
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv([*argv, "--municipality", "24205", "--user", "nurse"])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert (
        "2行目: weight_g「重い」は整数ではありません。" in err and "何も保存しませんでした" in err
    )
    assert not Person.objects.exists()


# --- the upload page -----------------------------------------------------------------------


def _upload(client, data: bytes, kind: str = "births"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("births.csv", data, content_type="text/csv")
    return client.post("/maternal/import/", {"kind": kind, "file": upload})


def test_a_nurse_uploads_a_births_file_and_sees_what_it_did(client, town, nurse):
    client.force_login(nurse)
    page = _upload(client, _csv([_birth_row()], "cp932"))
    assert "出生の 1 行を取り込みました: 新規 1 件" in page.content.decode()
    assert Birth.objects.count() == 1


def test_an_upload_with_a_bad_row_shows_the_row_and_saves_nothing(client, town, nurse):
    client.force_login(nurse)
    page = _upload(client, _csv([_birth_row(), _birth_row(given_name="蓮", weeks="九")]))
    text = page.content.decode()
    assert "誤りのある行が 1 件あります。何も保存していません。" in text
    assert "3行目" in text and "weeks" in text
    assert not Birth.objects.exists()


def test_an_upload_missing_columns_names_them(client, town, nurse):
    client.force_login(nurse)
    page = _upload(client, b"family_name,given_name\n")
    assert "CSV の見出しに次の列がありません" in page.content.decode()

"""Directory imports as background jobs: checked without writing, applied all or nothing in
short transactions, keyed by publisher and dataset, and saying what they would replace."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tsunagu.resources import importing, services
from tsunagu.resources.models import DirectoryImport, ImportChange, Schedule, Service
from tsunagu.resources.opendata import importer

from . import factories

HEADER = (
    "全国地方公共団体コード,ID,名称,種別,住所,緯度,経度,利用可能曜日,開始時間,終了時間,料金\r\n"
)


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8")


CAFETERIAS = _csv(
    "242055,1,本町こども食堂,こども食堂,三重県テスト市本町1-2,35.06,136.6,水,17:00,19:30,こども無料・おとな300円\r\n",
    "242055,2,東町まなび教室,学習支援,三重県テスト市東町4,35.07,136.6,土,10:00,12:00,無料\r\n",
    "242055,3,西町ひろば,地域の茶の間,三重県テスト市西町5,35.08,136.6,月,10:00,12:00,\r\n",
)


@pytest.fixture
def editor(town, users):
    factories.ensure_code_lists()
    return users["editor"]


def _staged(editor, data: bytes = CAFETERIAS, dataset: str = "こども食堂一覧") -> DirectoryImport:
    staged = services.stage_import("list.csv", data, dataset=dataset, actor=editor)
    factories.run_jobs()
    staged.refresh_from_db()
    return staged


def _applied(editor, staged: DirectoryImport, skip_bad: bool = False) -> DirectoryImport:
    services.apply_import(staged, skip_bad=skip_bad, actor=editor)
    factories.run_jobs()
    staged.refresh_from_db()
    return staged


def test_checking_writes_nothing_and_reports_what_would_happen(editor):
    staged = _staged(editor)
    assert staged.status == DirectoryImport.Status.CHECKED
    assert (staged.report["created"], staged.report["rows"], staged.done) == (3, 3, 3)
    assert staged.report["uncategorised"] == ["地域の茶の間"]
    assert not Service.objects.exists()


def test_applying_creates_the_entries_with_their_history_categories_and_prices(editor):
    staged = _applied(editor, _staged(editor))
    assert staged.status == DirectoryImport.Status.APPLIED and staged.applied_by == editor
    assert staged.outcome == "新規 3 件、更新 0 件、変更なし 0 件"
    cafeteria = Service.objects.get(name="本町こども食堂")
    assert list(cafeteria.categories.values_list("code", flat=True)) == ["eat"]
    assert (cafeteria.child_fee, cafeteria.adult_fee) == (0, 300)
    assert cafeteria.fees_description == "こども無料・おとな300円"  # as written
    assert cafeteria.last_verified_on == timezone.localdate()  # importing verifies
    assert cafeteria.history.get().history_user == editor
    assert (
        Schedule.objects.filter(place__service=cafeteria).get().history.get().history_user == editor
    )
    assert not ImportChange.objects.exists()  # the undo log goes once applied


def test_an_unknown_kind_gets_the_category_the_editor_maps_it_to(editor, client):
    staged = _staged(editor)
    client.force_login(editor)
    url = reverse("resources:import_categories", args=[staged.pk])
    client.post(url, {"kind:地域の茶の間": "rest"})
    factories.run_jobs()
    staged.refresh_from_db()
    assert staged.report["uncategorised"] == []
    _applied(editor, staged)
    place = Service.objects.get(name="西町ひろば")
    assert list(place.categories.values_list("code", flat=True)) == ["rest"]


def test_an_unrelated_dataset_with_the_same_ids_replaces_nothing(editor):
    _applied(editor, _staged(editor))
    other = _csv(
        "242055,1,子育てひろば本町,子育てひろば,三重県テスト市本町9,35.06,136.6,月,9:00,16:00,\r\n"
    )
    staged = _staged(editor, other, dataset="子育て施設一覧")
    assert (staged.report["created"], staged.report["updated"]) == (1, 0)
    _applied(editor, staged)
    assert Service.objects.filter(name="本町こども食堂").exists()
    assert Service.objects.count() == 4


def test_the_preview_says_what_each_replaced_entry_changes(editor, client):
    _applied(editor, _staged(editor))
    renamed = CAFETERIAS.replace("本町こども食堂".encode(), "ほんまち食堂".encode())
    staged = _staged(editor, renamed)
    assert (staged.report["updated"], staged.report["unchanged"]) == (1, 2)
    (replaced,) = staged.report["replaced"]
    assert (replaced["was"], replaced["name"]) == ("本町こども食堂", "ほんまち食堂")
    client.force_login(editor)
    page = client.get(reverse("resources:import_detail", args=[staged.pk])).content.decode()
    assert "置き換え 1 件" in page and "本町こども食堂" in page and "名称" in page


def test_an_import_whose_worker_died_is_undone_whole(editor):
    """Half written (the first chunk of an update and a create), then nothing: the next job
    finds it stalled and takes every change back, the update as well as the new entries."""
    _applied(editor, _staged(editor))
    before = {s.name: s.description for s in Service.objects.all()}
    changed = (
        CAFETERIAS.replace("本町こども食堂".encode(), "ほんまち食堂".encode())
        + (
            "242055,4,北町食堂,こども食堂,三重県テスト市北町1,35.09,136.6,金,17:00,19:00,\r\n"
        ).encode()
    )
    staged = _staged(editor, changed)
    staged.status = DirectoryImport.Status.APPLYING
    staged.heartbeat_at = timezone.now()
    staged.save()
    _kind, records = importing.records_of(staged)
    outcome = importer.Outcome()
    importing.write(staged.municipality, records[:1] + records[3:], editor, outcome, staged)
    assert Service.objects.filter(name__in=["ほんまち食堂", "北町食堂"]).count() == 2
    with time_machine.travel(timezone.now() + importing.STALLED_AFTER + timedelta(minutes=1)):
        assert importing.recover_stalled() == 1
    staged.refresh_from_db()
    assert staged.status == DirectoryImport.Status.FAILED and "取り消しました" in staged.failure
    assert {s.name: s.description for s in Service.objects.all()} == before
    assert not ImportChange.objects.exists()


def test_the_import_page_shows_progress_while_the_job_runs(editor, client):
    staged = services.stage_import("list.csv", CAFETERIAS, actor=editor)
    client.force_login(editor)
    page = client.get(reverse("resources:import_detail", args=[staged.pk])).content.decode()
    assert "順番を待っています" in page and 'hx-trigger="every 2s"' in page
    factories.run_jobs()
    page = client.get(reverse("resources:import_detail", args=[staged.pk])).content.decode()
    assert "反映するとどうなるか" in page and "every 2s" not in page

"""tsunagu match: find the same person among many records (名寄せ), from a CSV or the database."""

import csv
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from tsunagu.core.models import Municipality
from tsunagu.people import finder
from tsunagu.people.matching import batch, model
from tsunagu.people.matching.prepare import INPUT_COLUMNS
from tsunagu.people.models import CannotLink, MatchModel, MatchProposal, Person


class Command(BaseCommand):
    help = (
        "人の記録から同一人物の候補を探します(名寄せ)。CSV を読むときは "
        f"見出し {','.join(INPUT_COLUMNS)} の UTF-8 ファイルを渡します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("input", nargs="?", help="入力 CSV(省略時は --database)")
        parser.add_argument(
            "--out", help="候補の組を書き出す CSV(id_l,id_r,score,decision,reasons)"
        )
        parser.add_argument("--clusters", help="クラスタを書き出す CSV(id,cluster_id)")
        parser.add_argument(
            "--database", action="store_true", help="データベースの人を走査し、確認待ちの候補にする"
        )
        parser.add_argument("--municipality", help="--database の対象(市区町村コード)")
        parser.add_argument(
            "--train", action="store_true", help="この入力でパラメータを推定(EM)し、保存する"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["database"]:
            self._scan_database(options)
        elif options["input"]:
            self._match_csv(options)
        else:
            raise CommandError("入力 CSV か --database を指定してください。")
        self._say(f"完了({time.monotonic() - started:.1f} 秒)")

    def _say(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def _match_csv(self, options) -> None:
        if not options["out"]:
            raise CommandError("--out で候補の組の出力先を指定してください。")
        frame = read_records(Path(options["input"]))
        if options["train"] and not _has_database():
            raise CommandError(
                "--train はパラメータをデータベースに保存します。先に tsunagu migrate を実行して"
                "ください(CSV の照合だけならデータベースは不要です)。"
            )
        saved = finder.parameters_for(None) if _has_database() else model.Parameters.default()
        pairs, clusters, parameters, _ = batch.match_frame(
            frame, saved, train=options["train"], progress=self._say
        )
        if options["train"]:
            self._save(parameters, None)
        pairs[batch.PAIR_COLUMNS].to_csv(options["out"], index=False, encoding="utf-8")
        self._say(f"候補の組 {len(pairs):,} 件 → {options['out']}")
        if options["clusters"]:
            clusters.to_csv(options["clusters"], index=False, encoding="utf-8")
            self._say(f"クラスタ → {options['clusters']}")

    def _scan_database(self, options) -> None:
        municipality = self._municipality(options["municipality"])
        frame = finder.persons_frame(municipality.pk)
        if len(frame) < 2:
            raise CommandError("比べる人が2人以上いません。")
        excluded = {
            (str(a), str(b)) if str(a) <= str(b) else (str(b), str(a))
            for a, b in CannotLink.objects.filter(
                person_low__municipality=municipality
            ).values_list("person_low_id", "person_high_id")
        }
        pairs, _, parameters, _ = batch.match_frame(
            frame,
            finder.parameters_for(municipality.pk),
            train=options["train"],
            excluded=excluded,
            details=True,
            progress=self._say,
        )
        with transaction.atomic():
            if options["train"]:
                self._save(parameters, municipality)
            created = save_proposals(pairs)
        self._say(f"新しい確認待ちの候補 {created:,} 組")

    def _municipality(self, code: str | None) -> Municipality:
        municipalities = Municipality.objects.all()
        if code:
            municipalities = municipalities.filter(code__startswith=code[:5])
        if municipalities.count() != 1:
            raise CommandError("対象の市区町村を --municipality で1つ指定してください。")
        return municipalities.get()

    def _save(self, parameters: model.Parameters, municipality) -> None:
        MatchModel.objects.create(
            municipality=municipality,
            parameters=asdict(parameters),
            record_count=parameters.trained_on,
        )
        self._say(f"パラメータを保存しました(EM {parameters.iterations} 回)")


def _has_database() -> bool:
    """Whether the database holds saved parameters' table: a CSV run on a fresh install (no
    database yet) uses the shipped parameters and creates nothing."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        name = settings.DATABASES["default"]["NAME"]
        if str(name) != ":memory:" and not Path(name).exists():
            return False
    try:
        return MatchModel._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return False


def read_records(path: Path) -> pd.DataFrame:
    """The input CSV, checked: all or nothing, with the line of the first problem."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except FileNotFoundError as error:
        raise CommandError(f"ファイルがありません: {path}") from error
    except UnicodeDecodeError as error:
        raise CommandError("CSV は UTF-8 で保存してください。") from error
    missing = [column for column in INPUT_COLUMNS if column not in header]
    if missing:
        raise CommandError(f"CSV の見出しに次の列がありません: {', '.join(missing)}")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    empty = frame.index[frame["id"].str.strip() == ""]
    if len(empty):
        raise CommandError(f"{empty[0] + 2} 行目: id が空です。")
    duplicated = frame.index[frame["id"].duplicated()]
    if len(duplicated):
        raise CommandError(
            f"{duplicated[0] + 2} 行目: id {frame['id'][duplicated[0]]} が重複しています。"
        )
    return frame[INPUT_COLUMNS]


def save_proposals(pairs: pd.DataFrame) -> int:
    """Store the scan's pairs for review; pairs already decided are left as they are."""
    live = set(Person.objects.filter(merged_into=None).values_list("pk", flat=True))
    proposals = []
    for row in pairs.itertuples(index=False):
        low, high = sorted((int(row.id_l), int(row.id_r)))
        if low in live and high in live:
            proposals.append(
                MatchProposal(
                    person_low_id=low,
                    person_high_id=high,
                    score=row.score,
                    decision=row.decision,
                    reasons=row.reason_details,
                )
            )
    before = MatchProposal.objects.count()
    MatchProposal.objects.bulk_create(proposals, batch_size=1000, ignore_conflicts=True)
    return MatchProposal.objects.count() - before

"""tsunagu maternal_import: births from the resident registry and check-up lists from the
health system, into the maternal line, all or nothing (tsunagu.maternal.importing)."""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from tsunagu.accounts.models import User
from tsunagu.core.models import Municipality
from tsunagu.maternal import importing

KINDS = importing.KINDS


class Command(BaseCommand):
    help = (
        "母子保健の取り込み: births は住民基本台帳の出生(子どもと母を名寄せで特定・登録し、"
        "出生と乳児家庭全戸訪問を記録)、checkups は健康管理システムの乳幼児健診の結果。"
        "CSV は UTF-8 または Shift_JIS。1行でも誤りがあれば何も保存しません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="births(出生)または checkups(健診)")
        parser.add_argument("file", help="取り込む CSV ファイル")
        parser.add_argument("--municipality", required=True, help="市区町村コード")
        parser.add_argument(
            "--user", required=True, help="取り込む職員の利用者ID(母子保健の保健師または統括)"
        )

    def handle(self, *args, **options):
        columns, run, label = KINDS[options["kind"]]
        municipality = self._municipality(options["municipality"])
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"利用者 {options['user']} がいません(または無効です)。")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイルを読めません: {path}") from error
        try:
            rows = importing.read_rows(data, columns)
            self._say(f"{label}の取り込み: {len(rows):,} 行を読み込みました。")
            result = run(municipality, rows, actor=actor)
        except PermissionDenied as error:
            raise CommandError(
                f"{actor.username} には{municipality.name}の{label}を取り込む権限がありません。"
            ) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if result.errors:
            for _, message in result.errors:
                self._say(message)
            raise CommandError(
                f"{len({line for line, _ in result.errors}):,} 行に誤りがあるため、"
                "何も保存しませんでした。直してからもう一度取り込んでください。"
            )
        self._say(self._summary(options["kind"], result))

    def _summary(self, kind: str, result: importing.ImportResult) -> str:
        if kind == "births":
            return (
                f"完了: 出生の記録 {result.created:,} 件、登録済みのため省略 {result.found:,} 件、"
                f"新しく登録した人 {result.persons_created:,} 人"
                f"(うち名寄せの確認待ち {result.review:,} 人)。"
            )
        return (
            f"完了: 健診の追加 {result.created:,} 件、更新 {result.updated:,} 件、"
            f"記録済みのため変更なし {result.found:,} 件。"
        )

    def _municipality(self, code: str) -> Municipality:
        municipalities = Municipality.objects.filter(code__startswith=code.strip()[:5])
        if municipalities.count() != 1:
            raise CommandError(f"市区町村コード {code} の市区町村が1つに決まりません。")
        return municipalities.get()

    def _say(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)

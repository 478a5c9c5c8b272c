"""tsunagu resources import FILE [--dataset NAME] [--dry-run] [--skip-bad-rows] /
export --format … OUT / boundaries FILE --kind … [--name-property P] [--code-property P]
[--create] [--dry-run] / recover-imports"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tsunagu.core.models import Area, Municipality

from ... import importing, services
from ...opendata import boundaries, files


class Command(BaseCommand):
    help = (
        "地域資源のオープンデータ(自治体標準オープンデータセット CSV / HSDS 3 JSON)を"
        "取り込み・出力します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="地方公共団体コード(1つだけなら省略可)")
        commands = parser.add_subparsers(dest="action", required=True)
        read = commands.add_parser("import", help="ファイルを取り込む(全行が正しいときだけ反映)")
        read.add_argument("file", type=Path)
        read.add_argument("--dataset", default="", help="データセット名(例: こども食堂一覧)")
        read.add_argument("--dry-run", action="store_true", help="反映せずに結果だけ表示")
        read.add_argument(
            "--skip-bad-rows", action="store_true", help="エラーの行を除いて残りを反映"
        )
        write = commands.add_parser("export", help="公開中の資源を書き出す")
        write.add_argument("--format", choices=sorted(files.FORMATS), required=True)
        write.add_argument("out", type=Path)
        shapes = commands.add_parser(
            "boundaries", help="地区の境界(GeoJSON)を読み込む(全地物が正しいときだけ反映)"
        )
        shapes.add_argument("file", type=Path)
        shapes.add_argument("--kind", choices=Area.Kind.values, required=True, help="地区の種別")
        shapes.add_argument("--name-property", help="地区の名称が入った属性名(既定: name・名称)")
        shapes.add_argument(
            "--code-property", help="地区のコードが入った属性名(指定するとコードで照合)"
        )
        shapes.add_argument("--create", action="store_true", help="未登録の地区を追加する")
        shapes.add_argument("--dry-run", action="store_true", help="反映せずに結果だけ表示")
        commands.add_parser(
            "recover-imports", help="反映の途中で止まった取込みを取り消す(何も反映しない状態へ)"
        )

    def _municipality(self, code: str | None) -> Municipality:
        municipalities = Municipality.objects.all()
        if code:
            municipalities = municipalities.filter(code__startswith=code)
        if municipalities.count() != 1:
            raise CommandError("--municipality で地方公共団体コードを指定してください。")
        return municipalities.get()

    def handle(self, *args, **options):
        if options["action"] == "recover-imports":
            count = importing.recover_stalled()
            self.stdout.write(f"止まっていた取込み {count} 件を取り消しました。")
            return
        municipality = self._municipality(options["municipality"])
        if options["action"] == "boundaries":
            self._boundaries(municipality, options)
            return
        if options["action"] == "export":
            data = files.export(municipality, options["format"])
            options["out"].write_bytes(data)
            self.stdout.write(f"{options['out']} に書き出しました({len(data):,} バイト)。")
            return
        try:
            kind, records = files.read(options["file"].read_bytes())
        except (OSError, *files.UNREADABLE) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{options['file']}: {kind}、{len(records):,} 件を読みました。")
        for record in records:
            record.in_dataset(options["dataset"])
        try:
            outcome = services.import_directory(
                municipality,
                records,
                skip_bad=options["skip_bad_rows"],
                dry_run=options["dry_run"],
                actor=None,
            )
        except services.ImportRefused as refused:
            for message in refused.messages[:50]:
                self.stderr.write(message)
            raise CommandError(
                f"{len(refused.messages)} 件のエラーがあるため、何も反映していません"
                "(--skip-bad-rows でエラーの行を除いて反映できます)。"
            ) from refused
        for error in outcome.errors[:50]:
            self.stderr.write(str(error))
        for record in records:
            for warning in record.warnings:
                self.stdout.write(warning)
        prefix = "(試行のみ・未反映) " if options["dry_run"] else ""
        self.stdout.write(prefix + outcome.summary())

    def _boundaries(self, municipality, options):
        try:
            found, errors = boundaries.read(
                options["file"].read_bytes(), options["name_property"], options["code_property"]
            )
            with transaction.atomic():
                try:
                    counts = services.load_boundaries(
                        municipality, options["kind"], found, create=options["create"]
                    )
                except ValidationError as unmatched:
                    errors += unmatched.messages
                if errors:
                    raise ValidationError(errors)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except (OSError, boundaries.BoundaryError) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            for message in error.messages[:50]:
                self.stderr.write(message)
            raise CommandError(
                f"{len(error.messages)} 件のエラーがあるため、何も反映していません。"
            ) from error
        prefix = "(試行のみ・未反映) " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{Area.Kind(options['kind']).label}の境界: "
            f"更新 {counts['updated']} 件、追加 {counts['created']} 件"
        )

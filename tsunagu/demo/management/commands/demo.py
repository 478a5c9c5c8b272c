"""tsunagu demo: load the fictional city 若葉市 and print its logins."""

from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tsunagu.core.roles import Role
from tsunagu.demo import loader

# The full city loads in about a minute on the project's 2-core machine (see README).
DEFAULT_SCALE = 1.0


def _scale(value: str) -> float:
    scale = float(value)
    if not 0 < scale <= 1:
        raise ValueError
    return scale


class Command(BaseCommand):
    help = "デモ用の架空の市(若葉市)を作成し、ログイン情報を表示します。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024, help="乱数の種(同じ種なら同じ市)")
        parser.add_argument(
            "--scale",
            type=_scale,
            default=DEFAULT_SCALE,
            help="人口の縮尺 (0〜1、1 で約14万人の市全体)",
        )
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="基準日 (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="データベースを空にしてから作り直します(デモ用のデータベース専用)",
        )
        parser.add_argument(
            "--logins-file",
            default=str(settings.VAR_DIR / "demo-logins.txt"),
            help="ログイン情報を書き出すファイル",
        )

    def handle(self, *args, **options):
        if options["reset"]:
            if not settings.DEBUG:
                raise CommandError("--reset はデモ環境 (DEBUG) でのみ使えます。")
            call_command("flush", interactive=False, verbosity=0)
            loader.restore_code_lists()  # a flush empties what data migrations wrote
        if loader.demo_municipality() is not None:
            self.stdout.write("デモ市は作成済みです。ログイン用のパスワードを再発行します。")
            logins = loader.reset_demo_passwords()
        else:
            summary = loader.build_city(
                seed=options["seed"],
                scale=options["scale"],
                today=options["today"] or date.today(),
                progress=self.stdout.write,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{summary.municipality}: {summary.people:,} 人 / {summary.households:,} 世帯 /"
                    f" 児童 {summary.children:,} 人 / 組織 {summary.organisations} "
                    f"({summary.seconds:.1f} 秒)"
                )
            )
            logins = summary.logins
        self._print_logins(logins, options["logins_file"])

    def _print_logins(self, logins, path: str) -> None:
        lines = ["利用者ID\tパスワード\t役割\t所属"]
        lines += [
            f"{x.username}\t{x.password}\t{Role(x.role).label}\t{x.organisation}" for x in logins
        ]
        self.stdout.write("\nデモ用ログイン(このデモ専用に生成したパスワード):")
        for line in lines:
            self.stdout.write("  " + line)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        self.stdout.write(f"(同じ内容を {path} に保存しました)")

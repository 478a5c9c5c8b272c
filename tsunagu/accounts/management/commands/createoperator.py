"""tsunagu createoperator: the install's operator (運用管理者), from the server's shell."""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tsunagu.accounts.services import create_user
from tsunagu.core.roles import Role


class Command(BaseCommand):
    help = (
        "運用管理者を作成します。管理サイト(/admin/)で市区町村・組織・利用者を登録でき、"
        "個人の記録は扱いません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="運用管理者の利用者ID")
        parser.add_argument("--display-name", default="", help="氏名")

    def handle(self, *args, **options):
        password = getpass.getpass("パスワード: ")
        if password != getpass.getpass("パスワード(確認): "):
            raise CommandError("パスワードが一致しません。")
        try:
            validate_password(password)
            user = create_user(
                username=options["username"],
                password=password,
                organisation=None,
                role=Role.OPERATOR,
                display_name=options["display_name"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"運用管理者 {user.username} を作成しました。"))

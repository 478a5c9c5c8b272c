"""tsunagu createadmin: the first administrator of a municipality, from the server's shell."""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tsunagu.accounts.services import create_user
from tsunagu.core.codes import normalise_municipality_code
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import Role


class Command(BaseCommand):
    help = "市区町村とセンターを登録し、最初のシステム管理者を作成します。"

    def add_arguments(self, parser):
        parser.add_argument("--municipality-code", required=True, help="地方公共団体コード")
        parser.add_argument("--municipality-name", required=True, help="市区町村名")
        parser.add_argument("--prefecture", required=True, help="都道府県名")
        parser.add_argument("--center-name", required=True, help="こども家庭センターの名称")
        parser.add_argument("--username", required=True, help="管理者の利用者ID")

    def handle(self, *args, **options):
        try:
            code = normalise_municipality_code(options["municipality_code"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        password = getpass.getpass("パスワード: ")
        if password != getpass.getpass("パスワード(確認): "):
            raise CommandError("パスワードが一致しません。")
        try:
            validate_password(password)
            with transaction.atomic():
                town, _ = Municipality.objects.get_or_create(
                    code=code,
                    defaults={
                        "name": options["municipality_name"],
                        "prefecture": options["prefecture"],
                    },
                )
                center, _ = Organisation.objects.get_or_create(
                    municipality=town, kind=Organisation.Kind.CENTER, name=options["center_name"]
                )
                user = create_user(
                    username=options["username"],
                    password=password,
                    organisation=center,
                    role=Role.ADMINISTRATOR,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{town} の管理者 {user.username} を作成しました。"))

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assignments.services import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Tạo tài khoản dùng thử: mỗi vai trò một tài khoản cho mỗi tỉnh (chỉ khi được gọi)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, password: str, **options):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            # The demo password is published in the README: never on a real installation.
            raise CommandError(
                "Không tạo tài khoản dùng thử với mật khẩu mặc định khi DEBUG tắt (máy chủ thật); "
                "hãy đặt mật khẩu riêng bằng --password."
            )
        accounts = demo_accounts_create(password=password)
        self.stdout.write("Tài khoản dùng thử (tên đăng nhập / mật khẩu / vai trò / đơn vị):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<14} {account.password}  {account.role.label} — {account.agency.name}"
            )

from django.core.management.base import BaseCommand

from assignments.services import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Tạo tài khoản dùng thử: mỗi vai trò một tài khoản cho mỗi tỉnh (chỉ khi được gọi)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, password: str, **options):
        accounts = demo_accounts_create(password=password)
        self.stdout.write("Tài khoản dùng thử (tên đăng nhập / mật khẩu / vai trò / đơn vị):")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<14} {account.password}  {account.role.label} — {account.agency.name}"
            )

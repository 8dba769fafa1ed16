from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assignments.seeds import SeedError
from assignments.services import SEED_DIRECTORY, seed_plans_load


class Command(BaseCommand):
    help = "Nạp các kế hoạch mẫu từ fixtures/plans/*.yaml (chạy lại không thay đổi gì)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=SEED_DIRECTORY)

    def handle(self, *args, directory: Path, **options):
        try:
            report = seed_plans_load(directory=directory)
        except SeedError as error:
            raise CommandError("\n".join([error.message, *error.details])) from error
        if not report.changed:
            self.stdout.write("Dữ liệu kế hoạch đã đầy đủ, không có thay đổi.")
            return
        for name in sorted(set(report.created) | set(report.updated)):
            self.stdout.write(f"{name}: thêm {report.created[name]}, cập nhật {report.updated[name]}")
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu kế hoạch."))

from django.core.management.base import BaseCommand, CommandError

from dti_portal.errors import DomainError
from indicators.services import reform_2025_load


class Command(BaseCommand):
    help = (
        "Ghi cải cách năm 2025 cho dữ liệu mẫu: Bắc Giang và Bắc Ninh (cũ) hợp nhất thành tỉnh Bắc Ninh "
        "từ 01/7/2025, cấp huyện của Bắc Giang kết thúc, các xã chuyển về tỉnh. Chạy sau load_seed_plans; "
        "chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options):
        try:
            report = reform_2025_load()
        except DomainError as error:
            raise CommandError("\n".join(error.details or [error.message])) from error
        if not report.changed:
            self.stdout.write("Cải cách năm 2025 đã được ghi, không có thay đổi.")
            return
        for model, count in sorted(report.created.items()):
            self.stdout.write(f"  thêm {count} {model}")
        for model, count in sorted(report.updated.items()):
            self.stdout.write(f"  cập nhật {count} {model}")

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dti_portal.errors import DomainError
from indicators.services import provinces_merge


class Command(BaseCommand):
    help = (
        "Hợp nhất các tỉnh thành một tỉnh từ một ngày (ví dụ Bắc Giang và Bắc Ninh thành tỉnh Bắc Ninh "
        "từ 01/7/2025): kết thúc tỉnh cũ và các sở của nó vào ngày hôm trước, tạo tỉnh mới và các sở kế "
        "tục, ghi quan hệ kế tục. Dữ liệu đã duyệt của tỉnh cũ giữ nguyên. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--into", required=True, help="mã tỉnh mới (hoặc tỉnh có sẵn được giữ lại)")
        parser.add_argument("--name", required=True, help="tên tỉnh mới, ví dụ “UBND tỉnh Bắc Ninh”")
        parser.add_argument("--short-name", default="", help="tên ngắn, ví dụ “Bắc Ninh”")
        parser.add_argument("--from", dest="from_codes", action="append", required=True, help="mã tỉnh cũ")
        parser.add_argument("--effective", required=True, help="ngày có hiệu lực, YYYY-MM-DD")
        parser.add_argument("--basis", default="", help="văn bản, ví dụ số nghị quyết")
        parser.add_argument(
            "--continue-indicators",
            action="store_true",
            help="tạo cho tỉnh mới một chỉ tiêu kế tục mỗi chỉ tiêu của các tỉnh cũ",
        )

    def handle(
        self, *args, into, name, short_name, from_codes, effective, basis, continue_indicators, **options
    ):
        try:
            effective_on = date.fromisoformat(effective)
        except ValueError:
            raise CommandError(f"Ngày “{effective}” không hợp lệ: hãy viết YYYY-MM-DD.") from None
        try:
            report = provinces_merge(
                into=into,
                name=name,
                short_name=short_name,
                from_codes=from_codes,
                effective_on=effective_on,
                basis=basis,
                continue_indicators=continue_indicators,
            )
        except DomainError as error:
            raise CommandError("\n".join(error.details or [error.message])) from error
        if not report.changed:
            self.stdout.write("Việc hợp nhất đã được ghi, không có thay đổi.")
            return
        for model, count in sorted(report.created.items()):
            self.stdout.write(f"  thêm {count} {model}")
        for model, count in sorted(report.updated.items()):
            self.stdout.write(f"  cập nhật {count} {model}")

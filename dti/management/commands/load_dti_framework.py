from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dti.services import FRAMEWORK_DIRECTORY, framework_load, frameworks_load_all
from dti_portal.errors import DomainError


class Command(BaseCommand):
    help = (
        "Nạp bộ chỉ số DTI (chỉ số chính, chỉ số thành phần, điểm) từ tệp YAML; mặc định mọi tệp "
        "trong fixtures/dti."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help=f"một tệp; bỏ trống: mọi tệp trong {FRAMEWORK_DIRECTORY}")

    def handle(self, *args, path=None, **options):
        try:
            report = framework_load(path=Path(path)) if path else frameworks_load_all()
        except DomainError as error:
            listed = [detail for detail in error.details if detail not in error.message]
            raise CommandError("\n".join([error.message, *listed])) from error
        if not report.changed:
            self.stdout.write("Bộ chỉ số DTI đã đầy đủ, không có thay đổi.")
            return
        for model, count in sorted(report.created.items()):
            self.stdout.write(f"  thêm {count} {model}")
        for model, count in sorted(report.updated.items()):
            self.stdout.write(f"  cập nhật {count} {model}")

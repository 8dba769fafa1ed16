import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reporting.exports.report import ministry_report
from reporting.exports.workbook import ministry_workbook
from reporting.models import ReportingPeriod

PERIOD = re.compile(r"^(?P<year>\d{4})(-Q(?P<quarter>[1-4]))?$")


class Command(BaseCommand):
    help = "Write the ministry's Excel report of a province for a period: --period 2024-Q1 or --period 2024."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="the province's code, e.g. BG")
        parser.add_argument("--period", required=True, help="2024-Q1 … 2024-Q4, or 2024")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *, province, period, output, **options):
        match = PERIOD.match(period)
        if not match:
            raise CommandError("--period must look like 2024-Q1 or 2024.")
        quarter = int(match["quarter"]) if match["quarter"] else None
        found = ReportingPeriod.objects.filter(
            province__code=province, year=int(match["year"]), quarter=quarter
        ).first()
        if found is None:
            raise CommandError(f"No reporting period {period} of {province}.")
        with translation.override(settings.LANGUAGE_CODE):  # the ministry reads Vietnamese
            report = ministry_report(period=found)
            if not report.figures:
                raise CommandError(
                    f"{period} of {province} has no province figures: run compile_rollup first."
                )
            ministry_workbook(report, output)
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {len(report.figures)} indicators, {report.value_count} agency values, "
                f"{len(report.tasks)} tasks"
            )
        )

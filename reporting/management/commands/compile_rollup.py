import re

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from reporting.choices import RollupTrigger
from reporting.models import ReportingPeriod

from ...rollup.services import compile_province_rollup

PERIOD = re.compile(r"^(?P<year>\d{4})(-Q(?P<quarter>[1-4]))?$")


class Command(BaseCommand):
    help = (
        "Compile the province figures of a period now: --period 2024-Q1 (a quarter) or --period 2024 "
        "(the year); "
        "--all compiles every period (after an upgrade that changes how figures are derived)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--period", help="2024-Q1 … 2024-Q4, or 2024")
        which.add_argument(
            "--all", dest="every", action="store_true", help="every period of every (or the given) province"
        )
        parser.add_argument(
            "--province", help="a province code (default: every province that has the period)"
        )

    def handle(self, *, period, province, every, **options):
        if every:
            # Quarters before their year: a year's figure reads its quarters' values, not their figures.
            periods = ReportingPeriod.objects.order_by(
                "province__code", "year", F("quarter").asc(nulls_last=True)
            )
        else:
            match = PERIOD.match(period)
            if not match:
                raise CommandError("--period must look like 2024-Q1 or 2024.")
            quarter = int(match["quarter"]) if match["quarter"] else None
            periods = ReportingPeriod.objects.filter(year=int(match["year"]), quarter=quarter)
        periods = periods.select_related("province")
        if province:
            periods = periods.filter(province__code=province)
        if not periods:
            raise CommandError(
                f"No reporting period {period or ''}{' of ' + province if province else ''}; open it first."
            )
        for item in periods:
            run = compile_province_rollup(period=item, trigger=RollupTrigger.COMMAND)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{item.province.code} {item.code}: {run.figure_count} figures, "
                    f"{run.approved_submissions}/{run.required_submissions} submissions approved"
                )
            )

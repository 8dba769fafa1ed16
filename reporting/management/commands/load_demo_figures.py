"""Plausible figures for a demo: one quarter of a province's reports filled, sent and
approved through the workflow's services, then compiled, so that the dashboards, the
ranking and the DTI page show something on first login. Refuses unless DEBUG is on:
made-up figures must never reach a real province's database."""

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dti_portal.errors import DomainError
from indicators.choices import MeasureType
from indicators.models import Agency
from reporting import services
from reporting.calendar import last_day
from reporting.choices import SubmissionStatus
from reporting.models import ReportingPeriod, Submission
from reporting.rollup.services import compile_province_rollup, periods_affected_by


def plausible(measure_type: str, draw: random.Random, *, on) -> dict:
    """A figure an agency might report, by measure type, with a note (which a change of
    more than half from the period before requires); a milestone reached has its date."""
    return {**_figure(measure_type, draw, on=on), "note": "Số liệu thử (dữ liệu mẫu của bản chạy thử)."}


def _figure(measure_type: str, draw: random.Random, *, on) -> dict:
    if measure_type in (MeasureType.RATE, MeasureType.RATIO):
        denominator = draw.randint(40, 200)
        return {"numerator": round(denominator * draw.uniform(0.55, 0.98)), "denominator": denominator}
    if measure_type == MeasureType.COUNT:
        return {"value": draw.randint(3, 60)}
    if measure_type == MeasureType.AMOUNT:
        return {"value": draw.randint(1, 300) * 10_000_000}
    if measure_type == MeasureType.MILESTONE:
        done = draw.random() < 0.7
        return {"is_done": done, "done_on": on if done else None}
    if measure_type == MeasureType.YES_NO:
        return {"is_done": draw.random() < 0.7}
    return {"text": "Đã triển khai theo kế hoạch của tỉnh."}


class Command(BaseCommand):
    help = "Demo only (DEBUG on): fill, send and approve a quarter of a province's reports, then compile."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="the province's code, e.g. BG")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, default=1, choices=[1, 2, 3, 4])
        parser.add_argument("--editor", required=True, help="who enters and sends them (an administrator)")
        parser.add_argument("--reviewer", required=True, help="who approves them (a DIC officer)")

    def handle(self, *, province, year, quarter, editor, reviewer, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo_figures chỉ chạy khi DEBUG bật (máy thử): "
                "số liệu bịa không được vào cơ sở dữ liệu thật."
            )
        agency = Agency.objects.provinces().filter(code=province).first()
        if agency is None:
            raise CommandError(f"No province with code {province!r}.")
        users = get_user_model().objects.filter(is_active=True)
        editor_user, reviewer_user = (
            users.filter(username=editor).first(),
            users.filter(username=reviewer).first(),
        )
        if editor_user is None or reviewer_user is None:
            raise CommandError("--editor and --reviewer must name active accounts.")
        pending = Submission.objects.filter(
            period__province=agency, period__year=year, period__quarter=quarter, status=SubmissionStatus.DRAFT
        ).select_related("agency", "period")
        approved = 0
        for submission in pending:
            draw = random.Random(f"{submission.agency.code}-{year}-{quarter}")  # the same figures every run
            values = {
                row.pk: plausible(
                    row.indicator.measure_type,
                    draw,
                    on=last_day(submission.period.year, submission.period.quarter),
                )
                for row in submission.values.select_related("indicator")
            }
            try:
                with transaction.atomic():
                    saved = services.submission_save(
                        submission=submission, actor=editor_user, version=submission.version, values=values
                    )
                    sent = services.submission_submit(submission=saved, actor=editor_user)
                    services.submission_approve(submission=sent, actor=reviewer_user)
            except DomainError as refused:
                self.stdout.write(f"skipped {submission.agency.code}: {refused.message}")
                continue
            approved += 1
        quarter_period = ReportingPeriod.objects.filter(province=agency, year=year, quarter=quarter).first()
        for period in periods_affected_by(quarter_period) if quarter_period else []:
            compile_province_rollup(period=period)
        self.stdout.write(f"{approved} báo cáo quý {quarter}/{year} của {agency.code} đã nhập, gửi và duyệt.")

from datetime import date
from uuid import uuid4

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting import services


class Command(BaseCommand):
    help = "Send today's deadline reminders and overdue digests (the same service as the 08:00 schedule)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="the day to act as, YYYY-MM-DD (default: today in Asia/Ho_Chi_Minh)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; write and send nothing"
        )

    def handle(self, *, today, dry_run, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date such as 2024-03-13.") from None
        report = services.reminders_send(today=day, run=f"manual-{uuid4().hex}", dry_run=dry_run)
        for log in report.planned:
            where = log.period.code if log.period else "-"
            self.stdout.write(f"{log.kind:8} {where:8} {log.agency.code}: {log.recipients or '(no address)'}")
        if dry_run:
            self.stdout.write(
                self.style.WARNING(f"dry run: {len(report.planned)} reminders decided, nothing sent")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(report.planned)} decided, {len(report.claimed)} new, {report.sent} emails sent"
                )
            )

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assignments.models import ReportingObligation
from dti_portal.errors import DomainError
from indicators.models import Agency
from reporting import services


class Command(BaseCommand):
    help = (
        "Move the reporting obligations still held by bodies that do not report themselves "
        "(Agency.reported_by, e.g. set by load_seed_plans) to their collectors, with their untouched "
        "reports (reporting.services.agency_collector_set). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="the province's code, e.g. BG (default: every province)")
        parser.add_argument("--as-user", required=True, help="the DIC officer or administrator recorded")

    @transaction.atomic  # all bodies or none
    def handle(self, *, province, as_user, **options):
        actor = get_user_model().objects.filter(is_active=True, username=as_user).first()
        if actor is None:
            raise CommandError(f"No active user {as_user!r}.")
        bodies = Agency.objects.filter(
            reported_by__isnull=False,
            pk__in=ReportingObligation.objects.values("agency_id"),
        ).select_related("reported_by")
        if province:
            bodies = bodies.filter(province__code=province)
        for body in bodies.order_by("code"):
            try:
                result = services.agency_collector_set(agency=body, collector=body.reported_by, actor=actor)
            except DomainError as error:
                raise CommandError(f"{body.code}: {error.message}") from None
            self.stdout.write(
                f"{body.code} → {body.reported_by.code}: years moved {result.moved_years or '-'}, "
                f"kept (reports begun) {result.kept_years or '-'}, "
                f"{result.reports_removed} untouched reports removed"
            )

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dti_portal.errors import DomainError
from indicators.models import Agency
from reporting import services


class Command(BaseCommand):
    help = (
        "Open the four quarters and the year of a province (dates from its plans' calendars) and "
        "prepare the agencies' submissions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="the province's code, e.g. BG")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--as-user",
            default=None,
            help="the administrator recorded as opening them (default: the first superuser)",
        )

    def handle(self, *, province, year, as_user, **options):
        agency = Agency.objects.provinces().filter(code=province).first()
        if agency is None:
            raise CommandError(f"No province with code {province!r}.")
        if not 2000 <= year <= 2100:
            raise CommandError("The year must be between 2000 and 2100.")
        users = get_user_model().objects.filter(is_active=True)
        actor = users.filter(username=as_user).first() if as_user else users.filter(is_superuser=True).first()
        if actor is None:
            actor = users.filter(groups__name="administrator").first()
        if actor is None:
            raise CommandError("No administrator to record as opening the periods; pass --as-user.")
        try:
            report = services.periods_open(province=agency, year=year, actor=actor)
        except DomainError as error:
            raise CommandError(error.message) from None
        for period in report.created:
            self.stdout.write(
                f"created {period.code}: opens {period.opens_on}, due {period.due_on}, compile "
                f"{period.compile_on}"
            )
        for period in report.existing:
            self.stdout.write(f"kept {period.code}: due {period.due_on} ({period.state})")
        if report.used_default_calendar:
            self.stdout.write(
                "no plan of this province states a calendar for the year: the default calendar was used"
            )
        self.stdout.write(self.style.SUCCESS(f"{report.submissions_created} submissions created"))

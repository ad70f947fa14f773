"""Make the quarterly board report: run from cron on the first day of each quarter, e.g.
`0 7 1 1,4,7,10 *  python manage.py make_board_report`. Running it again for the same period makes
nothing new while a report for it is waiting, being made or ready."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from feedback_loop import services


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date like 2026-03-31.") from error


class Command(BaseCommand):
    help = "Make the board report for a period (by default the last full quarter) and queue its PDF."

    def add_arguments(self, parser):
        parser.add_argument("--period-start", type=_date, help="First day, e.g. 2026-01-01.")
        parser.add_argument("--period-end", type=_date, help="Last day, e.g. 2026-03-31.")

    def handle(self, *args, period_start=None, period_end=None, **options):
        default_start, default_end = services.last_full_quarter()
        if (period_start is None) != (period_end is None):
            raise CommandError("Give both --period-start and --period-end, or neither.")
        start, end = period_start or default_start, period_end or default_end
        try:
            report, created = services.ensure_board_report(start, end)
        except services.ReportProblem as problem:
            raise CommandError(" ".join(problem.messages)) from problem
        if created:
            self.stdout.write(f"Board report {report.pk} queued: {report}.")
        else:
            self.stdout.write(f"Board report {report.pk} already exists ({report.get_status_display()}).")

from django.core.management.base import BaseCommand

from feedback_loop.services import briefings


class Command(BaseCommand):
    help = (
        "Email decision makers and consultation officers what parents said that is waiting for a decision, "
        "and consultations whose results are not published RESULTS_DUE_WEEKS (default 4) after closing. "
        "Run it weekly from cron (e.g. Mondays at 8am); a second run in the same week sends nothing."
    )

    def handle(self, *args, **options):
        sent = briefings.send_digest()
        self.stdout.write(f"Decision digest: {sent} email{'s' if sent != 1 else ''} queued.")

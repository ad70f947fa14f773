"""Escalate new safeguarding cases not reviewed by their due time. Cron, every 15 minutes:

*/15 * * * * manage.py escalate_safeguarding_cases
"""

from django.core.management.base import BaseCommand

from parentvoice.safeguarding.workflow import escalate_overdue


class Command(BaseCommand):
    help = "Escalate new safeguarding cases past their due time (each once), emailing the leads."

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(f"Escalated {count} case{'' if count == 1 else 's'}.")

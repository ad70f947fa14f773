from django.core.management.base import BaseCommand

from surveys import sms_reminders


class Command(BaseCommand):
    help = (
        "Text parents part way through a consultation by text that it closes within a day: once each, "
        "between 9am and 8pm UK time (run from cron every hour)."
    )

    def handle(self, *args, **options):
        sent = sms_reminders.send_carry_on_reminders()
        self.stdout.write(f"Sent {len(sent)} carry-on reminder(s).")

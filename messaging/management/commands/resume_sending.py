from datetime import timedelta

from django.core.management.base import BaseCommand

from messaging import services


class Command(BaseCommand):
    help = "Queue again messages left unsent by a worker that stopped mid-batch (run from cron every 15 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=15)

    def handle(self, *args, older_than_minutes, **options):
        queued = services.resume_stalled_messages(timedelta(minutes=older_than_minutes))
        self.stdout.write(f"Queued {queued} stalled message(s) again.")

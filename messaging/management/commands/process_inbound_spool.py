"""Handle inbound texts kept on disk while the database was down (run by cron every minute)."""

import time

from django.core.management.base import BaseCommand

from messaging.services import inbound_spool


class Command(BaseCommand):
    help = (
        "Handle the inbound texts kept in INBOUND_SPOOL_DIR while the database was unavailable, once "
        "each, sending each reply as a text. Run it every minute (cron), or with --every as a process."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="keep running, looking again every so many seconds"
        )

    def handle(self, *args, every, **options):
        while True:
            run = inbound_spool.process_inbound_spool()
            if run.handled or run.refused or run.left or not every:
                self.stdout.write(
                    f"Handled {run.handled} kept inbound texts; {run.refused} refused (bad signature, "
                    f"moved to {inbound_spool.REFUSED}/); {run.left} still waiting (database unavailable, or see the log)."
                )
            if not every:
                return
            time.sleep(every)

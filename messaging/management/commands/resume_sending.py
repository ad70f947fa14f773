from datetime import timedelta

from django.core.management.base import BaseCommand

from messaging import services


class Command(BaseCommand):
    help = (
        "Queue again only what a stopped worker stranded (messages and fan-outs whose task is gone, "
        "failed or died with its worker) and report what was found. Run from cron every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=15)

    def handle(self, *args, older_than_minutes, **options):
        report = services.resume_sending(timedelta(minutes=older_than_minutes))
        write = self.stdout.write
        reasons = ", ".join(f"{n:,} because {reason}" for reason, n in sorted(report.requeued.items()))
        write(
            f"Queued {report.requeued_total:,} stranded message(s) again"
            + (f": {reasons}." if reasons else ".")
        )
        write(f"Left {report.waiting:,} message(s) waiting for their turn (their task is queued).")
        if report.overdue:
            write(
                self.style.WARNING(
                    f"{report.overdue:,} queued message(s) should have started over {older_than_minutes} "
                    "minutes ago: is a worker running the sms and email queues?"
                )
            )
        for campaign_id, name, reason in report.fan_outs:
            write(f"Queued the fan-out of campaign {campaign_id} ({name}) again, because {reason}.")
        for campaign_id, n in sorted(report.unconfirmed.items(), key=lambda item: item[0] or 0):
            where = f"campaign {campaign_id}" if campaign_id else "service messages"
            write(
                self.style.WARNING(
                    f"{n:,} message(s) of {where} left 'sending' with no answer from the provider: "
                    "they may or may not have gone and are not sent again. Check the provider's logs."
                )
            )

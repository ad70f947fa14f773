"""Daily: remind coordinators of forum meetings five days away that have no agenda or papers yet.

    15 7 * * *  cd /srv/parentvoice && .venv/bin/python manage.py send_agenda_reminders

Safe to run more often or twice at once: each meeting is reminded about once."""

from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = "Email coordinators about forum meetings within five days that have no agenda or papers."

    def handle(self, *args, **options):
        reminded = services.send_agenda_reminders()
        self.stdout.write(
            f"Sent agenda reminders for {reminded} meeting{'s' if reminded != 1 else ''}."
            if reminded
            else "No meeting needed an agenda reminder."
        )

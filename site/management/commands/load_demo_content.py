from django.core.management.base import BaseCommand

from parentvoice.demo import load_demo_content


class Command(BaseCommand):
    help = "Load the demo districts, pages, settings and one user per role (safe to run again)."

    def handle(self, *args, **options):
        load_demo_content(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

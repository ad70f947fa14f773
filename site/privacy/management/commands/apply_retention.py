from django.core.management.base import BaseCommand

from parentvoice.privacy.registry import retention_rules
from parentvoice.privacy.services.retention import run_retention


class Command(BaseCommand):
    help = "Delete or anonymise everything past its retention period (see docs/data-protection.md)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = run_retention(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        for rule in retention_rules():
            n = counts.get(rule.name, 0)
            self.stdout.write(f"{rule.label} ({rule.period()}): {n} {verb} removed or anonymised")
        self.stdout.write(f"Total: {sum(counts.values())} {verb} removed or anonymised")

from django.core.management.base import BaseCommand

from parentvoice.accounts.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the staff role groups and give them their permissions (safe to run again)."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(self.style.SUCCESS(f"Synced {len(ROLES)} roles: {', '.join(ROLES)}"))

"""Background work for data protection. Tasks call services."""

from django_tasks import task

from .services.retention import run_retention


@task(queue_name="default")
def apply_retention(dry_run: bool = False) -> dict[str, int]:
    """The daily retention run (see docs/data-protection.md)."""
    return run_retention(dry_run=dry_run)

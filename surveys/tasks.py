"""Background work for consultations. Tasks take ids and call services."""

from django_tasks import task

from . import tallies


@task(queue_name="default")
def fold_tallies(page_id):
    """Count a consultation's responses waiting to be counted into its results' tallies."""
    return tallies.fold([page_id])

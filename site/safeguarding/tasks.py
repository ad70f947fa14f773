"""Background work for safeguarding. Tasks take ids and call services."""

from django_tasks import task

from . import services


@task(queue_name="default")
def screen_text(kind, source_id):
    services.screen(kind, source_id)

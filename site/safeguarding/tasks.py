"""Background work for safeguarding. Tasks take ids and call services."""

from datetime import datetime

from django_tasks import task

from . import services, workflow


@task(queue_name="default")
def screen_text(kind, source_id):
    services.screen(kind, source_id)


@task(queue_name="default")
def screen_texts(kind, source_ids):
    for source_id in source_ids:
        services.screen(kind, source_id)


@task(queue_name="default", takes_context=True)
def screen_texts_saved_since(context, since):
    """Due once any list cached before the change has expired: texts saved after that were read against
    the new terms, so the sweep stops at the time it was due (a worker running late reads no more)."""
    services.screen_saved_since(datetime.fromisoformat(since), until=context.task_result.task.run_after)


@task(queue_name="email")
def email_case_opened(case_id):
    """Tell the leads a case is waiting (a link only, never the text)."""
    workflow.send_case_opened_email(case_id)


@task(queue_name="default")
def escalate_overdue_cases():
    return workflow.escalate_overdue()

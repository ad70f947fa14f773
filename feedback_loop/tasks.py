"""Background work for feedback_loop. Tasks take ids and call services. django-tasks does not retry on
its own: a report that fails is marked failed, with its error, and an officer queues it again."""

from django_tasks import task

from . import services


@task(queue_name="default")
def build_report_pdf(report_id):
    return {"status": services.build_report(report_id)}

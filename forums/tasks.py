"""Background work for fora. Tasks take ids and call services."""

from django_tasks import task

from . import services


@task(queue_name="default")
def send_booking_reminder(booking_id, which, expected_start):
    services.send_booking_reminder(booking_id, which, expected_start)


@task(queue_name="default")
def notify_event_change(event_id, sequence):
    services.notify_event_change(event_id, sequence)

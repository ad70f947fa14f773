"""Background work for fora. Tasks take ids and call services."""

from django_tasks import task

from .services import bookings


@task(queue_name="default")
def send_booking_reminder(booking_id, which, expected_start):
    bookings.send_booking_reminder(booking_id, which, expected_start)


@task(queue_name="default")
def notify_event_change(event_id, sequence):
    bookings.notify_event_change(event_id, sequence)

"""Background work for fora. Tasks take ids and call services."""

from django_tasks import task

from .services import bookings, write_ups


@task(queue_name="default")
def send_booking_reminder(booking_id, which, expected_start):
    bookings.send_booking_reminder(booking_id, which, expected_start)


@task(queue_name="default")
def notify_event_change(event_id, sequence):
    bookings.notify_event_change(event_id, sequence)


@task(queue_name="default")
def send_parent_page_link(link_id):
    from .services import parent_page

    parent_page.send_parent_page_link(link_id)


@task(queue_name="default")
def send_agenda_reminders():
    write_ups.send_agenda_reminders()

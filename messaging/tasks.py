"""Background work. Tasks take ids and call services; django-tasks does not retry on its own, so
sending re-enqueues itself with a back-off (services._schedule_retry).

Queues: `default` (fan-out, imports), `sms` and `email` (campaign batches, paced) and `service` (a
message someone is waiting for: a booking confirmation, the link that confirms an address). A campaign
batch holds its worker for as long as its pace says (100 texts at 10 a second: 10 s), so service
messages have a queue of their own for a dedicated worker, and the highest priority for a worker that
runs every queue (docs/messaging.md, "Workers")."""

from datetime import datetime

from django_tasks import task

from . import services

SERVICE_QUEUE = "service"
SERVICE_PRIORITY = 100  # django-tasks' highest: workers take these before any due campaign batch


@task(queue_name="default")
def prepare_campaign(campaign_id):
    fan_out = services.prepare_campaign(campaign_id)
    return {"created": fan_out.created, "batches": fan_out.batches}


@task(queue_name="sms")
def send_messages(message_ids, per_second, window_start):
    services.send_batch(
        message_ids, per_second, datetime.fromisoformat(window_start) if window_start else None
    )


@task(queue_name="sms")
def retry_message(message_id):
    services.send_message(message_id)


@task(queue_name=SERVICE_QUEUE, priority=SERVICE_PRIORITY)
def send_one(message_id):
    services.send_message(message_id)


@task(queue_name="sms")
def simulate_delivery_receipt(message_id, status):
    services.apply_status(message_id, status)


@task(queue_name="default")
def import_contacts(import_id):
    from . import importing

    importing.run_import(import_id)


@task(queue_name="default")
def release_held_follow_requests():
    return {"released": services.release_held_follow_requests()}

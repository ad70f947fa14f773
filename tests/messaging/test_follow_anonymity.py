"""Follow requests about anonymous consultations: held with no time or sequence, then released in
random order at the next boundary. Nothing written by the release can be paired with the order (or the
moment) the requests were made, so nothing pairs a request with the response made just before it."""

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messaging import services
from messaging.choices import Channel, ConfirmedBy, FollowRoute
from messaging.models import AddressConfirmation, FollowRequest, HeldFollowRequest, Message
from tests.factories import ContactFactory, MessageFactory

pytestmark = pytest.mark.django_db
N = 14
# A response and its "tell me what you decide" made within one second, well inside a 30-minute window.
FROZEN = datetime(2026, 3, 10, 14, 7, 31, 250_000, tzinfo=UTC)
BOUNDARY = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
RELEASE_TASK = "messaging.tasks.release_held_follow_requests"


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def hold(**fields):
    return services.request_follow(
        title="Play parks",
        channel=Channel.EMAIL,
        route=FollowRoute.WEB,
        wording="Tell me what you decide.",
        anonymous=True,
        **fields,
    )


def test_next_release_is_the_next_boundary(settings):
    settings.FOLLOW_RELEASE_MINUTES = 30
    assert services.next_release(FROZEN) == BOUNDARY
    assert services.next_release(BOUNDARY) == BOUNDARY + timedelta(minutes=30)
    settings.FOLLOW_RELEASE_MINUTES = 15
    assert services.next_release(FROZEN) == datetime(2026, 3, 10, 14, 15, tzinfo=UTC)


def test_a_held_request_has_no_time_and_a_random_key():
    fields = HeldFollowRequest._meta.get_fields()
    assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
    assert isinstance(HeldFollowRequest._meta.pk, models.UUIDField)
    assert isinstance(FollowRequest._meta.pk, models.UUIDField)
    assert not [
        f for f in FollowRequest._meta.get_fields() if isinstance(f, models.DateTimeField | models.TimeField)
    ]


def test_released_rows_cannot_be_paired_with_the_order_requests_were_made(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.FOLLOW_RELEASE_MINUTES = 30
    known = [ContactFactory(email=f"known{i}@example.org") for i in range(N)]
    # Requests (by a typed address, and from a personal link) and other rows (the responses), in a
    # random interleaving, all in the same frozen second.
    steps = [("address", i) for i in range(N)] + [("contact", i) for i in range(N)]
    steps += [("response", i) for i in range(2 * N)]
    random.Random(14).shuffle(steps)
    freeze(monkeypatch, FROZEN)
    address_order, contact_order = [], []
    with django_capture_on_commit_callbacks(execute=True):
        for kind, i in steps:
            if kind == "address":
                assert hold(topic="consultation:7", address=f"new{i}@example.org") == "held"
                address_order.append(f"new{i}@example.org")
            elif kind == "contact":
                assert (
                    hold(topic="consultation:7", contact=known[i], confirmed_by=ConfirmedBy.PERSONAL_LINK)
                    == "held"
                )
                contact_order.append(known[i].pk)
            else:
                MessageFactory(created_at=FROZEN, idempotency_key=f"response:{i}")

    # Held: nothing recorded or sent yet, and one release queued for the whole window, whose queue row
    # says when the window began rather than when the first request came.
    assert HeldFollowRequest.objects.count() == 2 * N
    assert not FollowRequest.objects.exists() and not AddressConfirmation.objects.exists()
    task = DBTaskResult.objects.get(task_path=RELEASE_TASK)
    assert task.run_after == BOUNDARY
    assert task.enqueued_at == BOUNDARY - timedelta(minutes=30)

    # The worker runs a few seconds after the boundary.
    freeze(monkeypatch, BOUNDARY + timedelta(seconds=3, microseconds=123))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_held_follow_requests() == 2 * N
    assert not HeldFollowRequest.objects.exists()

    confirmations = list(AddressConfirmation.objects.order_by("pk"))
    follows = list(FollowRequest.objects.order_by("pk"))
    assert len(confirmations) == N and len(follows) == N
    # No time finer than the release: every row carries the boundary itself, or only the date.
    assert {c.created_at for c in confirmations} == {BOUNDARY}
    released_messages = Message.objects.filter(idempotency_key__startswith="confirm-address:")
    assert released_messages.count() == N
    assert {(m.created_at, m.status_changed_at) for m in released_messages} == {(BOUNDARY, BOUNDARY)}
    assert {f.requested_on for f in follows} == {BOUNDARY.date()}
    # Release order (the confirmations' sequence) is a permutation of the order made, not that order.
    released = [c.address for c in confirmations]
    assert sorted(released) == sorted(address_order)
    assert released != address_order
    assert [m.recipient for m in released_messages.order_by("pk")] == released
    # Follow request keys are random: sorted by key, they are not in the order made.
    assert all(isinstance(f.pk, uuid.UUID) for f in follows)
    by_key = [f.contact_id for f in follows]
    assert sorted(by_key) == sorted(contact_order)
    assert by_key != contact_order


def test_releasing_twice_handles_each_request_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            hold(topic="consultation:7", address=f"twice{i}@example.org")
        assert services.release_held_follow_requests() == 3
        assert services.release_held_follow_requests() == 0
    assert AddressConfirmation.objects.count() == 3
    assert Message.objects.count() == 3


def test_a_held_request_from_a_contact_that_lost_its_address_is_dropped():
    contact = ContactFactory(email="gone@example.org")
    hold(topic="consultation:7", contact=contact, confirmed_by=ConfirmedBy.PERSONAL_LINK)
    contact.email = None
    contact.save()
    assert services.release_held_follow_requests() == 0
    assert not HeldFollowRequest.objects.exists() and not FollowRequest.objects.exists()


def test_the_release_runs_as_a_task_and_sends_the_confirmations(
    run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hold(topic="consultation:7", address="queued@example.org")
    run_tasks()
    assert not HeldFollowRequest.objects.exists()
    confirmation = AddressConfirmation.objects.get()
    assert confirmation.follow_up == "follow:web:consultation:7"
    message = Message.objects.get(recipient="queued@example.org")
    assert message.status in ("sent", "delivered")

"""Anonymous consultations, end to end on the web: many parents answer and ask to be told in the same
second, their requests interleaved in random order. After the release, nothing written for the
requests (follow requests, confirmations, messages) nor the responses orders or joins them so that a
request can be paired with the response made just before it."""

import random
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from messaging import services as messaging
from messaging.models import AddressConfirmation, FollowRequest, HeldFollowRequest, Message
from surveys import services
from surveys.choices import Anonymity
from surveys.models import Response
from tests.factories import ContactFactory

from .test_answering import REPLIES, _answer_all

pytestmark = pytest.mark.django_db
N = 14  # of each kind: an open link typing an address, an invitation choosing the one we hold


def _freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _order(rows, key, who):
    """The parents' sequence when `rows` are sorted by `key` (ties by primary key)."""
    return [who(row) for row in sorted(rows, key=lambda row: (_sortable(key(row)), str(row.pk)))]


def _sortable(value):
    return (value is None, str(value))


def _orders(model, rows, who):
    """For every concrete column of `model`, the parents' sequence when sorted by it."""
    return {
        field.attname: _order(rows, lambda row, name=field.attname: getattr(row, name), who)
        for field in model._meta.concrete_fields
    }


def test_web_requests_about_an_anonymous_consultation_cannot_be_paired_with_responses(
    make_consultation, monkeypatch, django_capture_on_commit_callbacks
):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    invited = [ContactFactory(email=f"invited{i}@example.org", mobile=None) for i in range(N)]
    parents = [("open", i) for i in range(N)] + [("invited", i) for i in range(N)]
    clients = {}
    for parent in parents:  # each gets as far as "Check your answers", not sent yet
        client = clients[parent] = Client()
        kind, i = parent
        if kind == "invited":
            client.get(
                f"/consultations/{page.pk}/invitation/{services.invitation_token(page.pk, invited[i].pk)}/"
            )
        _answer_all(client, page, REPLIES)

    # Every parent sends, then asks to be told: the steps of all of them interleaved at random,
    # all within one frozen second.
    rng = random.Random(2026)
    pending = {parent: ["send", "tell"] for parent in parents}
    steps = []
    while pending:
        parent = rng.choice(sorted(pending))
        steps.append((parent, pending[parent].pop(0)))
        if not pending[parent]:
            del pending[parent]
    moment = timezone.now().replace(microsecond=250_000)
    _freeze(monkeypatch, moment)
    sent_order, asked_order = [], []
    with django_capture_on_commit_callbacks(execute=True):
        for parent, step in steps:
            client = clients[parent]
            if step == "send":
                done = client.post(f"/consultations/{page.pk}/check-your-answers/")
                assert done["Location"].endswith("/done/")
                sent_order.append(parent)
            else:
                kind, i = parent
                data = {"form": "tell", "tell-how": "email"}
                if kind == "open":
                    data["tell-email"] = f"open{i}@example.org"
                assert client.post(f"/consultations/{page.pk}/done/", data).status_code == 302
                asked_order.append(parent)

    # Held until the release: nothing recorded, confirmed or sent next to the responses.
    assert HeldFollowRequest.objects.count() == 2 * N
    assert not (
        FollowRequest.objects.exists() or AddressConfirmation.objects.exists() or Message.objects.exists()
    )
    responses = list(Response.objects.all())
    assert len(responses) == 2 * N and not any(r.contact_id for r in responses)

    # The release, a few seconds after the next boundary.
    _freeze(monkeypatch, messaging.next_release(moment) + timedelta(seconds=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.release_held_follow_requests() == 2 * N
    assert not HeldFollowRequest.objects.exists()

    by_address = {f"open{i}@example.org": ("open", i) for i in range(N)}
    by_contact = {c.pk: ("invited", i) for i, c in enumerate(invited)}
    follows = list(FollowRequest.objects.all())
    confirmations = list(AddressConfirmation.objects.all())
    messages = list(Message.objects.all())
    assert len(follows) == N and len(confirmations) == N and len(messages) == N

    # Only a date on follow requests, one time for everything the release wrote.
    assert all(type(f.requested_on) is date for f in follows)
    assert len({f.requested_on for f in follows}) == 1
    assert len({c.created_at for c in confirmations}) == 1 and moment not in {
        c.created_at for c in confirmations
    }
    assert len({(m.created_at, m.status_changed_at) for m in messages}) == 1
    assert all(isinstance(f.pk, uuid.UUID) for f in follows)

    # No column of any row, sorted, gives back the order the parents sent (or asked) in.
    for model, rows, who in (
        (FollowRequest, follows, lambda f: by_contact[f.contact_id]),
        (AddressConfirmation, confirmations, lambda c: by_address[c.address]),
        (Message, messages, lambda m: by_address[m.recipient]),
    ):
        for column, order in _orders(model, rows, who).items():
            kept_sent = [p for p in sent_order if p in set(order)]
            kept_asked = [p for p in asked_order if p in set(order)]
            assert order != kept_sent, (model.__name__, column)
            assert order != kept_asked, (model.__name__, column)

    # Nothing joins them: no foreign key to a response, and no response's reference, invitation key
    # or time appears anywhere in what was written for the requests.
    for model in (FollowRequest, AddressConfirmation, Message):
        assert not [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Response]
    written = " ".join(
        str(getattr(row, field.attname))
        for model, rows in (
            (FollowRequest, follows),
            (AddressConfirmation, confirmations),
            (Message, messages),
        )
        for row in rows
        for field in model._meta.concrete_fields
    )
    for r in responses:
        assert r.reference not in written
        assert not r.invitation_key or r.invitation_key.partition(":h:")[2] not in written
    assert str(moment) not in written and moment.isoformat() not in written
    # And the responses were all made in one second: their times do not order them either.
    assert len({r.completed_at for r in responses}) == 1

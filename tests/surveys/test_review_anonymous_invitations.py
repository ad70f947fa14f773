"""Review of issue #13: inviting parents to an *anonymous* consultation ("never record who answered").
Each invitation still answers once, and the reminder still skips those who answered, but the response
row no longer names the invited contact."""

import pytest

from messaging.choices import CampaignKind, Channel, MessageStatus, Purpose
from messaging.models import Campaign, Contact, Message
from surveys import invitations, results, services
from surveys.choices import Anonymity, ResponseChannel
from surveys.models import Response

pytestmark = pytest.mark.django_db


def _invited(page, campaign, n):
    contact = Contact.objects.create(name=f"Parent {n}", mobile=f"+4477009002{n:02d}")
    Message.objects.create(
        campaign=campaign, contact=contact, channel=Channel.SMS, recipient=str(contact.mobile),
        body="Have your say", status=MessageStatus.DELIVERED,
        idempotency_key=f"campaign:{campaign.pk}:{contact.pk}:sms",
    )  # fmt: skip
    return contact


def test_an_anonymous_response_does_not_name_the_invited_contact(make_consultation):
    page = make_consultation(anonymity=Anonymity.ANONYMOUS)
    invitation = Campaign.objects.create(
        name="Invite", kind=CampaignKind.CONSULTATION_INVITATION, purpose=Purpose.CONSULTATIONS,
        link_personaliser=invitations.personaliser_spec(page),
    )  # fmt: skip
    answered, silent = _invited(page, invitation, 1), _invited(page, invitation, 2)

    response = services.submit_response(page, {}, channel=ResponseChannel.WEB, contact_id=answered.pk)

    response.refresh_from_db()
    assert response.contact is None
    assert response.invitation_key != f"{page.pk}:{answered.pk}"
    assert response.invitation_key.startswith(f"{page.pk}:h:")  # a keyed hash, not the contact's id
    # Still one response per invitation ...
    assert services.invitation_used(page, answered.pk) and not services.invitation_used(page, silent.pk)
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(page, {}, channel=ResponseChannel.WEB, contact_id=answered.pk)
    # ... and the reminder goes only to the one who did not answer.
    audience = invitations.not_answered_contact_ids(f"{page.pk}:{invitation.pk}")
    assert list(audience.values_list("pk", flat=True)) == [silent.pk]
    assert Response.objects.count() == 1


def test_reach_counts_only_people_the_invitation_could_reach(make_consultation):
    """A suppressed address gets a message row that is never sent, and a cancelled or failed one never
    arrived: none of them was invited."""
    page = make_consultation()
    invitation = Campaign.objects.create(
        name="Invite", kind=CampaignKind.CONSULTATION_INVITATION, purpose=Purpose.CONSULTATIONS,
        link_personaliser=invitations.personaliser_spec(page),
    )  # fmt: skip
    _invited(page, invitation, 1)  # delivered
    for n, status in enumerate(
        (MessageStatus.SUPPRESSED, MessageStatus.PERMANENT_FAILURE, MessageStatus.TECHNICAL_FAILURE), start=2
    ):
        never = _invited(page, invitation, n)
        Message.objects.filter(contact=never).update(status=status)
    assert sum(row["invited"] for row in results.reach(page)) == 1

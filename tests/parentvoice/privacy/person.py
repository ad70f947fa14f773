"""One person seeded in every kind of record held about people (helper for the privacy tests)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from feedback_loop.models import FeedbackItem, FeedbackQuote, OpenFeedback, Theme
from forums.models import ForumEnquiry, Membership, ParentPageLink
from messaging import services as messaging
from messaging.choices import Channel, ConsentSource, FollowRoute, Purpose, SuppressionReason
from messaging.models import (
    AddressConfirmation,
    Contact,
    ContactImport,
    FollowRequest,
    HeldFollowRequest,
    InboundMessage,
    Suppression,
)
from parentvoice.models import SiteFeedback
from parentvoice.safeguarding.models import Case
from surveys.models import Answer, Response, ResumeLink, SmsConversation
from tests.factories import BookingFactory, MessageFactory
from tests.forums.conftest import fora_index, make_event, make_forum  # noqa: F401 - fixtures
from tests.surveys.conftest import make_consultation  # noqa: F401 - fixtures

EMAIL = "Erin.Example@Example.org"
MOBILE = "+447700900123"
NATIONAL_DIGITS = "7700900123"


@pytest.fixture
def person(db, make_user, make_consultation, make_forum, make_event):  # noqa: F811
    """Erin, in every kind of record: the email typed in mixed case, the mobile in several forms."""
    now = timezone.now()
    contact = Contact.objects.create(name="Erin Example", email=EMAIL.lower(), mobile=MOBILE)
    messaging.record_consent(
        contact,
        channel=Channel.SMS,
        purpose=Purpose.CONSULTATIONS,
        granted=True,
        source=ConsentSource.WEB_FORM,
        wording="Texts about consultations",
    )
    AddressConfirmation.objects.create(
        channel=Channel.EMAIL,
        address=EMAIL.lower(),
        request_id="00000000-0000-0000-0000-000000000001",
        wording="Confirm",
        source=ConsentSource.WEB_FORM,
        details={"name": "Erin Example"},
        expires_at=now,
    )
    FollowRequest.objects.create(
        contact=contact,
        topic="consultation:1",
        channel=Channel.SMS,
        route=FollowRoute.values[0],
        wording="Tell me",
        confirmed_by="sms_reply",
        requested_on=date.today(),
    )
    HeldFollowRequest.objects.create(
        topic="consultation:1",
        title="Support",
        channel=Channel.EMAIL,
        address=EMAIL.lower(),
        route=FollowRoute.values[0],
        wording="Tell me",
    )
    Suppression.objects.create(channel=Channel.SMS, address=MOBILE, reason=SuppressionReason.STOP)
    MessageFactory(contact=contact, recipient=MOBILE, body="Hello Erin")
    inbound = InboundMessage.objects.create(
        provider_ref="SM1", from_number=MOBILE, body=f"my email is {EMAIL}", contact=contact
    )
    ContactImport.objects.create(
        filename="list.csv", csv_text=f"name,email\nErin,{EMAIL}\n", consent_wording="Agreed"
    )
    page = make_consultation()
    response = Response.objects.create(consultation=page, channel="web", contact=contact, completed_at=now)
    Answer.objects.create(
        response=response, consultation=page, question_id="q1", text="Ring me on 07700 900 123", channel="web"
    )
    SmsConversation.objects.create(consultation=page, phone=MOBILE, contact=contact, answers={"q1": "yes"})
    ResumeLink.objects.create(
        consultation=page,
        token_hash="1" * 64,
        contact=contact,
        answers={"q1": "yes"},
        expires_at=page.closes_at,
    )
    forum = make_forum("Dover Parent Forum")
    event = make_event(forum, "Coffee morning", days=5)
    BookingFactory(event=event, name="Erin Example", email=EMAIL.lower(), mobile=MOBILE, access_needs="Ramp")
    Membership.objects.create(forum=forum, contact=contact)
    ForumEnquiry.objects.create(forum=forum, name="Erin", reply_to="07700 900123", message="Can I come?")
    ParentPageLink.objects.create(
        channel=Channel.EMAIL, address=EMAIL.lower(), token_hash="0" * 64, expires_at=now + timedelta(hours=1)
    )
    SiteFeedback.objects.create(trying_to_do="Book", ease="easy", email=EMAIL)
    make_user(email=EMAIL.lower())
    theme = Theme.objects.create(name="Information", slug="information")
    item = FeedbackItem(summary="Parents want texts.", theme=theme, consultation=page)
    item.quotes = [FeedbackQuote(text=f"Write to {EMAIL}", approved=False)]
    item.save()
    item.save_revision(clean=False)
    OpenFeedback.objects.create(text="Groups for dads, please", source="sms", contact=contact)
    OpenFeedback.objects.create(text=f"Call me on {MOBILE}", source="web")
    Case.objects.create(
        source_kind="messaging.inbound",
        source_id=inbound.pk,
        source_label="Text received",
        text=inbound.body,
        arrived_at=now,
        flagged_by="screen",
        due_at=now,
    )
    return {"contact": contact, "consultation": page, "response": response}

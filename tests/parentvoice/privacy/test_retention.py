# ruff: noqa: F811 - pytest fixtures imported from other conftest modules
"""Retention: each rule removes or anonymises what is just past its period and leaves what is just
inside it; a dry run changes nothing and counts the same; a second run finds nothing; and no
aggregate anyone reads (results, response counts, campaign figures, told counts) changes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from feedback_loop.models import FeedbackClosure
from feedback_loop.services import dashboard
from forums.models import Booking, ForumEnquiry
from messaging.choices import Channel, ImportStatus, MessageStatus, Purpose
from messaging.models import (
    AddressConfirmation,
    Campaign,
    Contact,
    ContactImport,
    FollowRequest,
    InboundMessage,
    Message,
)
from parentvoice.models import SiteFeedback
from parentvoice.privacy.models import RetentionRun
from parentvoice.privacy.services.retention import run_retention
from parentvoice.privacy.services.subjects import REMOVED
from parentvoice.safeguarding.models import Case, CaseAction
from parentvoice.safeguarding.retention import REMOVED_TEXT
from surveys import results
from surveys.choices import ResponseChannel
from surveys.models import Answer, Response, SmsConversation, SmsTurn
from tests.factories import (
    BookingFactory,
    CaseFactory,
    ConsentFactory,
    ContactFactory,
    FollowRequestFactory,
    MessageFactory,
)
from tests.feedback_loop.conftest import (  # noqa: F401 - shared fixtures
    answer,
    closed_consultation,
    fora_index,
    make_consultation,
    make_event,
    make_forum,
)
from tests.surveys.conftest import consultation  # noqa: F401 - shared fixture

NOW = timezone.now().replace(microsecond=0)
SECOND = timedelta(seconds=1)


def cutoff(days):
    return NOW - timedelta(days=days)


def run(dry_run=False):
    return run_retention(now=NOW, dry_run=dry_run)


def old_and_new(days):
    """(just past the period, just inside it)."""
    return cutoff(days) - SECOND, cutoff(days) + SECOND


def texts_in(conversation, *bodies, at=None):
    for n, body in enumerate(bodies):
        inbound = InboundMessage.objects.create(
            provider_ref=f"SM{conversation.pk}-{n}-{body}", from_number=conversation.phone, body=body
        )
        if at:
            InboundMessage.objects.filter(pk=inbound.pk).update(received_at=at)
        SmsTurn.objects.create(conversation=conversation, inbound=inbound, outcome="answered")


def make_case(kind, source_id, *, closed_at=None, released=False, status="closed"):
    case = CaseFactory(
        source_kind=kind,
        source_id=source_id,
        text="My son is being hit",
        arrived_at=NOW - timedelta(days=5000),
        flag_reason="Worried",
        status=status,
        released=released,
        closed_at=closed_at,
        due_at=NOW,
    )
    CaseAction.objects.create(case=case, kind="note", note="Spoke to the school")
    return case


# --- Each rule at its boundary --------------------------------------------------------------


@pytest.mark.django_db
def test_bookings_anonymised_after_the_event_ended_places_and_status_kept(make_forum, make_event):
    forum = make_forum("Dover forum")
    old_event = make_event(forum, "Old", days=0)
    new_event = make_event(forum, "New", days=0)
    past, inside = old_and_new(settings.RETAIN_BOOKINGS_DAYS)
    # The END is what counts: the old event ends just past the period, the new one just inside.
    EventPage = type(old_event)
    EventPage.objects.filter(pk=old_event.pk).update(start=past - timedelta(hours=2), end=past)
    EventPage.objects.filter(pk=new_event.pk).update(start=inside - timedelta(days=3), end=inside)
    old = BookingFactory(event=old_event, mobile="+447700900123", access_needs="Wheelchair", children=2)
    new = BookingFactory(event=new_event, access_needs="Hearing loop")

    assert run()["forums.bookings"] == 1
    old.refresh_from_db()
    assert (old.name, old.email, old.mobile, old.access_needs) == (REMOVED, "", "", "")
    assert (old.places, old.status) == (3, "confirmed")
    new_values = Booking.objects.values("name", "email", "access_needs").get(pk=new.pk)
    assert new_values == {"name": new.name, "email": new.email, "access_needs": "Hearing loop"}
    assert run()["forums.bookings"] == 0


@pytest.mark.django_db
def test_enquiries_deleted_after_the_period_unless_an_open_case_needs_them(make_forum):
    forum = make_forum("Dover forum")
    past, inside = old_and_new(settings.RETAIN_ENQUIRIES_DAYS)
    old, new, held = (
        ForumEnquiry.objects.create(
            forum=forum, name="A", reply_to="a@example.org", message="Hi", created_at=at
        )
        for at in (past, inside, past)
    )
    make_case("forums.enquiry", held.pk, status="reviewing")

    assert run()["forums.enquiries"] == 1
    assert set(ForumEnquiry.objects.values_list("pk", flat=True)) == {new.pk, held.pk}
    assert run()["forums.enquiries"] == 0


@pytest.mark.django_db
def test_sms_conversations_deleted_after_their_last_activity(consultation):
    past, inside = old_and_new(settings.RETAIN_SMS_MAX_DAYS)
    old = SmsConversation.objects.create(consultation=consultation, phone="+447700900001", status="complete")
    new = SmsConversation.objects.create(consultation=consultation, phone="+447700900002", status="complete")
    texts_in(old, "YES", "2", at=inside)  # the texts themselves are recent: the conversation decides
    texts_in(new, "YES")
    SmsConversation.objects.filter(pk=old.pk).update(updated_at=past)
    SmsConversation.objects.filter(pk=new.pk).update(updated_at=inside)

    assert run()["surveys.sms_conversations"] == 1
    assert list(SmsConversation.objects.values_list("pk", flat=True)) == [new.pk]
    assert list(InboundMessage.objects.values_list("body", flat=True)) == ["YES"]
    assert run()["surveys.sms_conversations"] == 0


@pytest.mark.django_db
def test_closed_with_feedback_forgets_texts_then_unlinks_responses(closed_consultation, answer):
    page = closed_consultation
    contact = ContactFactory()
    response = answer(page, contact=contact, free_text="More groups")
    conversation = SmsConversation.objects.create(consultation=page, phone="+447700900003", status="complete")
    texts_in(conversation, "SUPPORT")
    closure = FeedbackClosure.objects.create(
        consultation=page, closed_at=cutoff(settings.RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED) + SECOND
    )
    counts = run()
    assert (counts["feedback_loop.sms_after_feedback"], counts["feedback_loop.response_links"]) == (0, 0)

    FeedbackClosure.objects.filter(pk=closure.pk).update(
        closed_at=cutoff(settings.RETAIN_SMS_DAYS_AFTER_FEEDBACK_CLOSED) - SECOND
    )
    counts = run()
    assert (counts["feedback_loop.sms_after_feedback"], counts["feedback_loop.response_links"]) == (1, 0)
    assert not SmsConversation.objects.exists() and not InboundMessage.objects.exists()
    assert Response.objects.get(pk=response.pk).contact_id == contact.pk

    FeedbackClosure.objects.filter(pk=closure.pk).update(
        closed_at=cutoff(settings.RETAIN_RESPONSE_LINKS_DAYS_AFTER_FEEDBACK_CLOSED) - SECOND
    )
    assert run()["feedback_loop.response_links"] == 1
    response = Response.objects.get(pk=response.pk)
    assert (response.contact_id, response.invitation_key) == (None, None)
    assert Answer.objects.filter(response=response).exclude(text="").count() == 1
    assert run()["feedback_loop.response_links"] == 0


@pytest.mark.django_db
def test_messages_wiped_status_and_campaign_kept():
    campaign = Campaign.objects.create(
        name="Invite", kind="consultation_invitation", purpose=Purpose.CONSULTATIONS
    )
    past, inside = old_and_new(settings.RETAIN_MESSAGE_DAYS)
    old = MessageFactory(campaign=campaign, status=MessageStatus.DELIVERED, subject="Hello")
    new = MessageFactory(campaign=campaign, status=MessageStatus.SENT)
    Message.objects.filter(pk=old.pk).update(created_at=past)
    Message.objects.filter(pk=new.pk).update(created_at=inside)

    assert run()["messaging.messages"] == 1
    old.refresh_from_db()
    assert (old.body, old.subject, old.recipient) == ("", "", "")
    assert (old.status, old.campaign_id, old.contact_id, old.channel) == (
        MessageStatus.DELIVERED,
        campaign.pk,
        old.contact_id,
        Channel.SMS,
    )
    assert Message.objects.get(pk=new.pk).body == new.body and new.recipient
    assert run()["messaging.messages"] == 0


@pytest.mark.django_db
def test_texts_received_deleted_after_the_maximum():
    past, inside = old_and_new(settings.RETAIN_SMS_MAX_DAYS)
    for ref, at in (("old", past), ("new", inside), ("held", past)):
        InboundMessage.objects.create(provider_ref=ref, from_number="+447700900004", body=ref, received_at=at)
    make_case("messaging.inbound", InboundMessage.objects.get(provider_ref="held").pk, status="new")

    assert run()["messaging.inbound"] == 1
    assert set(InboundMessage.objects.values_list("provider_ref", flat=True)) == {"new", "held"}
    assert run()["messaging.inbound"] == 0


@pytest.mark.django_db
def test_expired_confirmations_and_old_import_previews_deleted():
    past, inside = old_and_new(settings.RETAIN_ADDRESS_CONFIRMATIONS_DAYS)
    values = {
        "channel": Channel.EMAIL,
        "address": "a@example.org",
        "request_id": "00000000-0000-0000-0000-000000000001",
        "wording": "w",
        "source": "web_form",
    }
    expired = AddressConfirmation.objects.create(expires_at=past, **values)
    recent = AddressConfirmation.objects.create(expires_at=inside, **values)
    confirmed = AddressConfirmation.objects.create(expires_at=past, confirmed_at=past, **values)
    p_past, p_inside = old_and_new(settings.RETAIN_IMPORT_PREVIEWS_DAYS)
    previews = [
        ContactImport.objects.create(
            filename=name, csv_text="email\na@example.org", consent_wording="w", status=status
        )
        for name, status in (
            ("old", ImportStatus.PREVIEWED),
            ("new", ImportStatus.PREVIEWED),
            ("done", ImportStatus.DONE),
        )
    ]
    ContactImport.objects.filter(pk__in=[previews[0].pk, previews[2].pk]).update(created_at=p_past)
    ContactImport.objects.filter(pk=previews[1].pk).update(created_at=p_inside)

    counts = run()
    assert (counts["messaging.confirmations"], counts["messaging.import_previews"]) == (1, 1)
    assert set(AddressConfirmation.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert expired.pk not in AddressConfirmation.objects.values_list("pk", flat=True)
    assert set(ContactImport.objects.values_list("filename", flat=True)) == {"new", "done"}


@pytest.mark.django_db
def test_inactive_contacts_without_consent_deleted(make_forum, consultation):
    from forums.models import Membership

    past, inside = old_and_new(settings.RETAIN_INACTIVE_CONTACT_DAYS)
    contacts = {
        name: ContactFactory(name=name)
        for name in ("gone", "recent", "consents", "withdrew", "member", "texted", "answered", "messaged")
    }
    ConsentFactory(contact=contacts["consents"])
    ConsentFactory(contact=contacts["withdrew"])
    ConsentFactory(contact=contacts["withdrew"], granted=False)
    Membership.objects.create(forum=make_forum("Dover forum"), contact=contacts["member"])
    InboundMessage.objects.create(
        provider_ref="x",
        from_number="+447700900005",
        contact=contacts["texted"],
        received_at=NOW - timedelta(days=30),
    )
    Response.objects.create(
        consultation=consultation,
        channel=ResponseChannel.WEB,
        contact=contacts["answered"],
        started_at=inside,
    )
    MessageFactory(contact=contacts["messaged"])
    Contact.objects.exclude(name="recent").update(created_at=past, updated_at=past)
    Contact.objects.filter(name="recent").update(created_at=past, updated_at=inside)

    assert run()["messaging.inactive_contacts"] == 2
    assert set(Contact.objects.values_list("name", flat=True)) == {
        "recent",
        "consents",
        "member",
        "texted",
        "answered",
        "messaged",
    }
    assert run()["messaging.inactive_contacts"] == 0


@pytest.mark.django_db
def test_site_feedback_email_wiped():
    past, inside = old_and_new(settings.RETAIN_SITE_FEEDBACK_EMAIL_DAYS)
    old = SiteFeedback.objects.create(trying_to_do="Find", ease="easy", email="a@example.org")
    new = SiteFeedback.objects.create(trying_to_do="Find", ease="easy", email="b@example.org")
    SiteFeedback.objects.filter(pk=old.pk).update(created_at=past)
    SiteFeedback.objects.filter(pk=new.pk).update(created_at=inside)

    assert run()["parentvoice.site_feedback_emails"] == 1
    assert dict(SiteFeedback.objects.values_list("pk", "email")) == {old.pk: "", new.pk: "b@example.org"}
    assert SiteFeedback.objects.get(pk=old.pk).trying_to_do == "Find"
    assert run()["parentvoice.site_feedback_emails"] == 0


@pytest.mark.django_db
def test_cases_no_concern_deleted_others_wiped_but_kept_and_held():
    nc_past, nc_inside = old_and_new(settings.RETAIN_CASES_NO_CONCERN_DAYS)
    make_case("surveys.answer", 1, closed_at=nc_past, released=True)
    released_new = make_case("surveys.answer", 2, closed_at=nc_inside, released=True)
    past, inside = old_and_new(settings.RETAIN_CASES_DAYS)
    referred_old = make_case("surveys.answer", 3, closed_at=past)
    referred_new = make_case("surveys.answer", 4, closed_at=inside)
    still_open = make_case("surveys.answer", 5, status="reviewing")

    counts = run()
    assert (counts["safeguarding.no_concern_cases"], counts["safeguarding.closed_cases"]) == (1, 1)
    assert set(Case.objects.values_list("pk", flat=True)) == {
        released_new.pk,
        referred_old.pk,
        referred_new.pk,
        still_open.pk,
    }
    referred_old.refresh_from_db()
    assert (referred_old.text, referred_old.flag_reason) == (REMOVED_TEXT, REMOVED_TEXT)
    assert list(referred_old.actions.values_list("note", flat=True)) == [REMOVED_TEXT]
    assert not referred_old.released  # the row stays, so the source text stays held
    for case in (referred_new, still_open):
        case.refresh_from_db()
        assert case.text == "My son is being hit" and case.actions.get().note == "Spoke to the school"
    counts = run()
    assert (counts["safeguarding.no_concern_cases"], counts["safeguarding.closed_cases"]) == (0, 0)


# --- Dry run, the record of runs, the command -----------------------------------------------


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_counts_the_same():
    past, _ = old_and_new(settings.RETAIN_SITE_FEEDBACK_EMAIL_DAYS)
    SiteFeedback.objects.create(trying_to_do="Find", ease="easy", email="a@example.org")
    SiteFeedback.objects.update(created_at=past)
    MessageFactory()
    Message.objects.update(created_at=cutoff(settings.RETAIN_MESSAGE_DAYS) - SECOND)

    dry = run(dry_run=True)
    assert SiteFeedback.objects.get().email == "a@example.org"
    assert Message.objects.get().body
    assert dry == run()
    assert dry["parentvoice.site_feedback_emails"] == dry["messaging.messages"] == 1
    assert [r.dry_run for r in RetentionRun.objects.order_by("started_at", "id")] == [True, False]
    assert all(r.finished_at for r in RetentionRun.objects.all())


@pytest.mark.django_db
def test_command_prints_a_line_per_rule_and_a_total_and_no_personal_data(caplog):
    SiteFeedback.objects.create(trying_to_do="Find", ease="easy", email="secret@example.org")
    SiteFeedback.objects.update(created_at=timezone.now() - timedelta(days=1000))
    out = StringIO()
    with caplog.at_level("INFO"):
        call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert (
        "Website feedback: email address for a reply wiped (90 days after it was sent): 1 would be removed or anonymised"
        in text
    )
    assert text.strip().splitlines()[-1] == "Total: 1 would be removed or anonymised"
    assert "secret" not in text + caplog.text
    assert SiteFeedback.objects.get().email == "secret@example.org"
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Total: 1 were removed or anonymised" in out.getvalue()
    assert RetentionRun.objects.filter(dry_run=False).get().counts["parentvoice.site_feedback_emails"] == 1


# --- Nothing anyone counts changes ------------------------------------------------------------


def _aggregates(page, event):
    questions = results.question_results(page)
    schema = [r.question for r in questions]
    return {
        "results": [
            (r.question.id, r.answered, r.mean, [(c.key, c.count) for c in (r.choices or [])])
            for r in questions
        ],
        "counts": results.response_counts(page),
        "breakdowns": {
            d: results.breakdowns(page, schema, d) for d in ("district", "channel", "parent_role")
        },
        "over_time": results.responses_over_time(page),
        "free_text": [a.text for a in results.free_text_answers(page, questions[-1].question.id)],
        "campaign": sorted(
            Message.objects.values_list("campaign_id", "status", "channel").annotate(n=Count("id")).order_by()
        ),
        "told": [
            (s.kind, s.pk, [(r.channel, r.responses, r.asked, r.told) for r in s.rows])
            for s in dashboard.share_told()
        ],
        "attendance": sorted(Booking.objects.filter(event=event).values_list("status", "adults", "children")),
    }


@pytest.mark.django_db
def test_results_counts_campaign_figures_and_attendance_unchanged(
    closed_consultation, answer, make_forum, make_event, hearing=False
):
    page = closed_consultation
    contacts = [ContactFactory() for _ in range(4)]
    for contact in contacts[:3]:  # asked to be told about this consultation
        FollowRequestFactory(contact=contact, topic=f"consultation:{page.pk}", route="web")
    if hearing:  # or hear about every outcome: the dashboard counts them through the linked response
        for contact in contacts[:3]:
            ConsentFactory(contact=contact, purpose=Purpose.OUTCOMES)
            FollowRequest.objects.filter(contact=contact).delete()
    for n, contact in enumerate(contacts):
        answer(page, contact=contact, first_place="school" if n % 2 else "health", would_help=["talk"])
    answer(page, free_text="More evening groups")
    for n in range(3):
        response = answer(page, channel=ResponseChannel.SMS, first_place="online", free_text=f"Texted {n}")
        conversation = SmsConversation.objects.create(
            consultation=page, phone=f"+44770090010{n}", status="complete", response=response
        )
        texts_in(conversation, "SUPPORT", "4", f"Texted {n}")
    FeedbackClosure.objects.create(consultation=page, closed_at=NOW - timedelta(days=3000))
    campaign = Campaign.objects.create(name="Results", kind="results", purpose=Purpose.OUTCOMES)
    from surveys.models import ResultsNotice

    ResultsNotice.objects.update_or_create(consultation=page, defaults={"campaign": campaign})
    statuses = [
        MessageStatus.DELIVERED,
        MessageStatus.DELIVERED,
        MessageStatus.SENT,
        MessageStatus.PERMANENT_FAILURE,
    ]
    for contact, status in zip(contacts, statuses, strict=True):
        MessageFactory(campaign=campaign, contact=contact, status=status)
    Message.objects.update(created_at=NOW - timedelta(days=3000))
    event = make_event(make_forum("Dover forum"), "Meeting", days=-400)
    for status, children in (("confirmed", 2), ("confirmed", 0), ("cancelled", 1)):
        BookingFactory(event=event, status=status, children=children, access_needs="Step-free")

    before = _aggregates(page, event)
    counts = run()
    assert counts["feedback_loop.sms_after_feedback"] == 3
    assert counts["messaging.messages"] == 4
    assert counts["forums.bookings"] == 3
    assert not InboundMessage.objects.exists()
    assert _aggregates(page, event) == before

    before_told = [row for source in before["told"] for row in source[2]]
    assert ("web", 5, 3, 3) in before_told  # the told path under test really counted someone


@pytest.mark.django_db
def test_told_counts_through_linked_responses_unchanged(closed_consultation, answer, make_forum, make_event):
    test_results_counts_campaign_figures_and_attendance_unchanged(
        closed_consultation, answer, make_forum, make_event, hearing=True
    )


@pytest.mark.django_db
def test_work_is_done_in_chunks_each_in_a_transaction():
    from parentvoice.privacy.services.retention import delete, in_chunks

    for n in range(5):
        SiteFeedback.objects.create(trying_to_do=f"Find {n}", ease="easy")
    seen = []

    def record_and_delete(rows):
        seen.append(rows.count())
        delete(rows)

    assert in_chunks(SiteFeedback.objects.all(), record_and_delete, dry_run=False, chunk=2) == 5
    assert seen == [2, 2, 1]
    assert not SiteFeedback.objects.exists()


@pytest.mark.django_db
def test_frozen_told_figures_are_what_the_dashboard_showed(
    closed_consultation, answer, make_forum, make_event
):
    """Freezing is what keeps the told counts: without it the linked respondents drop to 0 asked."""
    from feedback_loop.models import FeedbackClosure
    from feedback_loop.services import dashboard

    test_results_counts_campaign_figures_and_attendance_unchanged(
        closed_consultation, answer, make_forum, make_event, hearing=True
    )
    closure = FeedbackClosure.objects.get(consultation=closed_consultation)
    assert any(row["asked"] for row in closure.told_figures)
    FeedbackClosure.objects.filter(pk=closure.pk).update(told_figures=None)
    recomputed = [s for s in dashboard.share_told() if s.pk == closed_consultation.pk]
    assert recomputed and all(row.asked == 0 for row in recomputed[0].rows)

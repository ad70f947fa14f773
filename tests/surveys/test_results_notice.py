"""Publishing a consultation's results tells the people who took part, once: linked respondents who
agreed to hear about outcomes and anyone who asked to be told about it, one message each, on their
channel, never to a suppressed address."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from messaging import services as messaging
from messaging.choices import CampaignKind, Channel, ConfirmedBy, FollowRoute, MessageStatus, Purpose
from messaging.models import Campaign, Message
from messaging.sms import segment_info
from surveys import follow_up, services
from surveys.choices import ResponseChannel
from surveys.models import ResultsNotice
from tests.factories import ConsentingParentFactory, ContactFactory

LINK = "http://testserver/have-your-say/support/results/"


def _closed(make_consultation, **fields):
    now = timezone.now()
    return make_consultation(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1), **fields)


def _publish_results(page):
    page.results_published = True
    page.save_revision().publish()


def _follow(contact, page, channel):
    messaging.record_follow(
        contact,
        topic=follow_up.consultation_topic(page.pk),
        channel=channel,
        route=FollowRoute.WEB,
        wording="Tell me what you decide",
        confirmed_by=ConfirmedBy.PERSONAL_LINK,
    )


def _answered(contact, page):
    return services.submit_response(page, {}, channel=ResponseChannel.WEB, contact_id=contact.pk)


@pytest.mark.django_db
def test_publishing_the_results_starts_one_notice_ever(make_consultation):
    page = _closed(make_consultation)
    page.save_revision().publish()  # published without results: nothing to say yet
    assert not ResultsNotice.objects.exists()

    _publish_results(page)
    notice = ResultsNotice.objects.get()
    campaign = notice.campaign
    assert campaign.kind == CampaignKind.OUTCOME_NOTICE and campaign.purpose == Purpose.OUTCOMES
    assert campaign.audience_source == f"took-part:{page.pk}" and campaign.one_channel_per_contact
    assert campaign.link_url == LINK
    assert campaign.sms_template == "The results of 'Support for parents' are out: ((link))"
    assert "((link))" in campaign.email_template and "Support for parents" in campaign.email_subject

    page.title = "Support for parents (corrected)"
    _publish_results(page)  # republishing, even with changes, tells nobody again
    assert ResultsNotice.objects.count() == 1 and Campaign.objects.count() == 1


@pytest.mark.django_db
def test_the_audience_is_everyone_who_took_part(make_consultation):
    page = _closed(make_consultation)
    other = make_consultation(slug="other", title="Other")
    linked, follower, both = ContactFactory(), ContactFactory(), ContactFactory()
    _answered(linked, page)
    _answered(both, page)
    _follow(follower, page, Channel.EMAIL)
    _follow(both, page, Channel.SMS)
    _follow(ContactFactory(), other, Channel.EMAIL)
    _answered(ContactFactory(), other)
    ids = sorted(row["pk"] for row in follow_up.took_part_contact_ids(str(page.pk)))
    assert ids == sorted([linked.pk, follower.pk, both.pk])


def test_results_reach_the_right_people_on_the_right_channel(make_consultation, run_tasks):
    page = _closed(make_consultation)
    # Answered (linked) and agreed to outcomes by email: told by email.
    respondent = ConsentingParentFactory(
        email="resp@example.org", consents=[(Channel.EMAIL, Purpose.OUTCOMES)]
    )
    _answered(respondent, page)
    # Answered, but never agreed to hear about outcomes: not told.
    silent = ContactFactory()
    _answered(silent, page)
    # Asked to be told by text, no general consent: told by text.
    follower = ContactFactory(email="f@example.org", mobile="+447700900501")
    _follow(follower, page, Channel.SMS)
    # Asked to be told by text, but the number has texted STOP since: a row, never sent.
    stopped = ContactFactory(mobile="+447700900502", email=None)
    _follow(stopped, page, Channel.SMS)
    messaging.suppress(Channel.SMS, "+447700900502", "stop")
    # Answered, follows and agreed on both channels: one message.
    keen = ConsentingParentFactory(
        email="keen@example.org",
        mobile="+447700900503",
        consents=[(Channel.EMAIL, Purpose.OUTCOMES), (Channel.SMS, Purpose.OUTCOMES)],
    )
    _answered(keen, page)
    _follow(keen, page, Channel.SMS)
    # Agreed to outcomes in general, did not take part: not told.
    ConsentingParentFactory(consents=[(Channel.SMS, Purpose.OUTCOMES)])

    _publish_results(page)
    run_tasks()
    messages = {m.contact_id: m for m in Message.objects.filter(campaign__isnull=False)}
    assert set(messages) == {respondent.pk, follower.pk, stopped.pk, keen.pk}
    assert messages[respondent.pk].channel == Channel.EMAIL and LINK in messages[respondent.pk].body
    assert messages[follower.pk].channel == Channel.SMS
    assert messages[follower.pk].body.startswith("Kent Parent Voice: The results of 'Support for parents'")
    assert LINK in messages[follower.pk].body
    assert messages[stopped.pk].status == MessageStatus.SUPPRESSED
    assert messages[respondent.pk].status != MessageStatus.SUPPRESSED
    assert Message.objects.filter(contact=keen).count() == 1

    _publish_results(page)
    run_tasks()
    assert Message.objects.filter(campaign__isnull=False).count() == 4


@pytest.mark.django_db
def test_a_long_title_is_cut_on_a_word_to_fit_two_texts(make_consultation):
    title = "How we support parents and carers of children with special educational needs " * 4
    page = _closed(make_consultation, title=title.strip()[:255])
    _publish_results(page)
    template = ResultsNotice.objects.get().campaign.sms_template
    sent = messaging.sms_body(template.replace("((link))", LINK))
    assert segment_info(sent).segments <= 2
    cut = template.split("'")[1].removesuffix("...")
    assert title.startswith(cut) and title[len(cut)] == " "


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1, max_size=255),
    link=st.sampled_from([LINK, "http://localhost:8000/" + "x" * 200 + "/results/"]),
)
def test_the_results_text_always_fits_two_segments(title, link):
    template = follow_up.results_sms_template(title, link)
    assert template.count("((link))") == 1 and template.endswith("((link))")
    assert "((" not in template.replace("((link))", "")
    sent = messaging.sms_body(template.replace("((link))", link))
    assert segment_info(sent).segments <= 2

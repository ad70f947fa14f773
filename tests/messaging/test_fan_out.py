"""The campaign fan-out (services.create_campaign_messages / prepare_campaign): what each person is sent,
texts rendered once where nothing in them is personal, and running it again (after a crash part way)."""

import pytest
from django.db import connection
from hypothesis import example, given, settings
from hypothesis import strategies as st

from messaging import audiences, services
from messaging.campaign_wording import Wording
from messaging.choices import CampaignStatus, Channel, MessageStatus, Purpose, SuppressionReason
from messaging.models import Campaign, CampaignTranslation, Message, Suppression
from messaging.services.consent import suppression_hash
from messaging.services.fan_out import Texts
from messaging.services.sending import email_body, render, sms_body
from tests.factories import ConsentingParentFactory

BOUNDED = settings(max_examples=200, deadline=None)
BOTH = [(Channel.SMS, Purpose.CONSULTATIONS), (Channel.EMAIL, Purpose.CONSULTATIONS)]


def _campaign(**fields):
    values = {
        "name": "Childcare survey",
        "kind": "consultation_invitation",
        "purpose": Purpose.CONSULTATIONS,
        "send_sms": True,
        "send_email": True,
        "one_channel_per_contact": False,
        "title": "childcare",
        "sms_template": "Hi ((name)), tell us about ((title)): ((link))",
        "email_subject": "Have your say: ((title))",
        "email_template": "Dear ((name)),\n\nTell us about ((title)): ((link))",
        "link_url": "https://parentvoice.example.org/c/1/",
        "sms_per_second": 1000,
        "email_per_second": 1000,
    }
    values.update(fields)
    return Campaign.objects.create(**values)


def _polish(campaign):
    return CampaignTranslation.objects.create(
        campaign=campaign,
        language="pl",
        title="opieka",
        sms_template="Cześć ((name)), opowiedz o ((title)): ((link))",
        email_subject="Twoje zdanie: ((title))",
        email_template="Drogi ((name)),\n\n((title)): ((link))",
    )


def _sent(campaign):
    return {(m.contact_id, m.channel): m for m in Message.objects.filter(campaign=campaign)}


@pytest.mark.django_db
def test_each_person_gets_their_languages_wording_rendered_as_sending_renders_it():
    english = ConsentingParentFactory(consents=BOTH, email="en@example.org", language="en")
    polish = ConsentingParentFactory(consents=BOTH, email="pl@example.org", language="pl-PL")
    nameless = ConsentingParentFactory(consents=BOTH, email="x@example.org", language="pl", name="")
    campaign = _campaign()
    _polish(campaign)

    assert services.create_campaign_messages(campaign) == 6

    sent = _sent(campaign)
    wordings = {
        english.pk: (
            None,
            "childcare",
            campaign.sms_template,
            campaign.email_subject,
            campaign.email_template,
        ),
        polish.pk: (
            "pl",
            "opieka",
            "Cześć ((name)), opowiedz o ((title)): ((link))",
            "Twoje zdanie: ((title))",
            "Drogi ((name)),\n\n((title)): ((link))",
        ),
    }
    wordings[nameless.pk] = wordings[polish.pk]
    for contact in (english, polish, nameless):
        language, title, sms, subject, email = wordings[contact.pk]
        values = {"name": contact.name, "title": title, "link": campaign.link_url}
        assert sent[(contact.pk, Channel.SMS)].body == sms_body(render(sms, values), language)
        assert sent[(contact.pk, Channel.SMS)].recipient == str(contact.mobile)
        assert sent[(contact.pk, Channel.EMAIL)].subject == render(subject, values)
        assert sent[(contact.pk, Channel.EMAIL)].body == email_body(
            render(email, values), contact.pk, language
        )
        assert sent[(contact.pk, Channel.EMAIL)].recipient == contact.email
    assert sent[(nameless.pk, Channel.SMS)].body.startswith("Kent Parent Voice: Cześć , opowiedz o opieka: ")


@pytest.mark.django_db
def test_a_text_with_nothing_personal_is_the_same_for_everyone_in_a_language():
    people = [ConsentingParentFactory() for _ in range(3)]
    campaign = _campaign(send_email=False, sms_template="  Have your say on ((title)): ((link))  ")

    services.create_campaign_messages(campaign)

    bodies = {m.body for m in Message.objects.filter(campaign=campaign)}
    assert bodies == {
        "Kent Parent Voice: Have your say on childcare: https://parentvoice.example.org/c/1/ Reply STOP to stop."
    }
    assert Message.objects.filter(campaign=campaign).count() == len(people)


@pytest.mark.django_db
def test_a_personal_link_brought_in_by_the_title_is_each_persons_own():
    audiences.register_link_personaliser(
        "test-fan-out", lambda value, contact_id: f"https://x.test/{contact_id}"
    )
    people = [ConsentingParentFactory() for _ in range(2)]
    # No ((link)) in the template itself: render fills in the title first, then the ((link)) it brought.
    campaign = _campaign(
        send_email=False, sms_template="((title))", title="see ((link))", link_personaliser="test-fan-out:1"
    )

    services.create_campaign_messages(campaign)

    sent = _sent(campaign)
    for person in people:
        assert f"see https://x.test/{person.pk} " in sent[(person.pk, Channel.SMS)].body


@pytest.mark.django_db
def test_suppressed_addresses_plain_or_hashed_get_a_suppressed_row():
    stopped = ConsentingParentFactory(consents=BOTH, email="stop@example.org")
    erased = ConsentingParentFactory(consents=BOTH, email="gone@example.org")
    fine = ConsentingParentFactory(consents=BOTH, email="fine@example.org")
    services.suppress(Channel.SMS, str(stopped.mobile), SuppressionReason.STOP)
    # An erased person's suppression is kept as a hash of the address (see parentvoice.privacy).
    Suppression.objects.create(
        channel=Channel.EMAIL, address=suppression_hash(erased.email), reason=SuppressionReason.UNSUBSCRIBED
    )
    campaign = _campaign()

    services.create_campaign_messages(campaign)

    statuses = {key: m.status for key, m in _sent(campaign).items()}
    assert statuses == {
        (stopped.pk, Channel.SMS): MessageStatus.SUPPRESSED,
        (stopped.pk, Channel.EMAIL): MessageStatus.CREATED,
        (erased.pk, Channel.SMS): MessageStatus.CREATED,
        (erased.pk, Channel.EMAIL): MessageStatus.SUPPRESSED,
        (fine.pk, Channel.SMS): MessageStatus.CREATED,
        (fine.pk, Channel.EMAIL): MessageStatus.CREATED,
    }


@pytest.mark.django_db
def test_running_again_after_a_crash_part_way_creates_only_what_is_missing():
    people = [ConsentingParentFactory() for _ in range(6)]
    campaign = _campaign(send_email=False)
    assert services.create_campaign_messages(campaign) == 6
    first = {m.contact_id: (m.pk, m.body) for m in Message.objects.filter(campaign=campaign)}
    # As if the worker died after the first chunk: the later people's messages were never written.
    Message.objects.filter(campaign=campaign, contact__in=people[3:]).delete()
    # Meanwhile one of those not yet reached texted STOP.
    services.suppress(Channel.SMS, str(people[4].mobile), SuppressionReason.STOP)

    assert services.create_campaign_messages(campaign) == 3

    again = {m.contact_id: m for m in Message.objects.filter(campaign=campaign)}
    assert sorted(again) == sorted(p.pk for p in people)
    for person in people[:3]:  # kept, not written again
        assert (again[person.pk].pk, again[person.pk].body) == first[person.pk]
    assert again[people[4].pk].status == MessageStatus.SUPPRESSED
    assert services.create_campaign_messages(campaign) == 0
    assert Message.objects.filter(campaign=campaign).count() == 6


@pytest.mark.django_db
def test_prepare_campaign_finishes_a_fan_out_left_preparing():
    people = [ConsentingParentFactory() for _ in range(4)]
    campaign = _campaign(send_email=False, status=CampaignStatus.PREPARING)
    services.create_campaign_messages(campaign)
    Message.objects.filter(campaign=campaign, contact__in=people[2:]).delete()

    result = services.prepare_campaign(campaign.pk)

    campaign.refresh_from_db()
    assert result.created == 2
    assert campaign.status == CampaignStatus.SENDING
    assert campaign.recipient_count == 4
    assert Message.objects.filter(campaign=campaign).count() == 4
    # Once it has moved on, running the task again does nothing.
    assert services.prepare_campaign(campaign.pk).created == 0


PLACEHOLDERISH = st.text(alphabet="()nameitlk x\x00", max_size=24)  # \x00: the mark Texts splits on


@BOUNDED
@example(template="((title((name))", name="))", title="T", link="L", own_link="O", personal_links=False)
@example(template="((name))(title))", name="(", title="T", link="L", own_link="O", personal_links=False)
@example(template="((li((name))", name="nk))", title="T", link="L", own_link="O", personal_links=False)
@example(template="((ti((name))le))", name="t", title="T", link="L", own_link="O", personal_links=False)
@example(template="(((name))(title))", name="", title="T", link="L", own_link="O", personal_links=False)
@given(
    template=PLACEHOLDERISH,
    name=PLACEHOLDERISH,
    title=PLACEHOLDERISH,
    link=PLACEHOLDERISH,
    own_link=PLACEHOLDERISH,
    personal_links=st.booleans(),
)
def test_a_text_rendered_once_is_what_rendering_it_for_each_person_gives(
    template, name, title, link, own_link, personal_links
):
    wording = Wording(None, title, template, "", "")
    texts = Texts(template, wording, link, personal_links)
    persons_link = own_link if personal_links else link
    assert texts.text(name, persons_link) == render(
        template, {"name": name, "title": title, "link": persons_link}
    )


@pytest.mark.django_db
def test_chunks_inside_a_callers_transaction_each_go_in_once(monkeypatch):
    """Several chunks in one transaction (no commit between them to empty PostgreSQL's staging
    table): each row is inserted and counted once, and a second campaign's fan-out on the same
    connection starts from an empty staging table."""
    from messaging.services import fan_out

    monkeypatch.setattr(fan_out, "FAN_OUT_CHUNK", 4)
    people = [ConsentingParentFactory(name=f"Parent {n}") for n in range(10)]
    first, second = _campaign(send_email=False), _campaign(send_email=False, name="Second")
    assert services.create_campaign_messages(first) == 10
    assert services.create_campaign_messages(second) == 10
    for campaign in (first, second):
        sent = _sent(campaign)
        assert sorted(contact for contact, _ in sent) == sorted(p.pk for p in people)
        assert all(f"Hi {m.contact.name}, tell us" in m.body for m in sent.values())


@pytest.mark.django_db
def test_names_copy_has_to_escape_arrive_as_written():
    """PostgreSQL's COPY reads tabs, line breaks and backslashes (\\N is its NULL) as markup: a name
    holding them reaches the message as written, on either database. (A name with a bracket is
    put together in Python, so it reaches the database through COPY.)"""
    name = 'Zoë \\N O\'Neil\\t\t"Jo"\\ (Mum)'
    person = ConsentingParentFactory(name=name)
    campaign = _campaign(send_email=False)
    assert services.create_campaign_messages(campaign) == 1
    (message,) = _sent(campaign).values()
    assert message.contact_id == person.pk and message.subject == ""
    assert f"Hi {name}, tell us about childcare" in message.body


# Names the database joins into a text exactly as Python would, or leaves to Python: whitespace at
# either end (Python's strip is not the database's trim), brackets (a ((placeholder)) could form), LIKE's
# wildcards, COPY's markup, characters outside the Basic Multilingual Plane.
TRICKY_NAMES = [
    "",
    "Ann",
    " Leading",
    "Trailing\u2003",
    "Zoë Ó'Néill",
    "名字",
    "👩‍👧 Mum",
    "Tab\there",
    "Line\nbreak",
    "50% _of",
    "back\\slash \\N",
    "(Jo)",
    "((name))",
    "Jo)",
]
TEMPLATES = [
    "Hi ((name)), tell us about ((title)): ((link))",  # joined in the database
    "Dear ((name)) and ((name))! ((link))",  # the name twice
    "  Tell us about ((title)): ((link))  ",  # the same for everyone
    "((name)), tell us: ((link))",  # starts with the name: joined in Python
    "Thanks ((name))",  # ends with it
]


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_name_gets_what_sending_would_render_whichever_way_the_text_is_made(template):
    people = [
        ConsentingParentFactory(name=name, language="pl" if n % 2 else "en")
        for n, name in enumerate(TRICKY_NAMES)
    ]
    campaign = _campaign(send_email=False, sms_template=template)
    polish = template.replace("tell us", "opowiedz").replace("Thanks", "Dzięki")
    CampaignTranslation.objects.create(campaign=campaign, language="pl", title="opieka", sms_template=polish)

    assert services.create_campaign_messages(campaign) == len(people)

    sent = _sent(campaign)
    for person in people:
        language, wording, title = (
            ("pl", polish, "opieka") if person.language == "pl" else (None, template, "childcare")
        )
        values = {"name": person.name, "title": title, "link": campaign.link_url}
        message = sent[(person.pk, Channel.SMS)]
        assert message.body == sms_body(render(wording, values), language), person.name
        assert message.recipient == str(person.mobile)
        assert message.idempotency_key == f"campaign:{campaign.pk}:{person.pk}:sms"
        assert (message.subject, message.purpose, message.status) == (
            "",
            Purpose.CONSULTATIONS,
            MessageStatus.CREATED,
        )


@pytest.mark.django_db
def test_the_database_puts_together_the_texts_it_can_and_leaves_the_rest():
    """A text campaign's texts are made by the database for everyone whose text is the same but for
    the name, and only for those who agreed and have a mobile; not for a name with a bracket, nor for
    campaigns that send email or personal links."""
    from messaging.services import campaigns, fan_out

    plain = [ConsentingParentFactory(name=f"Parent {n}") for n in range(3)]
    ConsentingParentFactory(name="Jo (Mum)")
    withdrawn = ConsentingParentFactory(name="Withdrawn")
    services.record_consent(
        withdrawn,
        channel=Channel.SMS,
        purpose=Purpose.CONSULTATIONS,
        granted=False,
        source="web_form",
        wording="No",
    )
    ConsentingParentFactory(name="Email only", mobile=None, email="e@example.org", consents=BOTH)

    def made_in_sql(campaign):
        writer = fan_out.MessageWriter(campaign, connection)
        contacts = campaigns.audience(campaign, reachable_only=False)
        wordings = fan_out.Wordings(campaign, personalised=bool(campaign.link_personaliser))
        covered = fan_out.insert_in_sql(campaign, contacts, wordings, writer)
        return covered, writer.created

    covered, created = made_in_sql(_campaign(send_email=False))
    assert covered is not None and created == len(plain)
    assert set(Message.objects.values_list("contact_id", flat=True)) == {p.pk for p in plain}
    assert made_in_sql(_campaign(name="Both channels")) == (None, 0)
    assert made_in_sql(
        _campaign(name="Starts with the name", send_email=False, sms_template="((name)): ((link))")
    ) == (None, 0)
    assert made_in_sql(
        _campaign(name="Personal links", send_email=False, link_personaliser="test-lang:1")
    ) == (None, 0)

"""Practitioners' fora: joining with a work email address and an organisation, forum business (not
marketing) by email only, leaving, the preferences page, and attacks on the join."""

import re

import pytest

from forums import services
from forums.choices import ForumKind
from forums.models import Membership
from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, ConsentSource, Purpose
from messaging.models import AddressConfirmation, Consent, Contact, Message
from parentvoice.accounts.roles import FORUM_COORDINATORS
from parentvoice.text import NUL_MESSAGE

pytestmark = pytest.mark.django_db

WORK = {"name": "Priya", "email": "priya.health@gmail.com", "organisation": "Dover Health Visiting"}


@pytest.fixture
def practitioners(make_forum):
    return make_forum("Kent Practitioners Forum", kind=ForumKind.PRACTITIONERS)


def _post_join(client, forum, **data):
    return client.post(f"/fora/{forum.pk}/join/", {**WORK, **data})


def _confirmation_path(address):
    message = Message.objects.filter(
        recipient=address, idempotency_key__startswith="confirm-address:"
    ).latest("pk")
    return re.search(r"http://testserver(/confirm/\S+?/)", message.body).group(1)


def _confirmed_member(forum, **fields):
    values = {**WORK, "mobile": "", "purposes": [Purpose.FORUM_BUSINESS], **fields}
    sign_up = services.join_forum(forum, **values)
    for confirmation in sign_up.confirmations:
        confirmed = messaging.confirm_address(confirmation.pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    return Membership.objects.get(forum=forum, contact=confirmed.contact, left_at__isnull=True)


def _business(contact):
    return messaging.current_consents(contact).get((Channel.EMAIL, Purpose.FORUM_BUSINESS))


def test_a_practitioner_joins_with_a_webmail_work_address_and_gets_forum_business_only(client, practitioners):
    page = client.get(f"/fora/{practitioners.pk}/join/").content.decode()
    assert "Work email address" in page and "Organisation" in page and "This is not marketing" in page
    assert 'name="mobile"' not in page and 'name="purposes"' not in page

    # A webmail address is accepted (childminders and small charities use them); a ticked parent
    # purpose posted by hand is ignored: the form has no such field.
    response = _post_join(client, practitioners, job_title="Health visitor", purposes=[Purpose.CONSULTATIONS])
    assert response.status_code == 302
    assert "We will email the forum" in client.get(response["Location"]).content.decode()
    assert not Membership.objects.exists() and not Consent.objects.exists()  # not until confirmed
    assert list(AddressConfirmation.objects.values_list("channel", flat=True)) == [Channel.EMAIL]

    confirmed = client.post(_confirmation_path("priya.health@gmail.com"))
    membership = Membership.objects.get()
    assert (membership.organisation, membership.job_title) == ("Dover Health Visiting", "Health visitor")
    consent = Consent.objects.get()
    assert (consent.channel, consent.purpose, consent.granted) == (
        Channel.EMAIL,
        Purpose.FORUM_BUSINESS,
        True,
    )
    assert consent.source == ConsentSource.FORUM_JOIN and consent.confirmed_by == ConfirmedBy.EMAIL_LINK
    assert "Kent Practitioners Forum" in consent.wording and "not marketing" in consent.wording
    page = client.get(confirmed["Location"]).content.decode()
    assert "You have joined Kent Practitioners Forum" in page and "forum's business" in page
    assert "priya.health@gmail.com" not in page and "Dover Health Visiting" not in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "", "mobile": "07700 900982"}, "Enter your work email address"),
        ({"organisation": ""}, "Enter the organisation you work for"),
        ({"organisation": "   "}, "Enter the organisation you work for"),
        ({"organisation": "\u202e\x07\x1b"}, "Enter the organisation you work for"),  # only hidden characters
        ({"organisation": "x" * 10_000}, "Organisation must be 150 characters or fewer"),
        ({"job_title": "y" * 151}, "Job title must be 150 characters or fewer"),
        ({"organisation": "Acme\x00Charity"}, NUL_MESSAGE),
        ({"email": "not-an-address"}, "Enter an email address in the right format"),
    ],
)
def test_a_practitioner_join_is_refused_with_a_specific_error(client, practitioners, data, error):
    response = _post_join(client, practitioners, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AddressConfirmation.objects.exists() and not Message.objects.exists()


def test_odd_characters_are_removed_from_the_organisation_before_it_is_kept(client, practitioners):
    _post_join(client, practitioners, organisation="Acme\u202e Charity\u2066\x85", job_title="Lead\tworker")
    client.post(_confirmation_path(WORK["email"]))
    membership = Membership.objects.get()
    assert membership.organisation == "Acme Charity" and membership.job_title == "Lead worker"


def test_the_service_refuses_what_the_forms_cannot_send(practitioners, make_forum):
    parents = make_forum("Dover Parents Forum", "Dover")
    base = {"name": "Sam", "email": "sam@example.org", "mobile": ""}
    with pytest.raises(services.JoinError):
        services.join_forum(
            practitioners, **{**base, "mobile": "+447700900982"}, purposes=[], organisation="A"
        )
    with pytest.raises(services.JoinError):
        services.join_forum(practitioners, **base, purposes=[Purpose.CONSULTATIONS], organisation="A")
    with pytest.raises(services.JoinError):
        services.join_forum(practitioners, **base, purposes=[], organisation="")
    with pytest.raises(services.JoinError):
        services.join_forum(parents, **base, purposes=[Purpose.FORUM_BUSINESS])
    assert not AddressConfirmation.objects.exists()


def test_replaying_the_link_or_joining_twice_makes_one_membership(client, practitioners):
    _post_join(client, practitioners)
    path = _confirmation_path(WORK["email"])
    membership_url = client.post(path)["Location"]
    client.post(path)  # the same link again
    assert Membership.objects.count() == 1 and Consent.objects.count() == 1
    # Joining again, confirmed by the owner, keeps one membership with the organisation they gave last.
    _post_join(client, practitioners, organisation="Kent Community Health")
    client.post(_confirmation_path(WORK["email"]))
    assert Membership.objects.get().organisation == "Kent Community Health"
    # After leaving, replaying an old link does not make them a member again.
    client.post(membership_url)
    client.post(path)
    assert not Membership.objects.filter(left_at__isnull=True).exists()


def test_leaving_ends_forum_business_unless_still_in_another_practitioners_forum(make_forum, practitioners):
    other = make_forum("Early Years Practitioners", kind=ForumKind.PRACTITIONERS)
    first = _confirmed_member(practitioners)
    second = _confirmed_member(other)
    contact = first.contact
    assert second.contact == contact and _business(contact) is True

    assert services.leave_forum(first.pk) is True
    assert _business(contact) is True  # still a member of the other practitioners' forum
    assert services.leave_forum(first.pk) is False  # leaving twice changes nothing

    services.leave_forum(second.pk)
    assert _business(contact) is False
    rows = list(Consent.objects.filter(purpose=Purpose.FORUM_BUSINESS).order_by("pk"))
    assert [row.granted for row in rows] == [True, False]  # appended: the grant is kept
    assert rows[-1].source == ConsentSource.FORUM_JOIN and "Early Years Practitioners" in rows[-1].wording


def test_leaving_a_parents_forum_leaves_forum_business_alone(make_forum, practitioners):
    parents = make_forum("Dover Parents Forum", "Dover")
    _confirmed_member(practitioners)
    sign_up = services.join_forum(
        parents, name="Priya", email=WORK["email"], mobile="", purposes=[Purpose.FORUM_EVENTS]
    )
    messaging.confirm_address(sign_up.confirmations[0].pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    parent_membership = Membership.objects.get(forum=parents)
    services.leave_forum(parent_membership.pk)
    assert _business(parent_membership.contact) is True


def test_a_notice_to_a_practitioners_forum_is_forum_business_by_email_one_message_each(
    client, run_tasks, staff_login, make_forum, make_event, practitioners
):
    parents = make_forum("Dover Parents Forum", "Dover")
    event = make_event(practitioners, "Practitioners meeting", days=10)
    # Joined through the site: the form, then the link in the email.
    _post_join(client, practitioners)
    client.post(_confirmation_path(WORK["email"]))
    # A second practitioner who is also known by a mobile (and agreed to texts as a parent).
    other = _confirmed_member(practitioners, name="Tom", email="tom@school.example", organisation="School")
    Contact.objects.filter(pk=other.contact_id).update(mobile="+447700900111")
    for purpose in (Purpose.FORUM_EVENTS, Purpose.FORUM_BUSINESS):
        messaging.record_consent(
            other.contact, channel=Channel.SMS, purpose=purpose, granted=True,
            source=ConsentSource.PAPER_FORM, wording="test",
        )  # fmt: skip
    # A parent with meeting consent in a parents' forum, and a practitioner who left: neither is reached.
    sign_up = services.join_forum(
        parents, name="Ann", email="ann@example.org", mobile="", purposes=[Purpose.FORUM_EVENTS]
    )
    messaging.confirm_address(sign_up.confirmations[0].pk, confirmed_by=ConfirmedBy.EMAIL_LINK)
    left = _confirmed_member(practitioners, name="Lee", email="lee@example.org", organisation="Charity")
    services.leave_forum(left.pk)

    user = staff_login(FORUM_COORDINATORS, email="practitioners.coordinator@example.org")
    user.groups.add(practitioners.coordinators)
    form = client.get(f"/admin/fora/events/{event.pk}/notice/")
    # Forum business goes by email only: the coordinator is not asked to write a text message.
    assert "sms_text" not in form.context["form"].fields
    assert 'name="sms_text"' not in form.content.decode()
    texts = {name: form.context["form"].initial[name] for name in ("email_subject", "email_text")}
    preview = client.post(f"/admin/fora/events/{event.pk}/notice/", {**texts, "action": "preview"})
    assert preview.context["preview"]["reach"] == 2
    assert "Text message" not in preview.content.decode()
    assert (
        client.post(f"/admin/fora/events/{event.pk}/notice/", {**texts, "action": "send"}).status_code == 302
    )
    run_tasks()
    sent = Message.objects.filter(campaign__isnull=False)
    assert sorted(sent.values_list("recipient", "channel", "purpose")) == [
        (WORK["email"], Channel.EMAIL, Purpose.FORUM_BUSINESS),
        ("tom@school.example", Channel.EMAIL, Purpose.FORUM_BUSINESS),
    ]
    assert all("," not in m.recipient and ";" not in m.recipient for m in sent)  # one address per message
    assert all("tom@school.example" not in m.body for m in sent if m.recipient != "tom@school.example")


def test_the_preferences_page_offers_forum_business_only_to_whoever_has_it(client, make_forum, practitioners):
    member = _confirmed_member(practitioners)
    url = f"/preferences/{messaging.preferences_token(member.contact_id)}/"
    assert "Business of a practitioners" in client.get(url).content.decode()
    client.post(url, {"email": [Purpose.OUTCOMES]})  # unticked: the practitioner stops it here
    assert _business(member.contact) is False
    assert messaging.current_consents(member.contact)[(Channel.EMAIL, Purpose.OUTCOMES)] is True

    parent = Contact.objects.create(name="Ann", email="ann@example.org")
    parent_url = f"/preferences/{messaging.preferences_token(parent.pk)}/"
    assert "Business of a practitioners" not in client.get(parent_url).content.decode()
    before = Consent.objects.count()
    refused = client.post(parent_url, {"email": [Purpose.FORUM_BUSINESS, Purpose.OUTCOMES]})
    assert refused.status_code == 200 and Consent.objects.count() == before  # not a choice for a parent
    client.post(parent_url, {"email": [Purpose.CONSULTATIONS]})
    assert not Consent.objects.filter(contact=parent, purpose=Purpose.FORUM_BUSINESS).exists()


def test_unsubscribing_withdraws_forum_business_too(client, practitioners):
    member = _confirmed_member(practitioners)
    client.post(f"/unsubscribe/{messaging.preferences_token(member.contact_id)}/")
    assert _business(member.contact) is False


def test_public_and_import_forms_never_offer_forum_business(client):
    from messaging.admin_forms import ContactImportForm
    from messaging.models import Campaign
    from messaging.wagtail_hooks import CampaignViewSet

    CampaignForm = CampaignViewSet.edit_handler.bind_to_model(Campaign).get_form_class()

    page = client.get("/keep-me-informed/").content.decode()
    assert 'value="forum_business"' not in page
    data = {"name": "", "email": "a@example.org", "mobile": "", "purposes": [Purpose.FORUM_BUSINESS]}
    assert client.post("/keep-me-informed/", data).status_code == 200
    assert not AddressConfirmation.objects.exists()
    assert Purpose.FORUM_BUSINESS not in dict(ContactImportForm().fields["purposes"].choices)
    assert Purpose.FORUM_BUSINESS not in dict(CampaignForm().fields["purpose"].choices)
    notice = Campaign(name="A notice", purpose=Purpose.FORUM_BUSINESS)
    notice.save()
    assert Purpose.FORUM_BUSINESS in dict(CampaignForm(instance=notice).fields["purpose"].choices)

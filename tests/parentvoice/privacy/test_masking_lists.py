"""Parents' emails and mobiles in staff lists: in full only with privacy.view_contact_details
(officers, leads), masked for everyone else, whatever else they may see. A masked address must not
leak in any form (E.164, 07..., the last six digits, the mailbox name)."""

import pytest
from django.contrib.auth.models import Permission

from messaging.choices import Channel, SuppressionReason
from messaging.models import Contact, InboundMessage, Suppression
from parentvoice.accounts import roles
from parentvoice.models import SiteFeedback
from parentvoice.text import masked_mobile
from tests.factories import MessageFactory
from tests.surveys.conftest import make_consultation  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

EMAIL = "erin.example@example.org"
MOBILE = "+447700900123"
MASKED_EMAIL = "e•••@example.org"
MASKED_MOBILE = masked_mobile(MOBILE)  # 07••• •••123

LISTS = {
    "/admin/snippets/messaging/contact/": "messaging.view_contact",
    "/admin/snippets/messaging/message/": "messaging.view_message",
    "/admin/snippets/messaging/inboundmessage/": "messaging.view_inboundmessage",
    "/admin/snippets/messaging/suppression/": "messaging.view_suppression",
    "/admin/site_feedback/": "parentvoice.view_sitefeedback",
}


@pytest.fixture
def records():
    contact = Contact.objects.create(name="Erin Example", email=EMAIL, mobile=MOBILE)
    MessageFactory(contact=contact, channel=Channel.SMS, recipient=MOBILE, body="Hello")
    InboundMessage.objects.create(provider_ref="SM1", from_number=MOBILE, body="STOP", contact=contact)
    Suppression.objects.create(channel=Channel.SMS, address=MOBILE, reason=SuppressionReason.STOP)
    SiteFeedback.objects.create(trying_to_do="Find a meeting", ease="easy", email=EMAIL)
    return contact


def grant(user, *perms):
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def full_forms_absent(body):
    for leak in (MOBILE, "07700900123", "07700 900123", "7700900123", "900123", EMAIL):
        assert leak not in body, leak


@pytest.mark.parametrize("url", LISTS)
def test_staff_allowed_a_list_but_not_contact_details_see_addresses_masked(client, staff_login, records, url):
    user = staff_login()
    grant(user, "wagtailadmin.access_admin", LISTS[url])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    full_forms_absent(body)
    assert MASKED_MOBILE in body or MASKED_EMAIL in body


@pytest.mark.parametrize("url", LISTS)
def test_officers_see_addresses_in_full(client, staff_login, records, url):
    staff_login(group=roles.CONSULTATION_OFFICERS)
    body = client.get(url).content.decode()
    assert MOBILE in body or EMAIL in body
    assert MASKED_MOBILE not in body and MASKED_EMAIL not in body


def test_the_contacts_list_shows_email_and_mobile_masked_or_full(client, staff_login, records):
    user = staff_login()
    grant(user, "wagtailadmin.access_admin", "messaging.view_contact")
    body = client.get("/admin/snippets/messaging/contact/").content.decode()
    assert "Erin Example" in body and MASKED_EMAIL in body and MASKED_MOBILE in body
    full_forms_absent(body)

    grant(user, "privacy.view_contact_details")
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    client.force_login(user)
    body = client.get("/admin/snippets/messaging/contact/").content.decode()
    assert EMAIL in body and MOBILE in body


def test_the_contact_detail_filter_masks_without_the_permission(staff_login):
    from django.template import Context, Template

    coordinator = staff_login(group=roles.FORUM_COORDINATORS)
    lead = staff_login(group=roles.SAFEGUARDING_LEADS, email="lead@example.org")
    template = Template("{% load privacy_tags %}[{{ value|contact_detail:user }}]")
    assert template.render(Context({"value": MOBILE, "user": coordinator})) == f"[{MASKED_MOBILE}]"
    assert template.render(Context({"value": MOBILE, "user": lead})) == f"[{MOBILE}]"
    assert template.render(Context({"value": None, "user": coordinator})) == "[]"
    assert template.render(Context({"value": EMAIL, "user": None})) == f"[{MASKED_EMAIL}]"


def test_a_consultations_text_conversations_list_masks_the_phone(client, staff_login, make_consultation):  # noqa: F811
    from surveys.models import SmsConversation

    page = make_consultation()
    SmsConversation.objects.create(consultation=page, phone=MOBILE)
    user = staff_login()
    grant(user, "wagtailadmin.access_admin", "surveys.view_response")
    url = f"/admin/consultations/{page.pk}/texts/"
    body = client.get(url).content.decode()
    assert MASKED_MOBILE in body
    full_forms_absent(body)

    staff_login(group=roles.CONSULTATION_OFFICERS, email="officer2@example.org")
    assert MOBILE in client.get(url).content.decode()

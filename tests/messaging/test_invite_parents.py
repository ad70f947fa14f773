"""'Invite parents' on a consultation, the campaign form's audiences and reminder, sending hours and
the real-length SMS preview. The whole journey, with tasks run, is tests/surveys/test_invitations_flow.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from messaging import importing, services
from messaging.choices import CampaignKind, CampaignStatus, ImportStatus, Purpose
from messaging.models import Campaign, Contact, Message
from parentvoice.accounts import roles
from surveys import invitations
from surveys import services as surveys
from tests.factories import ConsentingParentFactory, MembershipFactory
from tests.forums import conftest as forum_fixtures
from tests.surveys import conftest as survey_fixtures

fora_index = forum_fixtures.fora_index
make_forum = forum_fixtures.make_forum
make_consultation = survey_fixtures.make_consultation
consultation = survey_fixtures.consultation

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
EDIT = "/admin/snippets/messaging/campaign/edit/{}/"


def _invite_url(page):
    return f"/admin/consultations/{page.pk}/invite/"


def _contact(n, **fields):
    return ConsentingParentFactory(name=f"Parent {n}", mobile=f"+4477009001{n:02d}", **fields)


def _form_data(response, **changes):
    """What the browser would post back from the campaign edit form, with `changes`."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = changes.get(name, form[name].value())
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        data[name] = value
    return data


@pytest.fixture
def officer(client, staff_login):
    return staff_login(roles.CONSULTATION_OFFICERS)


# --- Invite parents -----------------------------------------------------------------------------


def test_invite_parents_makes_a_draft_tied_to_the_consultation_and_opens_it(
    client, officer, make_consultation, settings
):
    page = make_consultation(sms_keyword="SUPPORT")
    assert b"Invite parents" in client.get(_invite_url(page)).content
    response = client.post(_invite_url(page))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == EDIT.format(campaign.pk)
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.kind == CampaignKind.CONSULTATION_INVITATION
    assert campaign.purpose == Purpose.CONSULTATIONS
    assert campaign.title == page.title
    assert campaign.link_personaliser == f"consultation:{page.pk}"
    assert campaign.created_by == officer
    assert "((link))" in campaign.sms_template and "reply YES to answer by text" in campaign.sms_template
    assert "((link))" in campaign.email_template and campaign.email_subject

    # Clicking again opens the same draft rather than making another.
    assert client.post(_invite_url(page)).url == EDIT.format(campaign.pk)
    assert Campaign.objects.count() == 1
    # Once sent, the next click makes a second wave with its own name.
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENT)
    client.post(_invite_url(page))
    assert Campaign.objects.latest("pk").name == f"{page.title}: invitation 2"


def test_no_reply_yes_when_the_consultation_cannot_be_answered_by_text(client, officer, consultation):
    client.post(_invite_url(consultation))
    assert "YES" not in Campaign.objects.get().sms_template


def test_invite_parents_is_on_the_page_header_and_the_results_page(client, officer, consultation):
    edit = client.get(f"/admin/pages/{consultation.pk}/edit/")
    assert _invite_url(consultation).encode() in edit.content
    results = client.get(f"/admin/consultations/{consultation.pk}/results/")
    assert f'action="{_invite_url(consultation)}"'.encode() in results.content
    assert b"csrfmiddlewaretoken" in results.content


@pytest.mark.parametrize("group", [roles.FORUM_COORDINATORS, roles.DECISION_MAKERS])
def test_other_staff_cannot_invite_parents(client, staff_login, consultation, group):
    staff_login(group)
    assert client.post(_invite_url(consultation)).status_code in (302, 403)
    assert client.get(_invite_url(consultation)).status_code in (302, 403)
    assert not Campaign.objects.exists()
    results = client.get(f"/admin/consultations/{consultation.pk}/results/")
    assert _invite_url(consultation).encode() not in results.content


def test_an_officer_cannot_invite_for_a_page_they_cannot_see(make_user, consultation):
    from django.contrib.auth.models import Permission

    user = make_user(email="campaigns-only@example.org")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_campaign", "change_campaign"])
    )
    assert user.has_perm("messaging.add_campaign")
    assert not invitations.can_invite(user, consultation)


def test_invite_parents_needs_a_post(client, officer, consultation):
    client.get(_invite_url(consultation))
    assert not Campaign.objects.exists()
    assert client.put(_invite_url(consultation)).status_code == 405


# --- The campaign form: audiences and the reminder -------------------------------------------------


def test_audience_is_chosen_from_lists_and_a_forged_source_is_refused(client, officer, consultation):
    client.post(_invite_url(consultation))
    campaign = Campaign.objects.get()
    edit = client.get(EDIT.format(campaign.pk))
    assert b'<select name="audience_source"' in edit.content
    forged = client.post(
        EDIT.format(campaign.pk),
        _form_data(edit, audience_source=f"consultation-not-answered:{consultation.pk}:1"),
    )
    assert forged.status_code == 200 and "audience_source" in forged.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.audience_source == ""


def test_an_imported_list_is_an_audience(client, officer, consultation):
    outsider = _contact(1)
    csv = b"name,email,mobile\nAmy,amy@example.org,07700900201\nBen,,07700900202\n"
    contact_import = importing.preview_import(
        SimpleUploadedFile("march.csv", csv),
        purposes=[Purpose.CONSULTATIONS],
        wording="Paper form, Dover forum",
        user=officer,
    )
    importing.start_import(contact_import)
    importing.run_import(contact_import.pk)
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.DONE
    imported = set(Contact.objects.filter(name__in=["Amy", "Ben"]).values_list("pk", flat=True))
    assert set(contact_import.contacts.values_list("pk", flat=True)) == imported

    client.post(_invite_url(consultation))
    campaign = Campaign.objects.get()
    edit = client.get(EDIT.format(campaign.pk))
    source = f"import:{contact_import.pk}"
    assert source.encode() in edit.content and b"march.csv" in edit.content
    saved = client.post(EDIT.format(campaign.pk), _form_data(edit, audience_source=source))
    assert saved.status_code == 302
    campaign.refresh_from_db()
    assert campaign.audience_source == source
    assert set(services.audience(campaign).values_list("pk", flat=True)) == imported
    assert outsider.pk not in imported
    check = client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    assert check.context["audience_size"] == 2
    assert "An imported list: march.csv" in check.content.decode()


def test_forum_members_are_an_audience(client, officer, consultation, make_forum):
    forum = make_forum("Dover parent forum")
    members = [_contact(1), _contact(2)]
    for contact in members:
        MembershipFactory(forum=forum, contact=contact)
    _contact(3)  # agreed to consultations, but not a member
    client.post(_invite_url(consultation))
    campaign = Campaign.objects.get()
    edit = client.get(EDIT.format(campaign.pk))
    assert b"Members of a parent forum" in edit.content and b"Dover parent forum" in edit.content
    assert (
        client.post(
            EDIT.format(campaign.pk), _form_data(edit, audience_source=f"forum:{forum.pk}")
        ).status_code
        == 302
    )
    check = client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    assert check.context["audience_size"] == 2
    assert "Members of a parent forum: Dover parent forum" in check.content.decode()


def test_a_reminder_after_the_consultation_closes_is_refused_on_the_form(client, officer, make_consultation):
    page = make_consultation(closes_at=timezone.now() + timedelta(days=2))
    client.post(_invite_url(page))
    campaign = Campaign.objects.get()
    edit = client.get(EDIT.format(campaign.pk))
    refused = client.post(EDIT.format(campaign.pk), _form_data(edit, reminder_days_before=3))
    assert refused.status_code == 200
    assert "sooner than 3 days" in " ".join(refused.context["form"].errors["reminder_days_before"])
    accepted = client.post(EDIT.format(campaign.pk), _form_data(edit, reminder_days_before=1))
    assert accepted.status_code == 302
    campaign.refresh_from_db()
    assert campaign.reminder_days_before == 1


def test_a_reminder_is_refused_on_a_campaign_with_no_consultation(client, officer):
    campaign = Campaign.objects.create(
        name="Newsletter", kind=CampaignKind.OUTCOME_NOTICE, purpose=Purpose.OUTCOMES, sms_template="Hi"
    )
    edit = client.get(EDIT.format(campaign.pk))
    refused = client.post(EDIT.format(campaign.pk), _form_data(edit, reminder_days_before=2))
    assert "only for consultation invitations" in " ".join(
        refused.context["form"].errors["reminder_days_before"]
    )


def test_start_refuses_a_reminder_that_time_has_overtaken(make_consultation):
    page = make_consultation(closes_at=timezone.now() + timedelta(days=2))
    campaign, _ = invitations.invite_parents(page, None)
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days_before=5)
    campaign.refresh_from_db()
    with pytest.raises(services.CampaignError, match="sooner than 5 days"):
        services.start_campaign(campaign)


# --- Sending hours ------------------------------------------------------------------------------------


@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1),
        max_value=datetime(2028, 12, 31),
        timezones=st.just(LONDON),
        allow_imaginary=False,
    )
)
def test_sending_hours_are_9am_to_8pm_uk_time(moment):
    moved = services.within_sending_hours(moment).astimezone(LONDON)
    assert moved >= moment
    assert 9 <= moved.hour < 20
    if 9 <= moment.hour < 20:
        assert moved == moment
    else:
        assert (moved.hour, moved.minute) == (9, 0) and moved - moment <= timedelta(hours=14)


def test_a_late_evening_send_time_moves_to_the_next_morning():
    evening = datetime(2026, 7, 14, 21, 30, tzinfo=LONDON)  # British Summer Time
    assert services.within_sending_hours(evening) == datetime(2026, 7, 15, 9, 0, tzinfo=LONDON)
    early = datetime(2026, 12, 1, 6, 0, tzinfo=LONDON)
    assert services.within_sending_hours(early) == datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)


def test_an_invitation_set_for_the_night_starts_at_9am(consultation):
    _contact(1)
    campaign, _ = invitations.invite_parents(consultation, None)
    night = (timezone.localtime() + timedelta(days=2)).replace(hour=23, minute=15)
    Campaign.objects.filter(pk=campaign.pk).update(send_at=night)
    services.start_campaign(campaign)
    campaign.refresh_from_db()
    assert timezone.localtime(campaign.send_at).date() == night.date() + timedelta(days=1)
    assert (timezone.localtime(campaign.send_at).hour, campaign.send_at.minute) == (9, 0)


# --- The reminder --------------------------------------------------------------------------------


def test_starting_an_invitation_schedules_one_reminder(make_consultation):
    closes = timezone.now() + timedelta(days=10)
    page = make_consultation(closes_at=closes, sms_keyword="SUPPORT")
    _contact(1)
    campaign, _ = invitations.invite_parents(page, None)
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days_before=3)
    campaign.refresh_from_db()
    services.start_campaign(campaign)
    reminder = Campaign.objects.get(reminder_for=campaign)
    assert reminder.kind == CampaignKind.REMINDER and reminder.status == CampaignStatus.PREPARING
    assert reminder.audience_source == f"consultation-not-answered:{page.pk}:{campaign.pk}"
    assert reminder.link_personaliser == campaign.link_personaliser
    assert reminder.send_at == services.within_sending_hours(closes - timedelta(days=3))
    assert 9 <= timezone.localtime(reminder.send_at).hour < 20
    assert reminder.sms_template.startswith("Reminder: '((title))' closes at ")
    assert "((link))" in reminder.sms_template and "reply YES" in reminder.sms_template
    # Idempotent: asking again gives the same reminder.
    assert invitations.schedule_reminder(str(page.pk), campaign) == reminder
    assert Campaign.objects.filter(kind=CampaignKind.REMINDER).count() == 1
    # Cancelling the invitation cancels its reminder.
    services.cancel_campaign(campaign)
    reminder.refresh_from_db()
    assert reminder.status == CampaignStatus.CANCELLED


def test_a_confirmed_campaign_and_its_waiting_reminder_can_no_longer_be_edited(
    client, officer, make_consultation
):
    """Editing a waiting reminder's list would send it to people nobody checked."""
    page = make_consultation(closes_at=timezone.now() + timedelta(days=10), sms_keyword="SUPPORT")
    _contact(1)
    campaign, _ = invitations.invite_parents(page, None)
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days_before=3)
    assert client.get(f"/admin/snippets/messaging/campaign/edit/{campaign.pk}/").status_code == 200
    services.start_campaign(Campaign.objects.get(pk=campaign.pk))
    reminder = Campaign.objects.get(reminder_for=campaign)
    for confirmed in (campaign, reminder):
        edit = f"/admin/snippets/messaging/campaign/edit/{confirmed.pk}/"
        assert client.get(edit)["Location"] == f"/admin/messaging/campaigns/{confirmed.pk}/progress/"
        refused = client.post(edit, {"name": "Everyone", "audience_source": ""})
        assert refused.status_code == 302
    reminder.refresh_from_db()
    assert reminder.audience_source.startswith("consultation-not-answered:")


def test_no_reminder_unless_asked(consultation):
    _contact(1)
    campaign, _ = invitations.invite_parents(consultation, None)
    services.start_campaign(campaign)
    assert not Campaign.objects.filter(kind=CampaignKind.REMINDER).exists()


# --- The SMS preview -------------------------------------------------------------------------------


def test_check_and_send_previews_the_text_at_its_real_length(client, officer, consultation):
    for n in range(3):
        _contact(n)
    client.post(_invite_url(consultation))
    campaign = Campaign.objects.get()
    Campaign.objects.filter(pk=campaign.pk).update(send_email=False)
    check = client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    preview, info = check.context["sms_text"], check.context["sms_info"]
    # The sample link opens nothing: no personal link is put on an officer's screen.
    assert "xxxxxxxx" in preview
    for contact in Contact.objects.all():
        assert surveys.invitation_url(consultation.pk, contact.pk) not in check.content.decode()

    campaign.refresh_from_db()
    services.create_campaign_messages(campaign)
    longest = Message.objects.order_by("-contact_id").first()
    assert surveys.invitation_url(consultation.pk, longest.contact_id) in longest.body
    assert len(preview) == len(longest.body)
    assert info.characters == len(longest.body)

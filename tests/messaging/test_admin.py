import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging import services
from messaging.choices import CampaignStatus, Channel, ImportStatus, MessageStatus, Purpose
from messaging.models import Campaign, Consent, Contact, ContactImport, Message
from parentvoice.accounts import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, staff_login):
    client.user = staff_login(roles.CONSULTATION_OFFICERS)
    return client


def _campaign(**fields):
    defaults = {
        "name": "Invite",
        "kind": "consultation_invitation",
        "purpose": Purpose.CONSULTATIONS,
        "sms_template": "Hi ((name)), have your say: ((link))",
        "send_email": False,
        "link_url": "https://x.test/c/",
        "sms_per_second": 1000,
    }
    defaults.update(fields)
    return Campaign.objects.create(**defaults)


def _contacts(n, start=0):
    for i in range(start, start + n):
        contact = Contact.objects.create(name=f"P{i}", mobile=f"+4474001{i:05d}")
        services.record_consent(
            contact,
            channel=Channel.SMS,
            purpose=Purpose.CONSULTATIONS,
            granted=True,
            source="web_form",
            wording="Yes",
        )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/messaging/contact/",
        "/admin/snippets/messaging/campaign/",
        "/admin/snippets/messaging/message/",
        "/admin/snippets/messaging/suppression/",
        "/admin/snippets/messaging/inboundmessage/",
        "/admin/snippets/messaging/campaign/add/",
        "/admin/messaging/imports/new/",
    ],
)
def test_officers_reach_every_messaging_screen(officer_client, url):
    _contacts(2)
    assert officer_client.get(url).status_code == 200


@pytest.mark.parametrize("group", [roles.FORUM_COORDINATORS, roles.DECISION_MAKERS])
def test_other_staff_cannot_see_contacts_or_messages(client, staff_login, group):
    staff_login(group)
    for url in (
        "/admin/snippets/messaging/contact/",
        "/admin/snippets/messaging/message/",
        "/admin/messaging/imports/new/",
    ):
        assert client.get(url).status_code in (302, 403), url


def test_contact_list_query_count_does_not_grow_with_contacts(officer_client, django_assert_max_num_queries):
    _contacts(5)
    officer_client.get("/admin/snippets/messaging/contact/")
    with django_assert_max_num_queries(30) as few:
        officer_client.get("/admin/snippets/messaging/contact/")
    _contacts(40, start=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get("/admin/snippets/messaging/contact/")


def test_campaign_edit_page_shows_segment_count_and_warns_over_one(officer_client):
    short = _campaign()
    html = officer_client.get(f"/admin/snippets/messaging/campaign/edit/{short.pk}/").content.decode()
    assert "1 segment(s) (GSM-7)" in html and "Warning" not in html
    long = _campaign(name="Long", sms_template="word " * 40)
    html = officer_client.get(f"/admin/snippets/messaging/campaign/edit/{long.pk}/").content.decode()
    assert "2 segment(s)" in html and "Warning: this is 2 texts" in html


def test_check_send_and_watch_progress(
    officer_client, run_tasks, django_capture_on_commit_callbacks, settings
):
    settings.SMS_PROVIDER = "outbox"
    _contacts(3)
    campaign = _campaign()
    page = officer_client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/").content.decode()
    assert "<strong>3</strong> people agreed" in page
    assert "Kent Parent Voice: Hi Alex" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    assert response["Location"] == f"/admin/messaging/campaigns/{campaign.pk}/progress/"
    progress = officer_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in progress

    run_tasks()
    progress = officer_client.get(response["Location"]).content.decode()
    assert "<td>Delivered</td><td>3</td><td>100%</td>" in progress
    assert 'http-equiv="refresh"' not in progress
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT


def test_sending_an_incomplete_campaign_explains_what_is_missing(officer_client):
    campaign = _campaign(sms_template="")
    html = officer_client.get(f"/admin/messaging/campaigns/{campaign.pk}/send/").content.decode()
    assert "Write the text message." in html
    officer_client.post(f"/admin/messaging/campaigns/{campaign.pk}/send/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_cancel_from_the_progress_page(officer_client):
    _contacts(2)
    campaign = _campaign(status=CampaignStatus.SENDING)
    services.create_campaign_messages(campaign)
    officer_client.post(f"/admin/messaging/campaigns/{campaign.pk}/cancel/")
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.TECHNICAL_FAILURE}


CSV = (
    "name,email,mobile,district,parent_role\n"
    "Amira,amira@example.org,07400 123456,Dover,mother\n"
    "Ben,,07400 123457,E07000114,\n"
    "Bad mobile,,07400 12,,\n"
    "Landline,,0121 234 5678,,\n"
    "Nowhere,n@example.org,,Atlantis,\n"
    "Nobody,,,,\n"
    "Amira again,AMIRA@example.org,,,\n"
    "Odd role,o@example.org,,,uncle\n"
    "Abroad,,+33 6 12 34 56 78,,\n"
)


def _upload(client, text=CSV, **extra):
    data = {
        "file": SimpleUploadedFile("contacts.csv", text.encode(), content_type="text/csv"),
        "purposes": [Purpose.CONSULTATIONS, Purpose.OUTCOMES],
        "consent_wording": "Paper form at Dover forum, 3 March",
    }
    data.update(extra)
    return client.post("/admin/messaging/imports/new/", data)


def test_import_dry_run_reports_each_bad_row_and_writes_nothing(officer_client, demo):
    before = Contact.objects.count()
    response = _upload(officer_client)
    contact_import = ContactImport.objects.get()
    assert response["Location"] == f"/admin/messaging/imports/{contact_import.pk}/"
    assert Contact.objects.count() == before
    assert (contact_import.rows_total, contact_import.rows_valid, contact_import.rows_invalid) == (9, 2, 7)
    problems = {e["row"]: " ".join(e["errors"]) for e in contact_import.row_errors}
    # The same UK-mobile check as every form: landlines and foreign numbers are refused.
    assert "enter a UK mobile number" in problems[4]
    assert "not landlines" in problems[5]
    assert "outside the UK" in problems[10]
    assert "no district called 'Atlantis'" in problems[6]
    assert "no email address or mobile number" in problems[7]
    assert "already on an earlier row" in problems[8]
    assert "not a parent role" in problems[9]
    html = officer_client.get(response["Location"]).content.decode()
    assert "Import 2 contacts" in html


def test_import_runs_in_a_task_records_consent_and_forgets_the_file(
    officer_client, demo, run_tasks, django_capture_on_commit_callbacks
):
    Contact.objects.create(name="", email="amira@example.org")  # already known: updated, not duplicated
    _upload(officer_client)
    contact_import = ContactImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/admin/messaging/imports/{contact_import.pk}/")
    run_tasks()
    contact_import.refresh_from_db()
    assert contact_import.status == ImportStatus.DONE
    assert (contact_import.rows_done, contact_import.rows_created, contact_import.rows_updated) == (2, 1, 1)
    assert contact_import.csv_text == ""
    amira = Contact.objects.get(email="amira@example.org")
    assert amira.name == "Amira" and str(amira.mobile) == "+447400123456" and amira.district.name == "Dover"
    consents = Consent.objects.filter(contact=amira)
    assert consents.count() == 4  # 2 channels x 2 purposes
    assert set(consents.values_list("wording", "source", "recorded_by")) == {
        ("Paper form at Dover forum, 3 March", "import", officer_client.user.pk)
    }


def test_a_file_that_is_not_a_csv_gets_a_clear_message(officer_client):
    response = _upload(officer_client, text="first,last\nA,B\n")
    assert "The first row must name the columns. Missing: email, mobile, name." in response.content.decode()
    response = officer_client.post(
        "/admin/messaging/imports/new/",
        {
            "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv"),
            "purposes": [Purpose.CONSULTATIONS],
            "consent_wording": "x",
        },
    )
    assert "saved as UTF-8" in response.content.decode()
    assert ContactImport.objects.count() == 0


def test_an_officer_cannot_give_a_contact_a_landline_or_foreign_number(officer_client, demo):
    contact = Contact.objects.create(name="Pat", email="pat.uk@example.org")
    url = f"/admin/snippets/messaging/contact/edit/{contact.pk}/"
    for number, message in (("+33612345678", "outside the UK"), ("0121 234 5678", "not landlines")):
        response = officer_client.post(url, {"name": "Pat", "email": "pat.uk@example.org", "mobile": number})
        assert response.status_code == 200
        assert message in response.content.decode()
    contact.refresh_from_db()
    assert contact.mobile is None
    officer_client.post(
        url, {"name": "Pat", "email": "pat.uk@example.org", "mobile": "07400 123456", "language": "en"}
    )
    contact.refresh_from_db()
    assert str(contact.mobile) == "+447400123456"


def test_an_officer_sees_each_consent_with_its_evidence(officer_client, demo, client):
    client.post("/keep-me-informed/", {"name": "Kim", "email": "kim@example.org", "purposes": ["outcomes"]})
    message = Message.objects.get(recipient="kim@example.org", idempotency_key__startswith="confirm-address:")
    client.post(message.body.split("http://testserver", 1)[1].split()[0])
    contact = Contact.objects.get(email="kim@example.org")
    html = officer_client.get(f"/admin/snippets/messaging/contact/inspect/{contact.pk}/").content.decode()
    assert "Consent history" in html
    assert "Opened a link we emailed to the address" in html
    assert "from kim@example.org" in html
    assert "2 texts or emails a month" in html

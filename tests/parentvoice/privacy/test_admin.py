"""'Find a person's data' in the admin: officers only; search, results with the due date, download,
erase with a confirmation, past requests. The address travels in POST bodies only."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from messaging.models import Contact, Suppression
from parentvoice.accounts import roles
from parentvoice.privacy.models import DataRequest
from parentvoice.privacy.registry import personal_data
from tests.parentvoice.privacy.person import (  # noqa: F401 - constants and fixtures
    EMAIL,
    MOBILE,
    fora_index,
    make_consultation,
    make_event,
    make_forum,
    person,
)

VIEWS = ["privacy_find", "privacy_download", "privacy_erase", "privacy_requests"]
ASKED = date(2026, 10, 31)  # a past day at the end of a month: reply by 30 November


def post_data(**extra):
    return {"email": EMAIL, "mobile": "07700 900123", "received_on": ASKED.isoformat(), **extra}


def refused(response) -> bool:
    """PermissionDenied: Wagtail's admin turns it into a redirect to the dashboard with a message."""
    if response.status_code == 403:
        return True
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    return (
        response.status_code == 302
        and response["Location"] == "/admin/"
        and any("permission" in n for n in notes)
    )


@pytest.fixture
def officer(staff_login):
    return staff_login(group=roles.CONSULTATION_OFFICERS)


@pytest.mark.parametrize("group", [roles.FORUM_COORDINATORS, roles.DECISION_MAKERS, roles.SAFEGUARDING_LEADS])
def test_other_roles_are_refused_every_view_and_see_no_menu_item(client, staff_login, group, person):  # noqa: F811
    staff_login(group=group)
    for name in VIEWS:
        response = client.get(reverse(name))
        assert refused(response) or response.status_code == 405, name
        assert refused(client.post(reverse(name), post_data(confirm="yes"))), name
    request = DataRequest.objects.create(
        kind="access", reference="DR-AAAAAA", received_on=ASKED, due_on=ASKED
    )
    assert refused(client.get(reverse("privacy_request", args=[request.pk])))
    assert Contact.objects.filter(mobile=MOBILE).exists()  # nothing erased
    assert DataRequest.objects.count() == 1
    assert "Find a person&#x27;s data" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_officer_sees_the_menu_item_and_the_form_dated_today(client, officer):
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("privacy_find") in home
    page = client.get(reverse("privacy_find"))
    assert page.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "mobile": ""}, "Enter an email address or a mobile number, or both"),
        ({"email": "not-an-address", "mobile": ""}, "Enter an email address in the correct format"),
        ({"email": "", "mobile": "01632 960000"}, "mobile"),
        ({"email": "a@b.org", "received_on": "2099-01-01"}, "must be today or in the past"),
        ({"email": "a@b.org", "received_on": ""}, "Enter the date the person asked"),
    ],
)
def test_the_form_shows_an_error_summary(client, officer, data, message):
    page = client.post(reverse("privacy_find"), {"received_on": ASKED.isoformat(), **data})
    body = page.content.decode()
    assert page.status_code == 400
    assert "There is a problem" in body
    assert message in body
    assert DataRequest.objects.count() == 0


def test_results_list_every_kind_with_counts_and_the_reply_by_date(client, officer, person):  # noqa: F811
    page = client.post(reverse("privacy_find"), post_data())
    body = page.content.decode()
    assert page.status_code == 200
    assert "Reply by 30 November 2026" in body
    assert "Erin Example" in body  # the contact's row is shown
    assert "Download everything (.zip)" in body
    assert "Erase this person" in body
    assert "no-store" in page["Cache-Control"]
    for entry in personal_data():
        assert entry.label in body, entry.name
    assert DataRequest.objects.count() == 0  # looking is not a request


def test_the_search_is_never_a_get_with_the_address(client, officer, person):  # noqa: F811
    page = client.get(reverse("privacy_find"), {"email": EMAIL, "received_on": ASKED.isoformat()})
    assert "Erin Example" not in page.content.decode()  # a GET shows only the empty form
    assert client.get(reverse("privacy_download"), {"email": EMAIL}).status_code == 405
    assert client.get(reverse("privacy_erase"), {"email": EMAIL}).status_code == 405


def test_download_sends_the_zip_and_records_the_request(client, officer, person):  # noqa: F811
    response = client.post(reverse("privacy_download"), post_data())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    request = DataRequest.objects.get()
    assert request.kind == DataRequest.Kind.ACCESS and request.completed_by == officer
    assert request.due_on == date(2026, 11, 30)
    assert f'filename="{request.reference}.zip"' in response["Content-Disposition"]
    assert "README.txt" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert not any(EMAIL.lower() in str(url) for url in [response.get("Location")])


def test_erase_asks_first_then_erases_and_shows_the_reference(client, officer, person):  # noqa: F811
    confirm = client.post(reverse("privacy_erase"), post_data())
    body = confirm.content.decode()
    assert confirm.status_code == 200
    assert "cannot be undone" in body and "What we keep" in body
    assert Contact.objects.filter(mobile=MOBILE).exists()  # not yet
    assert DataRequest.objects.count() == 0

    done = client.post(reverse("privacy_erase"), post_data(confirm="yes"))
    request = DataRequest.objects.get()
    assert request.kind == DataRequest.Kind.ERASURE
    assert done.status_code == 302 and done["Location"] == reverse("privacy_request", args=[request.pk])
    assert EMAIL.lower() not in done["Location"].lower() and "7700" not in done["Location"]
    assert not Contact.objects.filter(mobile=MOBILE).exists()
    assert not Suppression.objects.filter(address=MOBILE).exists()  # kept as a hash
    page = client.get(done["Location"]).content.decode()
    assert request.reference in page
    assert EMAIL.lower() not in page.lower()
    assert ModelLogEntry.objects.filter(action="privacy.erasure").exists()
    assert not ModelLogEntry.objects.filter(data__icontains="erin").exists()
    assert "erin" not in str(dict(client.session)).lower()


def test_an_erase_with_a_bad_address_erases_nothing(client, officer, person):  # noqa: F811
    response = client.post(reverse("privacy_erase"), post_data(email="", mobile="", confirm="yes"))
    assert response.status_code == 400
    assert Contact.objects.filter(mobile=MOBILE).exists()
    assert DataRequest.objects.count() == 0


def test_past_requests_list_reference_kind_when_who_and_counts(client, officer):
    DataRequest.objects.create(
        kind="erasure",
        reference="DR-BCDEFG",
        received_on=ASKED,
        due_on=ASKED + timedelta(days=28),
        completed_by=officer,
        record_counts={"messaging.contacts": 1, "surveys.responses": 2},
    )
    body = client.get(reverse("privacy_requests")).content.decode()
    assert "DR-BCDEFG" in body and "Erasure" in body and officer.email in body
    assert "31 October 2026" in body
    assert "<td>3</td>" in body

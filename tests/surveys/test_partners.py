"""Partner links: the code, the public /p/<code>/ route, the partner recorded on a web response, and
officers' 'Partner links' page. Attacks: another consultation's link, forged session values, closed
consultations, huge codes, other roles."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from parentvoice.accounts.roles import CONSULTATION_OFFICERS, DECISION_MAKERS, FORUM_COORDINATORS
from surveys import partners, services
from surveys.models import PartnerLink, Response
from tests.factories import ContactFactory, PartnerFactory, PartnerLinkFactory
from tests.surveys.test_answering import REPLIES, _answer_all

# --- Codes (pure) -----------------------------------------------------------------------------


def test_codes_are_long_random_and_unambiguous():
    codes = {partners.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == partners.CODE_LENGTH >= 8
        assert set(code) <= set(partners.CODE_ALPHABET)
        assert partners.looks_like_code(code)
    assert not set("01OIL") & set(partners.CODE_ALPHABET)


@given(st.text(min_size=partners.CODE_MAX_LENGTH + 1, max_size=20_000))
def test_anything_longer_than_a_code_is_not_one(text):
    assert not partners.looks_like_code(text)


@given(st.text(max_size=partners.CODE_MAX_LENGTH))
def test_only_ascii_letters_and_digits_can_be_a_code(text):
    if partners.looks_like_code(text):
        assert text and text.isascii() and text.isalnum()


# --- Making links -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_link_per_partner_and_consultation(consultation):
    partner = PartnerFactory()
    link = partners.create_link(consultation, partner)
    assert partners.looks_like_code(link.code) and len(link.code) == partners.CODE_LENGTH
    with pytest.raises(partners.PartnerLinkExists):
        partners.create_link(consultation, partner)
    assert PartnerLink.objects.count() == 1
    assert partners.link_url(link).endswith(f"/p/{link.code}/")
    assert list(partners.partners_without_link(consultation)) == []


# --- Following a link -------------------------------------------------------------------------


def _send(client, page):
    _answer_all(client, page, REPLIES)
    done = client.post(f"/consultations/{page.pk}/check-your-answers/")
    assert done.status_code == 302 and done["Location"].endswith("/done/")
    return Response.objects.filter(consultation=page).latest("pk")


@pytest.mark.django_db
def test_a_parent_following_a_partner_link_is_counted_for_the_partner(client, consultation):
    link = partners.create_link(consultation, PartnerFactory(name="Dover Children's Centre"))
    followed = client.get(f"/p/{link.code}/")
    assert followed.status_code == 302 and followed["Location"] == consultation.url
    assert followed["X-Robots-Tag"] == "noindex, nofollow"
    intro = client.get(consultation.url).content.decode()
    assert "Dover Children's Centre" not in intro  # never shown to the parent
    response = _send(client, consultation)
    assert response.partner_id == link.partner_id
    # Used once: the next answer from this browser (another consultation, say) is not theirs.
    assert partners.SESSION_KEY not in client.session or str(consultation.pk) not in client.session.get(
        partners.SESSION_KEY, {}
    )


@pytest.mark.django_db
def test_a_code_typed_in_small_letters_works(client, consultation):
    link = partners.create_link(consultation, PartnerFactory())
    assert client.get(f"/p/{link.code.lower()}/")["Location"] == consultation.url


@pytest.mark.django_db
def test_without_a_link_there_is_no_partner(client, consultation):
    assert _send(client, consultation).partner_id is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "lookups"),
    [
        ("NOSUCHCODE", 1),
        ("a", 1),
        ("x" * 10_000, 0),
        ("%F0%9F%98%80", 0),
        ("ABC-DEF", 0),
        ("ABCDEFGHJK%00", 0),
    ],
)
def test_unknown_or_odd_codes_are_not_found(client, consultation, code, lookups):
    PartnerLinkFactory(consultation=consultation)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/p/{code}/")
    assert response.status_code == 404
    # Looked up once at most, and not at all when it cannot be a code (a 10,000-character one).
    assert sum("surveys_partnerlink" in q["sql"] for q in queries.captured_queries) == lookups
    assert partners.SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_huge_code_is_refused_before_any_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert partners.link_for_code("A" * 10_000) is None


@pytest.mark.django_db
def test_a_link_for_one_consultation_does_not_count_on_another(client, make_consultation):
    first = make_consultation(title="First", slug="first")
    second = make_consultation(title="Second", slug="second")
    link = partners.create_link(first, PartnerFactory())
    client.get(f"/p/{link.code}/")
    assert _send(client, second).partner_id is None
    assert _send(client, first).partner_id == link.partner_id


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["other-link", "string", "bool", "list", "missing-link"])
def test_forged_session_values_record_no_partner(client, make_consultation, forged):
    page = make_consultation()
    other_page = make_consultation(title="Other", slug="other")
    other_link = partners.create_link(other_page, PartnerFactory())
    values = {
        "other-link": other_link.pk,  # a real link, for another consultation
        "string": str(other_link.pk),
        "bool": True,
        "list": [other_link.pk],
        "missing-link": 999_999,
    }
    session = client.session
    session[partners.SESSION_KEY] = {str(page.pk): values[forged]}
    session.save()
    assert partners.partner_for_session(client.session, page) is None
    assert _send(client, page).partner_id is None


@pytest.mark.django_db
def test_a_session_value_that_is_not_a_dict_is_ignored(consultation):
    assert partners.partner_for_session({partners.SESSION_KEY: "1"}, consultation) is None
    assert partners.partner_for_session({partners.SESSION_KEY: [1, 2]}, consultation) is None


@pytest.mark.django_db
def test_a_closed_consultations_link_opens_the_normal_closed_page(client, make_consultation):
    now = timezone.now()
    page = make_consultation(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))
    link = partners.create_link(page, PartnerFactory())
    followed = client.get(f"/p/{link.code}/")
    assert followed.status_code == 302 and followed["Location"] == page.url
    assert partners.SESSION_KEY not in client.session
    closed = client.get(page.url)
    assert closed.status_code == 200 and "Start now" not in closed.content.decode()


@pytest.mark.django_db
def test_an_unpublished_consultations_link_is_not_found(client, consultation):
    link = partners.create_link(consultation, PartnerFactory())
    consultation.unpublish()
    services._page_cache.clear()
    assert client.get(f"/p/{link.code}/").status_code == 404


@pytest.mark.django_db
def test_an_invitation_and_a_partner_link_are_both_recorded(client, make_consultation):
    page = make_consultation(anonymity="linked")
    contact = ContactFactory()
    link = partners.create_link(page, PartnerFactory())
    client.get(f"/p/{link.code}/")
    client.get(f"/consultations/{page.pk}/invitation/{services.invitation_token(page.pk, contact.pk)}/")
    response = _send(client, page)
    assert (response.contact_id, response.partner_id) == (contact.pk, link.partner_id)


# --- Officers' 'Partner links' page -----------------------------------------------------------


def _links_url(page):
    return reverse("surveys_partner_links", args=[page.pk])


def _responses(page, partner, n, **fields):
    for _ in range(n):
        services.submit_response(page, {}, channel="web", partner_id=partner.pk, **fields)


@pytest.mark.django_db
def test_officers_see_each_link_with_its_url_and_small_counts_hidden(client, staff_login, make_consultation):
    page = make_consultation()
    other = make_consultation(title="Other", slug="other")
    few, many, none = (
        PartnerFactory(name="A few"),
        PartnerFactory(name="Many"),
        PartnerFactory(name="None yet"),
    )
    links = {p.name: partners.create_link(page, p) for p in (few, many, none)}
    _responses(page, few, 3)
    _responses(page, many, 6)
    _responses(other, few, 5)  # another consultation's answers do not count here
    staff_login(CONSULTATION_OFFICERS)
    html = client.get(_links_url(page)).content.decode()
    for link in links.values():
        assert partners.link_url(link) in html
    rows = {row.link.partner.name: row.responses_shown for row in partners.link_rows(page)}
    assert rows == {"A few": "fewer than 5", "Many": 6, "None yet": 0}
    assert "fewer than 5" in html and ">6<" in html


@pytest.mark.django_db
def test_the_links_page_makes_a_constant_number_of_queries(
    client, staff_login, consultation, django_assert_max_num_queries
):
    staff_login(CONSULTATION_OFFICERS)
    for _ in range(2):
        partners.create_link(consultation, PartnerFactory())
    client.get(_links_url(consultation))  # warm caches (site, settings)
    with django_assert_max_num_queries(30) as few:
        assert client.get(_links_url(consultation)).status_code == 200
    for _ in range(8):
        partner = PartnerFactory()
        partners.create_link(consultation, partner)
        _responses(consultation, partner, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_links_url(consultation)).status_code == 200


@pytest.mark.django_db
def test_an_officer_makes_a_link_once_per_partner(client, staff_login, consultation):
    partner = PartnerFactory(name="Thanet Primary")
    staff_login(CONSULTATION_OFFICERS)
    made = client.post(_links_url(consultation), {"partner": partner.pk})
    assert made.status_code == 302
    link = PartnerLink.objects.get()
    assert (link.consultation_id, link.partner_id) == (consultation.pk, partner.pk)
    again = client.post(_links_url(consultation), {"partner": partner.pk})
    assert again.status_code == 400
    assert PartnerLink.objects.count() == 1
    assert "Every partner already has a link" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{"partner": ""}, {"partner": "999999"}, {"partner": "1 OR 1=1"}])
def test_odd_partner_values_make_no_link(client, staff_login, consultation, posted):
    PartnerFactory()
    staff_login(CONSULTATION_OFFICERS)
    assert client.post(_links_url(consultation), posted).status_code == 400
    assert not PartnerLink.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("group", [DECISION_MAKERS, FORUM_COORDINATORS])
def test_other_roles_cannot_see_or_make_links(client, staff_login, consultation, group):
    partner = PartnerFactory()
    staff_login(group)
    # The admin turns a refusal into a redirect to its dashboard with a message.
    for refused in (
        client.get(_links_url(consultation)),
        client.post(_links_url(consultation), {"partner": partner.pk}),
    ):
        assert refused.status_code in (302, 403)
        assert partners.link_url(PartnerLink(code="X")) not in refused.content.decode()
    assert not PartnerLink.objects.exists()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk]))
    assert "Partner links" not in edit.content.decode()


@pytest.mark.django_db
def test_officers_get_the_partner_links_button_and_the_partners_snippet(client, staff_login, consultation):
    staff_login(CONSULTATION_OFFICERS)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk])).content.decode()
    assert _links_url(consultation) in edit
    added = client.post(
        reverse("wagtailsnippets_surveys_partner:add"),
        {"name": "Deal Children's Centre", "kind": "childrens_centre"},
    )
    assert added.status_code == 302
    listing = client.get(reverse("wagtailsnippets_surveys_partner:list")).content.decode()
    assert "Deal Children&#x27;s Centre" in listing or "Deal Children's Centre" in listing


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, consultation):
    response = client.get(_links_url(consultation))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Exports and personal data ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_names_the_partner(consultation):
    from surveys import exports

    partner = PartnerFactory(name="=Formula School")
    _responses(consultation, partner, 1)
    header, row = exports.header(services.schema_for(consultation)), next(exports.rows(consultation))
    assert row[header.index("partner")] == "'=Formula School"


@pytest.mark.django_db
def test_the_demo_has_three_partners_with_links_and_responses_through_them(demo):
    from surveys.demo_partners import DEMO_PARTNERS, load_partner_demo
    from surveys.models import Partner

    assert Partner.objects.count() == len(DEMO_PARTNERS) == 3
    assert PartnerLink.objects.filter(consultation__slug="support-for-parents").count() == 3
    assert Response.objects.filter(partner__isnull=False).exists()
    before = list(Response.objects.order_by("pk").values_list("pk", "partner_id"))
    load_partner_demo(lambda *_: None)  # again: nothing new, nothing moved
    assert PartnerLink.objects.count() == 3
    assert list(Response.objects.order_by("pk").values_list("pk", "partner_id")) == before

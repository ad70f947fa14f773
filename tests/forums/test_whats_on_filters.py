"""What's on by kind of event and who it is for, with the district, dates and online filters; events
outside the fora filtered by their own district; a fixed number of queries; the fora in kind order."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forums.choices import EventAudience, EventKind, ForumKind
from forums.forms import WhatsOnFilterForm
from forums.services import fora_with_next_event
from parentvoice.models import District

pytestmark = pytest.mark.django_db

TITLES = ["Dover meeting", "Moving up evening", "Thanet drop-in", "Practitioner workshop", "Dover session"]


@pytest.fixture
def events(fora_index, make_forum, make_event):
    dover = make_forum("Dover Parents Forum", "Dover")
    thanet = District.objects.create(name="Thanet", slug="thanet", ons_code="E07000114")
    make_event(dover, "Dover meeting", days=2)
    make_event(fora_index, "Moving up evening", days=3, kind=EventKind.TRANSITION_EVENING,
               audience=EventAudience.EVERYONE)  # fmt: skip
    make_event(fora_index, "Thanet drop-in", days=4, kind=EventKind.DROP_IN, district=thanet,
               venue_name="", address="", online_link="https://meet.example.org/t")  # fmt: skip
    make_event(fora_index, "Practitioner workshop", days=5, kind=EventKind.WORKSHOP,
               audience=EventAudience.PRACTITIONERS)  # fmt: skip
    make_event(fora_index, "Dover session", days=6, kind=EventKind.INFORMATION_SESSION,
               district=dover.district)  # fmt: skip
    return fora_index


def _titles(client, query=""):
    body = client.get("/parent-fora/whats-on/" + query).content.decode()
    return {title for title in TITLES if title.replace("'", "&#x27;") in body}


def test_every_event_shows_with_its_kind_in_words(client, events):
    body = client.get("/parent-fora/whats-on/").content.decode()
    assert _titles(client) == set(TITLES)
    for words in (
        "Forum meeting",
        "Transition evening",
        "Drop-in",
        "Workshop or course",
        "Information session",
    ):
        assert f'<strong class="govuk-tag govuk-tag--grey">{words}</strong>' in body
    assert "For practitioners" in body and "County-wide" in body


def test_filter_by_kind(client, events):
    assert _titles(client, "?kind=drop_in") == {"Thanet drop-in"}
    assert _titles(client, "?kind=drop_in&kind=workshop") == {"Thanet drop-in", "Practitioner workshop"}
    assert _titles(client, "?kind=forum_meeting") == {"Dover meeting"}


def test_filter_by_audience_counts_events_for_everyone_under_each(client, events):
    assert _titles(client, "?audience=practitioners") == {"Practitioner workshop", "Moving up evening"}
    parents = _titles(client, "?audience=parents")
    assert "Practitioner workshop" not in parents and "Moving up evening" in parents
    assert _titles(client, "?audience=everyone") == {"Moving up evening"}


def test_district_uses_the_events_own_district_and_county_wide_shows_under_every_one(client, events):
    assert _titles(client, "?district=dover") == {"Dover meeting", "Moving up evening",
                                                 "Practitioner workshop", "Dover session"}  # fmt: skip
    assert _titles(client, "?district=thanet") == {"Thanet drop-in", "Moving up evening",
                                                  "Practitioner workshop"}  # fmt: skip


def test_a_district_with_only_an_event_outside_the_fora_can_be_chosen(events):
    form = WhatsOnFilterForm()
    assert {slug for slug, _ in form.fields["district"].choices} == {"", "dover", "thanet"}


def test_filters_combine(client, events):
    assert _titles(client, "?district=thanet&kind=drop_in&mode=online") == {"Thanet drop-in"}
    assert _titles(client, "?district=dover&kind=drop_in") == set()
    assert _titles(client, "?district=dover&audience=parents&mode=in_person") == {
        "Dover meeting", "Moving up evening", "Dover session",
    }  # fmt: skip
    body = client.get("/parent-fora/whats-on/?kind=drop_in&audience=parents").content.decode()
    # The form remembers what was ticked.
    assert 'value="drop_in" checked' in body and 'value="parents" checked' in body


def test_a_kind_that_is_not_on_the_list_is_a_clear_error(client, events):
    body = client.get("/parent-fora/whats-on/?kind=secret&audience=bots").content.decode()
    assert "Choose kinds of event from the list" in body and "govuk-error-summary" in body
    assert "Choose who the event is for from the list" in body


@settings(max_examples=30, deadline=None)
@given(kinds=st.lists(st.text(max_size=40), max_size=4), audiences=st.lists(st.text(max_size=40), max_size=4))
def test_the_form_never_filters_by_anything_off_its_lists(kinds, audiences):
    form = WhatsOnFilterForm({"kind": kinds, "audience": audiences})
    filters = form.filters()
    assert set(filters.get("kinds", [])) <= set(EventKind.values)
    assert set(filters.get("audiences", [])) <= set(EventAudience.values)


def test_odd_and_huge_input_is_refused_not_a_server_error(client, events):
    for query in ("?kind=%E2%80%AEdrop_in", "?audience=" + "x" * 5000, "?kind=drop_in%00", "?kind="):
        response = client.get("/parent-fora/whats-on/" + query)
        assert response.status_code == 200, query
    assert _titles(client, "?kind=") == set(TITLES)  # an empty choice is no filter


def test_whats_on_keeps_a_fixed_number_of_queries_with_filters(
    client, events, make_forum, make_event, django_assert_max_num_queries
):
    query = "/parent-fora/whats-on/?kind=drop_in&kind=forum_meeting&audience=parents&district=dover"
    client.get(query)  # warm per-process caches (site root paths)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(query)
    before = len(captured)
    for n in range(3):
        forum = make_forum(f"Forum {n}", f"District {n}")
        make_event(forum, f"Meeting {n}", days=n + 1)
        make_event(events, f"Drop-in {n}", days=n + 2, kind=EventKind.DROP_IN,
                   district=forum.district)  # fmt: skip
    with django_assert_max_num_queries(before):
        response = client.get(query)
    assert response.status_code == 200
    with django_assert_max_num_queries(before):
        client.get("/parent-fora/whats-on/")


def test_the_fora_come_by_kind_then_district_then_title(fora_index, make_forum):
    make_forum("Young Parents Forum", kind=ForumKind.TOPIC)
    make_forum("Practitioners Forum", kind=ForumKind.PRACTITIONERS)
    make_forum("Thanet Parents Forum", "Thanet")
    make_forum("Dover Parents Forum", "Dover")
    make_forum("County Parents Forum")
    make_forum("Fathers Forum", kind=ForumKind.TOPIC)
    assert [forum.title for forum in fora_with_next_event(fora_index)] == [
        "County Parents Forum", "Dover Parents Forum", "Thanet Parents Forum", "Fathers Forum",
        "Young Parents Forum", "Practitioners Forum",
    ]  # fmt: skip

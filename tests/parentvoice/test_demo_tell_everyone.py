"""The demo shows issue 14's loop: an open, linked consultation parents can text, and a closed one
whose results and decisions told the people who asked, on every route, with two who asked since."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from messaging.choices import CampaignKind, Channel
from messaging.demo import DEMO_FOLLOWERS
from messaging.models import FollowRequest, Message
from surveys.choices import Anonymity
from surveys.models import ConsultationPage, ResultsNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_demo_content", stdout=StringIO())


def test_an_open_linked_consultation_takes_texts(loaded):
    open_now = ConsultationPage.objects.live().filter(
        opens_at__lte=timezone.now(), closes_at__gt=timezone.now()
    )
    texted = open_now.exclude(sms_keyword="").filter(anonymity=Anonymity.LINKED)
    assert texted.filter(slug="support-for-parents", sms_keyword="SUPPORT").exists()


def test_people_asked_to_be_told_on_every_route_and_most_were_told(loaded):
    closed = ConsultationPage.objects.get(slug="information-for-parents")
    follows = FollowRequest.objects.filter(topic=f"consultation:{closed.pk}")
    assert Counter(follows.values_list("route", flat=True)) == {"web": 5, "sms": 4, "paper": 2}
    assert Counter(follows.values_list("channel", flat=True)) == {Channel.EMAIL: 5, Channel.SMS: 6}
    assert closed.results_published and ResultsNotice.objects.filter(consultation=closed).exists()

    outcome_messages = Message.objects.filter(campaign__kind=CampaignKind.OUTCOME_NOTICE)
    told = set(outcome_messages.values_list("contact_id", flat=True))
    early, late = follows.exclude(contact__in=_late()), follows.filter(contact__in=_late())
    assert set(early.values_list("contact_id", flat=True)) <= told  # results and decisions reached them
    assert not told & set(late.values_list("contact_id", flat=True))  # asked since: told next time
    results = outcome_messages.filter(campaign__audience_source=f"took-part:{closed.pk}")
    assert set(early.values_list("contact_id", flat=True)) <= set(
        results.values_list("contact_id", flat=True)
    )


def _late():
    from messaging import services

    return [services.contact_for_address(channel, address).pk for channel, address in DEMO_FOLLOWERS[-2:]]


def test_loading_again_asks_nothing_twice(loaded):
    before = (FollowRequest.objects.count(), Message.objects.count())
    call_command("load_demo_content", stdout=StringIO())
    assert (FollowRequest.objects.count(), Message.objects.count()) == before

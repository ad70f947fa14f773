"""The outcome fan-out to everyone behind a decision. Prints figures; checks only that each person gets
one message.

    .venv/bin/python bench/outcome_fanout_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

100,000 contacts who agreed to texts about outcomes. A decision rests on a consultation and on a point
raised at a forum meeting; its audience is the consultation's linked respondents, the people who asked
to be told about the consultation or the meeting (follow requests) and the forum's members, overlapping:
each person is in one, two or all three. Measured: `create_campaign_messages` for the decision's outcome
notice beside a plain campaign with the same wording to the same contacts (no audience source) in the
same run, best of two runs each. Target: the outcome notice within 1.5x of the plain campaign.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

PEOPLE = 100_000
RESPONDENT, FOLLOWER, MEMBER = 1, 2, 4


def roles(i):
    """Which of the three groups person i is in: every non-empty combination, in turn."""
    return i % 7 + 1


def seed_sources():
    from django.utils import timezone
    from wagtail.models import Page

    from forums.models import EventPage, ForumIndexPage, ForumPage
    from surveys.demo import SUPPORT_QUESTIONS

    now = timezone.now()
    page = _setup.publish_consultation(SUPPORT_QUESTIONS)
    page.opens_at, page.closes_at = now - timedelta(days=60), now - timedelta(days=30)
    page.save_revision().publish()
    home = Page.objects.get(slug="bench-home")
    index = ForumIndexPage(title="Parent fora", slug="parent-fora")
    home.add_child(instance=index)
    forum = ForumPage(
        kind="county",
        title="Dover forum",
        slug="dover",
        summary="s",
        who_for="Parents",
        how_it_works="<p>We meet.</p>",
        meeting_pattern="Monthly",
    )
    index.add_child(instance=forum)
    forum.save_revision().publish()
    start = now - timedelta(days=20)
    event = EventPage(
        title="Meeting",
        slug="meeting",
        start=start,
        end=start + timedelta(hours=2),
        venue_name="Children's centre",
        address="1 High Street",
        parents_said=[("said", {"text": "Evening meetings please"})],
    )
    forum.add_child(instance=event)
    event.save_revision().publish()
    return page, forum, EventPage.objects.get(pk=event.pk)


def seed_people(page, forum, event):
    from django.utils import timezone

    from forums.models import Membership
    from messaging.choices import Channel, ConfirmedBy, FollowRoute
    from messaging.models import FollowRequest
    from surveys.models import Response

    now = timezone.now()
    ids = _setup.seed_consenting_contacts(PEOPLE)
    Response.objects.bulk_create(
        (
            Response(consultation=page, channel="web", contact_id=pk, completed_at=now)
            for i, pk in enumerate(ids)
            if roles(i) & RESPONDENT
        ),
        batch_size=5000,
    )
    # Followers ask about the consultation or (every third) the meeting, as they did when booking.
    FollowRequest.objects.bulk_create(
        (
            FollowRequest(
                contact_id=pk,
                topic=f"event:{event.pk}" if i % 3 == 0 else f"consultation:{page.pk}",
                channel=Channel.SMS,
                route=FollowRoute.BOOKING if i % 3 == 0 else FollowRoute.WEB,
                wording="Tell me what you decide",
                confirmed_by=ConfirmedBy.SMS_REPLY,
                requested_on=now.date(),
            )
            for i, pk in enumerate(ids)
            if roles(i) & FOLLOWER
        ),
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        (Membership(forum=forum, contact_id=pk) for i, pk in enumerate(ids) if roles(i) & MEMBER),
        batch_size=5000,
    )
    return ids


def publish_decision(page, event):
    from django.utils import timezone

    from feedback_loop.models import Decision, FeedbackItem, OutcomeNotice, Theme

    theme = Theme.objects.create(name="Meetings", slug="meetings")
    items = []
    for fields in ({"consultation": page}, {"event": event, "point_id": event.parents_said[0].id}):
        # Saved as published directly: the editor's rules are not what is measured here.
        item = FeedbackItem(
            summary="Meetings in the day are hard to get to.", theme=theme, live=True, **fields
        )
        item.save()
        items.append(item)
    decision = Decision(
        summary="Every forum will hold one evening meeting each term.",
        status="agreed",
        deciding_body="Board",
        owner="Team",
        decided_on=timezone.localdate(),
    )
    decision.feedback_items = items
    decision.save()
    decision.save_revision().publish()  # the publish signal starts the outcome notice's campaign
    return OutcomeNotice.objects.get(decision=decision, update__isnull=True).campaign


def timed_fan_out(campaign):
    from messaging import services as messaging
    from messaging.models import Message

    Message.objects.filter(campaign=campaign).delete()
    start = time.perf_counter()
    created = messaging.create_campaign_messages(campaign)
    return created, time.perf_counter() - start


def explain(campaign):
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from messaging.services import audience

    rows = audience(campaign).annotate(mobile_text=Cast("mobile", CharField())).values_list("pk")
    print("EXPLAIN of the outcome notice's audience:")
    print(rows.explain())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--explain", action="store_true", help="print the audience query's plan")
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"== Outcome fan-out bench on {_setup.database_label(url)}")
    from django.db.models import Count

    from messaging.models import Campaign, Message

    page, forum, event = seed_sources()
    start = time.perf_counter()
    seed_people(page, forum, event)
    print(f"(seeded {PEOPLE:,} people in {time.perf_counter() - start:.0f} s, untimed)")
    outcome = publish_decision(page, event)
    plain = Campaign.objects.create(
        name="Plain bench campaign",
        kind=outcome.kind,
        purpose=outcome.purpose,
        send_sms=outcome.send_sms,
        send_email=outcome.send_email,
        one_channel_per_contact=outcome.one_channel_per_contact,
        sms_template=outcome.sms_template,
        email_subject=outcome.email_subject,
        email_template=outcome.email_template,
        title=outcome.title,
        link_url=outcome.link_url,
    )
    if args.explain:
        explain(outcome)
    best = {}
    for _ in range(2):
        for name, campaign in (("plain", plain), ("outcome", outcome)):
            created, seconds = timed_fan_out(campaign)
            best[name] = min(best.get(name, (created, seconds)), (created, seconds), key=lambda r: r[1])
    (plain_count, plain_seconds), (created, seconds) = best["plain"], best["outcome"]
    per_person = Message.objects.filter(campaign=outcome).values("contact_id").annotate(n=Count("pk"))
    twice = per_person.filter(n__gt=1).count()
    print(
        f"outcome notice fan-out: {created:,} people in {seconds:.2f} s; plain campaign to the same "
        f"{plain_count:,} contacts {plain_seconds:.2f} s ({seconds / plain_seconds:.2f}x; target <= 1.5x)"
    )
    print(
        f"each person once: {per_person.count():,} people, {created:,} messages, {twice} with more than one"
        + (" (OK)" if created == PEOPLE and twice == 0 else " (WRONG)")
    )


if __name__ == "__main__":
    main()

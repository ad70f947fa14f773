"""'You said, we did' benchmark. Prints figures; asserts nothing.

    .venv/bin/python bench/feedback_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

1. The public log (first page, a filtered page), a decision page, the RSS feed and the officers'
   dashboard: server time (Django test client, best of 5) and queries, with 10 items and decisions (the
   baseline), then with 1,000 items and 800 decisions. Target: the same number of queries at both sizes.
2. Telling parents: the fan-out of one outcome notice to the 20,000 linked respondents of a consultation
   (the "decision:<id>" audience, then consent to outcomes), beside a plain campaign to the same 20,000
   contacts in the same run. Target: within 1.5x of the plain campaign.
3. The briefing for a consultation with 20,000 responses: HTML, and PDF when WeasyPrint is installed.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _setup

RESPONDENTS = 20_000


def seed_consultation():
    from django.utils import timezone

    from surveys.demo import SUPPORT_QUESTIONS

    now = timezone.now()
    page = _setup.publish_consultation(SUPPORT_QUESTIONS)
    page.opens_at, page.closes_at, page.results_published = (
        now - timedelta(days=60),
        now - timedelta(days=30),
        True,
    )
    page.save_revision().publish()
    return page


def seed_respondents(page, n):
    """n contacts who agreed to hear about outcomes by text, each with a linked response and an answer."""
    from django.utils import timezone

    from surveys import services as surveys
    from surveys.models import Answer, Response

    question = next(q for q in surveys.schema_for(page) if q.code == "first-place")
    now = timezone.now()
    ids = _setup.seed_consenting_contacts(n)
    Response.objects.bulk_create(
        (Response(consultation=page, channel="web", contact_id=pk, completed_at=now) for pk in ids),
        batch_size=5000,
    )
    keys = [key for key, _ in question.choices]
    Answer.objects.bulk_create(
        (
            Answer(
                consultation=page,
                response_id=pk,
                question_id=question.id,
                choice_key=keys[i % len(keys)],
                channel="web",
            )
            for i, pk in enumerate(Response.objects.filter(consultation=page).values_list("pk", flat=True))
        ),
        batch_size=5000,
    )
    return question


def seed_log(page, question, items, decisions, start_at=0):
    from django.utils import timezone

    from feedback_loop.models import (
        Decision,
        DecisionUpdate,
        FeedbackItem,
        FeedbackQuote,
        OutcomeNotice,
        Theme,
    )
    from feedback_loop.services import EVIDENCE_SEPARATOR

    themes = [
        Theme.objects.get_or_create(slug=f"theme-{n}", defaults={"name": f"Theme {n}"})[0] for n in range(6)
    ]
    keys = [key for key, _ in question.choices]
    for n in range(start_at, start_at + items):
        # Saved directly: the editor's rules are not what is measured here, and each save counts evidence.
        item = FeedbackItem(
            summary=f"Point {n}: parents said something about services.",
            theme=themes[n % len(themes)],
            consultation=page,
            evidence=[f"{question.id}{EVIDENCE_SEPARATOR}{keys[n % len(keys)]}"],
        )
        item.save()
        FeedbackQuote.objects.create(item=item, text=f"Quote {n}", approved=True)
        if n - start_at >= items - decisions:  # the newest items, which the log's first page shows
            decision = Decision(
                summary=f"Decision {n}: we will change something.",
                status="agreed",
                deciding_body="Board",
                owner="Team",
                decided_on=timezone.localdate(),
            )
            decision.save()
            decision.feedback_items.set([item])
            decision.save()  # the parental many-to-many is written on save
            DecisionUpdate.objects.create(decision=decision, text="Started")
            # As if published through the editor, which records that parents were told.
            OutcomeNotice.objects.create(decision=decision, status=decision.status)


PAGES = [
    ("log, first page", "/you-said-we-did/"),
    ("log, filtered", "/you-said-we-did/?theme=theme-1&status=agreed"),
    ("RSS feed", "/you-said-we-did/feed/"),
]


def measure(label, client, extra_pages=()):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, url in [*PAGES, *extra_pages]:
        client.get(url)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        results[name] = (min(times), len(captured))
        print(f"{label}: {name}: {min(times) * 1000:.1f} ms, {len(captured)} queries")
    return results


def staff_client():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser(email="bench@example.org", password=None)
    TOTP.activate(user, generate_totp_secret())  # staff must have an authenticator app to use the admin
    client = Client()
    client.force_login(user)
    return client


def bench_notice(page):
    from feedback_loop import services
    from feedback_loop.models import Decision, OutcomeNotice
    from messaging import services as messaging
    from messaging.models import Campaign, Message

    plain = Campaign.objects.create(
        name="Plain bench campaign",
        kind="outcome_notice",
        purpose="outcomes",
        send_email=False,
        sms_template="Hi ((name)), an update: ((link))",
        link_url="https://parentvoice.example.org/d/1/",
    )
    start = time.perf_counter()
    plain_count = messaging.create_campaign_messages(plain)
    plain_seconds = time.perf_counter() - start
    decision = Decision.objects.filter(feedback_items__consultation=page).first()
    decision.status = "done"
    decision.save()
    decision.save_revision().publish()  # publishing creates the notice and its campaign
    notice = OutcomeNotice.objects.get(decision=decision, status="done")
    start = time.perf_counter()
    created = messaging.create_campaign_messages(notice.campaign)
    seconds = time.perf_counter() - start
    assert Message.objects.filter(campaign=notice.campaign).count() == created
    print(
        f"outcome notice fan-out: {created:,} respondents in {seconds:.2f} s; plain campaign to the same "
        f"{plain_count:,} contacts {plain_seconds:.2f} s ({seconds / plain_seconds:.2f}x; target <= 1.5x)"
    )
    start = time.perf_counter()
    metrics = services.metrics()
    print(f"dashboard figures (metrics()): {(time.perf_counter() - start) * 1000:.0f} ms; {metrics}")


def bench_briefing(page):
    from django.test import RequestFactory

    from feedback_loop import admin_views, services

    request = RequestFactory().get("/")
    # A stand-in superuser: the briefing asks has_perm (e.g. whether to offer "Mark closed").
    request.user = type(
        "U", (), {"is_active": True, "is_superuser": True, "has_perm": lambda self, perm, obj=None: True}
    )()
    start = time.perf_counter()
    html = admin_views._briefing_html(request, page, for_pdf=True)
    print(f"briefing HTML, {RESPONDENTS:,} responses: {(time.perf_counter() - start) * 1000:.0f} ms")
    try:
        start = time.perf_counter()
        pdf = services.briefing_pdf(html, "http://testserver/")
        print(f"briefing PDF: {time.perf_counter() - start:.2f} s, {len(pdf) / 1024:.0f} KB")
    except services.PdfUnavailable as error:
        print(f"briefing PDF: skipped ({error})")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"== 'You said, we did' bench on {_setup.database_label(url)}")
    from feedback_loop.models import YouSaidWeDidPage

    page = seed_consultation()
    home = page.get_parent().get_parent()
    home.add_child(instance=YouSaidWeDidPage(title="You said, we did", slug="you-said-we-did"))
    question = seed_respondents(page, RESPONDENTS)
    seed_log(page, question, 10, 10)
    client = staff_client()
    first_decision = f"/you-said-we-did/decisions/{page.feedback_items.first().decisions.first().pk}/"
    extra = [("decision page", first_decision), ("feedback dashboard", "/admin/feedback/")]
    small = measure("10 items", client, extra)
    start = time.perf_counter()
    seed_log(page, question, 990, 790, start_at=10)
    print(f"(seeded 990 more items in {time.perf_counter() - start:.0f} s, untimed)")
    large = measure("1,000 items, 800 decisions", client, extra)
    for name, (seconds, queries) in large.items():
        base_seconds, base_queries = small[name]
        print(
            f"{name}: {seconds / base_seconds:.2f}x the time at 10 items; queries {base_queries} -> {queries}"
            + (" (constant)" if queries == base_queries else " (NOT constant)")
        )
    bench_notice(page)
    bench_briefing(page)


if __name__ == "__main__":
    main()

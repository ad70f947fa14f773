"""Demo 'You said, we did': a consultation that closed 14 weeks ago with 240 responses, what parents
said, decisions (one turned down with a reason, one still overdue), the public log page, and the
outcome notices those decisions sent to respondents who agreed to hear (they reach the outbox once
the demo's task worker runs). Some who answered without a personal link asked to be told, on the
web, by text and on paper: most before the results and decisions were published (so they are told),
two since (asked, not yet told), so the dashboard's "told" table has something in each column."""

import random
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Locale, Page

from forums.models import EventPage
from messaging import services as messaging
from messaging.choices import CampaignKind, CampaignStatus, Channel, ConfirmedBy, FollowRoute
from messaging.demo import DEMO_FOLLOWERS
from messaging.models import Campaign, Contact
from parentvoice.demo import DEMO_LANGUAGES, parent_translated, translate_demo_page
from parentvoice.models import District
from surveys import services as surveys
from surveys import tallies
from surveys.about_you import DISTRICT_ID, ROLE_ID
from surveys.choices import ResponseChannel
from surveys.models import ConsultationIndexPage, ConsultationPage, Response

from . import services
from .choices import DecisionStatus
from .models import Decision, FeedbackItem, FeedbackQuote, Theme, YouSaidWeDidPage

LONDON = ZoneInfo("Europe/London")
THEMES = [
    "Childcare and early years",
    "Family support and early help",
    "Fathers and male carers",
    "Information for parents",
    "Meetings and getting involved",
    "Special educational needs and disabilities",
]
CHANNELS = [ResponseChannel.WEB] * 6 + [ResponseChannel.SMS] * 3 + [ResponseChannel.PAPER]
RESPONSES = 240


def _question(kind, code, label, *, required=True, hint="", **extra):
    value = {"label": label, "hint": hint, "required": required, "code": code, "show_if": {}, **extra}
    return {
        "type": kind,
        "value": value,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"parentvoice-demo/{code}")),
    }


def _choices(*pairs):
    return [{"label": label, "key": key} for key, label in pairs]


QUESTIONS = [
    _question(
        "single_choice",
        "hear-about",
        "How do you most like to hear about services for families?",
        choices=_choices(
            ("text", "Text message"),
            ("email", "Email"),
            ("school", "Through my child's school"),
            ("centre", "At the children's centre"),
            ("social", "Social media"),
            ("word", "From other parents"),
        ),
    ),
    _question(
        "multiple_choice",
        "barriers",
        "What makes it hard to go to parent groups or forum meetings?",
        required=False,
        hint="Select all that apply.",
        choices=_choices(
            ("daytime", "They are in the day when I work"),
            ("childcare", "I have nobody to look after the children"),
            ("travel", "Getting there"),
            ("not-for-me", "They do not feel meant for people like me"),
            ("language", "English is not my first language"),
            ("unaware", "I do not hear about them"),
        ),
    ),
    _question(
        "scale",
        "find-info",
        "How easy is it to find information about support for your family?",
        low_label="Very hard",
        high_label="Very easy",
    ),
    _question(
        "free_text",
        "one-thing",
        "What one thing would make it easier to find help?",
        required=False,
        max_length=1000,
    ),
]
WEIGHTS = {
    "hear-about": {"text": 30, "email": 15, "school": 30, "centre": 10, "social": 8, "word": 7},
    "barriers": {
        "daytime": 45,
        "childcare": 35,
        "travel": 20,
        "not-for-me": 15,
        "language": 8,
        "unaware": 30,
    },
    "find-info": {"1": 15, "2": 30, "3": 30, "4": 18, "5": 7},
}
ONE_THING = [
    "One website with everything on it",
    "Texts about what is on near me",
    "Leaflets in other languages",
    "Someone to talk to at the school gate",
]


@hooks.register("parentvoice_load_demo_content")
def load_feedback_demo(say):
    home = Page.objects.filter(depth=2).first().specific
    if YouSaidWeDidPage.objects.exists():
        return
    log_page = YouSaidWeDidPage(title="You said, we did", slug="you-said-we-did", show_in_menus=True)
    home.add_child(instance=log_page)
    log_page.save_revision().publish()
    themes = {}
    for name in THEMES:
        themes[name], _ = Theme.objects.get_or_create(
            slug=name.lower().replace(" ", "-"), defaults={"name": name}
        )
    consultation = _closed_consultation()
    _ask_to_be_told(consultation, DEMO_FOLLOWERS[:-2])
    _publish_results(consultation)
    items = _feedback_items(consultation, themes)
    decisions = _decisions(items)
    _prepare_outcome_campaigns()
    _ask_to_be_told(consultation, DEMO_FOLLOWERS[-2:], routes=[FollowRoute.WEB, FollowRoute.SMS])
    say(
        f"'You said, we did': a closed consultation with {RESPONSES} responses, {len(items)} 'You said' items, "
        f"{len(decisions)} published decisions and their outcome notices"
    )
    from . import demo_action_plan, demo_reach, demo_reports

    demo_action_plan.load_action_plan_demo(say, home=home, decisions=decisions, items=items)
    demo_reach.load_reach_demo(say)
    demo_reports.load_reports_demo(say)


def _closed_consultation():
    index = ConsultationIndexPage.objects.first()
    now = timezone.now()
    page = ConsultationPage(
        title="Information for parents: how you want to hear from us",
        slug="information-for-parents",
        summary="Tell us how you like to hear about services for families, and what stops you coming to groups.",
        why_asking="<p>Parents told the Children's Trust that information is hard to find. We want to "
        "try new ways of reaching families, including by text message.</p>",
        what_happens_next="<p>The Kent Children's Trust Board will decide what to change. We will publish "
        "what we decide in 'You said, we did' and tell everyone who asked to hear.</p>",
        opens_at=now - timedelta(weeks=20),
        closes_at=now - timedelta(weeks=14),
        sms_keyword="INFO2026",
        questions=QUESTIONS,
        results_published=False,  # published below, once the answers are in: everyone is told
        results_summary="<p>240 parents and carers answered: most online, about a third by text message "
        "and some on paper at children's centres. Text messages and schools are the most popular ways "
        "to hear about services. Daytime meetings and childcare are what stop most people coming.</p>",
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page = ConsultationPage.objects.get(pk=page.pk)
    _answer(page)
    return page


def _answer(page):
    rng = random.Random(2026)  # noqa: S311 - repeatable demo answers, not security
    schema = {q.code: q for q in surveys.schema_for(page)}
    districts = list(District.objects.order_by("name").values_list("slug", flat=True))
    roles = ["mother", "mother", "mother", "father", "grandparent", "foster_carer", "prefer_not_to_say"]
    # Those who asked to be told answered by the open link, so their answers are not linked to them.
    followers = [address for _, address in DEMO_FOLLOWERS]
    contacts = list(
        Contact.objects.exclude(email__in=followers)
        .exclude(mobile__in=followers)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    def pick(code):
        weights = WEIGHTS[code]
        return rng.choices(list(weights), list(weights.values()))[0]

    for n in range(RESPONSES):
        barriers = sorted({pick("barriers") for _ in range(rng.randint(0, 3))})
        answers = {
            schema["hear-about"].id: pick("hear-about"),
            schema["find-info"].id: pick("find-info"),
            schema["barriers"].id: {"keys": barriers, "other": ""},
            ROLE_ID: rng.choice(roles),
            DISTRICT_ID: rng.choice(districts) if districts else None,
        }
        if n % 4 == 0:
            answers[schema["one-thing"].id] = ONE_THING[n % len(ONE_THING)]
        # The demo contacts all took part, so those who agreed to hear about outcomes are told.
        contact_id = contacts[n] if n < len(contacts) else None
        surveys.submit_response(page, answers, channel=CHANNELS[n % len(CHANNELS)], contact_id=contact_id)
    # Spread the answers over the weeks the consultation was open (the daily counts follow).
    responses = Response.objects.filter(consultation=page)
    with tallies.changing(responses):
        for response in responses.only("pk"):
            when = page.opens_at + timedelta(hours=rng.randint(1, 6 * 7 * 24 - 1))
            Response.objects.filter(pk=response.pk).update(
                completed_at=when, started_at=when, completed_on=when.astimezone(LONDON).date()
            )


# Who asked on which route: web (3 emails, 1 text), text (4), paper (1 email, 1 text).
FOLLOWER_ROUTES = [FollowRoute.WEB] * 4 + [FollowRoute.SMS] * 3 + [FollowRoute.PAPER] * 2
FOLLOW_WORDING = {
    FollowRoute.WEB: "Tell me what you decide. We will send you one message when we decide, and when it changes.",
    FollowRoute.SMS: "Reply YES to get a text when we decide.",
    FollowRoute.PAPER: "Tick if you want us to tell you what we decide, and how: by email or by text.",
}
# Texts come from the number; web and paper addresses were confirmed from the message we sent.
FOLLOW_EVIDENCE = {
    (FollowRoute.SMS, Channel.SMS): ConfirmedBy.SMS_REPLY,
    (FollowRoute.WEB, Channel.SMS): ConfirmedBy.SMS_REPLY,
    (FollowRoute.PAPER, Channel.SMS): ConfirmedBy.SMS_REPLY,
    (FollowRoute.WEB, Channel.EMAIL): ConfirmedBy.EMAIL_LINK,
    (FollowRoute.PAPER, Channel.EMAIL): ConfirmedBy.EMAIL_LINK,
}


def _ask_to_be_told(page, followers, routes=FOLLOWER_ROUTES):
    from surveys.follow_up import consultation_topic

    for (channel, address), route in zip(followers, routes, strict=True):
        contact = messaging.contact_for_address(channel, address)
        messaging.record_follow(
            contact,
            topic=consultation_topic(page.pk),
            channel=channel,
            route=route,
            wording=FOLLOW_WORDING[route],
            confirmed_by=FOLLOW_EVIDENCE[(route, channel)],
        )


def _prepare_outcome_campaigns():
    """Fan out the notices the results and decisions started, as the task worker would have done by
    the time someone asks later: so the two who ask after them are not told until the next change.
    The queued preparation then finds the campaigns prepared and does nothing."""
    preparing = Campaign.objects.filter(
        Q(send_at__isnull=True) | Q(send_at__lte=timezone.now()),
        kind=CampaignKind.OUTCOME_NOTICE,
        status=CampaignStatus.PREPARING,
    )
    for campaign_id in preparing.values_list("pk", flat=True):
        messaging.prepare_campaign(campaign_id)


def _publish_results(page):
    """The results go public once the answers are in, which tells everyone who took part and asked."""
    page.results_published = True
    page.save_revision().publish()


def _feedback_items(page, themes):
    schema = {q.code: q for q in surveys.schema_for(page)}

    def evidence(code, *keys):
        return [f"{schema[code].id}{services.EVIDENCE_SEPARATOR}{key}" for key in keys]

    specs = [
        (
            "Most parents want to hear about services by text message or through their child's school.",
            "Information for parents",
            evidence("hear-about", "text", "school"),
            [],
        ),
        (
            "Meetings and groups in the day are hard to get to if you work. Evenings and Saturdays would help.",
            "Meetings and getting involved",
            evidence("barriers", "daytime"),
            ["I work until 5 every day, so I have never been to a forum meeting."],
        ),
        (
            "Fathers and male carers often feel groups and meetings are meant for mothers.",
            "Fathers and male carers",
            evidence("barriers", "not-for-me"),
            ["Every leaflet has a picture of a mum. I never know if I am welcome."],
        ),
        (
            "Parents with nobody to look after the children cannot come to meetings.",
            "Childcare and early years",
            evidence("barriers", "childcare"),
            [],
        ),
        (
            "Information about support is hard to find, especially if English is not your first language.",
            "Information for parents",
            evidence("find-info", "1", "2") + evidence("barriers", "language"),
            ["Leaflets in other languages would help my family and my neighbours."],
        ),
    ]
    items = []
    for summary, theme, keys, quotes in specs:
        item = FeedbackItem(summary=summary, theme=themes[theme], consultation=page, evidence=keys)
        item.quotes = [FeedbackQuote(text=text, approved=True) for text in quotes]
        item.full_clean()
        item.save()
        item.save_revision().publish()
        items.append(item)
    event = (
        EventPage.objects.live()
        .exclude(parents_said=[])
        .filter(start__lt=timezone.now(), forum__slug="dover")
        .order_by("-start")
        .first()
    )
    if event is not None:
        point = event.parents_said[0]
        item = FeedbackItem(
            summary=point.value["text"],
            theme=themes["Family support and early help"],
            event=event,
            point_id=point.id,
        )
        if event.forum and event.forum.district_id:
            item.districts = [event.forum.district]
        item.full_clean()
        item.save()
        item.save_revision().publish()
        items.append(item)
    return items


def _decisions(items):
    today = timezone.localdate()
    board = "Kent Children's Trust Board"
    specs = [
        (
            [0],
            "Each district will send one text message a month about what is on for families, and every "
            "school will be asked to share the same news in its newsletter.",
            DecisionStatus.AGREED,
            "",
            "Head of Early Help",
            today - timedelta(weeks=6),
            today + timedelta(weeks=8),
            ["The first monthly texts went to parents in Dover and Thanet who asked to hear from us."],
        ),
        (
            [1],
            "From January, every parent forum will hold at least one evening or Saturday meeting each term.",
            DecisionStatus.AGREED,
            "",
            "Parent Participation Team",
            today - timedelta(weeks=7),
            today - timedelta(weeks=1),
            ["All 8 forums have booked an evening or Saturday meeting for the spring term."],
        ),
        (
            [2],
            "We are looking at running sessions led by fathers, and at changing our leaflets and posters.",
            DecisionStatus.UNDER_CONSIDERATION,
            "",
            "Family Support Commissioning Manager",
            None,
            today + timedelta(weeks=4),
            [],
        ),
        (
            [3],
            "We will not provide a creche at every forum meeting.",
            DecisionStatus.NOT_AGREED,
            "There is not enough money this year to pay for a creche at every meeting, and many venues "
            "have no safe space for one. Instead, the meetings with the most bookings will have a creche, and "
            "every meeting page says whether there is one.",
            "Parent Participation Team",
            today - timedelta(weeks=5),
            None,
            [],
        ),
    ]
    if len(items) > 5:
        specs.append(
            (
                [5],
                "Children's centres in the district will open one evening a week from the spring.",
                DecisionStatus.AGREED,
                "",
                "District Children's Centre Manager",
                today - timedelta(weeks=2),
                today + timedelta(weeks=12),
                [],
            )
        )
    decisions = []
    for indexes, summary, status, reason, owner, decided_on, due_on, updates in specs:
        decision = Decision(
            summary=summary,
            status=status,
            reason=reason,
            deciding_body=board,
            owner=owner,
            decided_on=decided_on,
            due_on=due_on,
        )
        decision.feedback_items = [items[i] for i in indexes]
        decision.updates = [
            decision.updates.model(date=today - timedelta(weeks=2), text=text) for text in updates
        ]
        decision.full_clean(exclude=["feedback_items"])
        decision.save()
        decision.save_revision().publish()
        decisions.append(decision)
    # The evening meetings are now running: parents hear again because the status changed.
    services.set_status(decisions[1], DecisionStatus.DONE)
    return decisions


LOG_WORDS = {
    "pl": {
        "title": "Powiedzieliście, zrobiliśmy",
        "introduction": "Co powiedzieli nam rodzice, co postanowiono i dlaczego oraz co wydarzyło się od tego czasu.",
    },
    "ne": {
        "title": "तपाईंले भन्नुभयो, हामीले गर्यौं",
        "introduction": "अभिभावकहरूले हामीलाई के भने, के निर्णय भयो र किन, र त्यसपछि के भएको छ।",
    },
}


@hooks.register("parentvoice_load_demo_content")
def load_log_translations(say):
    """The log page's own words in the demo's other languages (docs/languages.md); the decisions it
    lists are the council's records, kept in English."""
    log_page = YouSaidWeDidPage.objects.filter(locale=Locale.get_default()).first()
    if log_page is None:
        return
    for code in DEMO_LANGUAGES:
        if parent_translated(log_page, code):  # not when the log was put under another home page
            translate_demo_page(log_page, code, LOG_WORDS[code])
    say(f"the 'You said, we did' page in {len(DEMO_LANGUAGES)} other languages (example translations)")

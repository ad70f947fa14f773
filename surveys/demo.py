"""Demo consultations, drawn from the seed documents: the Kent 'Think Family' plan's promise to pilot
consultation by web and text message, and Hertfordshire's recommendation of regular consultation
through parent forums. Loaded by `manage.py load_demo_content`."""

import uuid
from datetime import timedelta

from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from messaging import services as messaging
from messaging.choices import CampaignKind, Purpose

from .choices import Anonymity
from .models import ConsultationIndexPage, ConsultationPage


def _choices(*pairs):
    return [{"label": label, "key": key} for key, label in pairs]


def _question(kind, code, label, *, required=True, hint="", show_if=None, **extra):
    value = {"label": label, "hint": hint, "required": required, "code": code, "show_if": show_if or {}}
    value.update(extra)
    return {
        "type": kind,
        "value": value,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"parentvoice-demo/{code}")),
    }


SUPPORT_QUESTIONS = [
    {
        "type": "section",
        "value": {"heading": "Finding help", "text": ""},
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "s1")),
    },
    _question(
        "single_choice",
        "first-place",
        "Where do you go first for information about bringing up children?",
        choices=_choices(
            ("school", "My child's school or nursery"),
            ("childrens-centre", "A children's centre"),
            ("health", "A health visitor, GP or midwife"),
            ("online", "The internet or social media"),
            ("family", "Family and friends"),
        ),
    ),
    _question(
        "scale",
        "ease",
        "How easy is it to find out about services for families near you?",
        low_label="Very hard",
        high_label="Very easy",
    ),
    _question(
        "multiple_choice",
        "would-help",
        "What would help you most as a parent or carer?",
        hint="Select all that apply.",
        other_option=True,
        choices=_choices(
            ("courses", "Parenting courses or groups"),
            ("talk", "Someone to talk to when things are hard"),
            ("activities", "Things to do together as a family"),
            ("money", "Help with money, housing or work"),
            ("behaviour", "Help with my child's behaviour"),
            ("childcare", "Affordable childcare"),
        ),
    ),
    {
        "type": "section",
        "value": {"heading": "Having your say", "text": ""},
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "s2")),
    },
    _question(
        "single_choice",
        "forum",
        "Have you been to a parent forum meeting?",
        choices=_choices(("yes", "Yes"), ("no", "No")),
    ),
    _question(
        "free_text",
        "forum-barrier",
        "What would make it easier for you to come to a parent forum meeting?",
        required=False,
        show_if={"question": "forum", "answer": "no"},
        max_length=500,
    ),
    _question(
        "single_choice",
        "how-asked",
        "How would you like us to ask your views in future?",
        choices=_choices(
            ("text", "By text message"),
            ("online", "Online surveys"),
            ("meetings", "Meetings at a school or children's centre"),
            ("phone", "A phone call"),
        ),
    ),
    _question(
        "number",
        "children",
        "How many children under 18 do you look after?",
        required=False,
        min_value=0,
        max_value=20,
    ),
    _question(
        "free_text",
        "anything-else",
        "Is there anything else you want to tell us?",
        required=False,
        max_length=1000,
    ),
]


@hooks.register("parentvoice_load_demo_content")
def load_surveys_demo(say):
    home = Page.objects.filter(depth=2).first().specific
    index = ConsultationIndexPage.objects.first()
    if index is None:
        index = ConsultationIndexPage(
            title="Have your say",
            slug="have-your-say",
            show_in_menus=True,
            introduction="Answer a consultation online or by text message. You do not need an account.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    page = ConsultationPage.objects.filter(slug="support-for-parents").first()
    if page is None:
        now = timezone.now()
        page = ConsultationPage(
            title="Support for parents and carers in Kent",
            slug="support-for-parents",
            summary="Tell us where you find help with bringing up children, and what would help you most.",
            why_asking="<p>The Kent Children's Trust promised to listen to mothers, fathers and carers and to "
            "try new ways of asking, including by text message. What you tell us will shape the support "
            "offered through schools, children's centres and parent forums.</p>",
            what_happens_next="<p>We will share a summary of what parents said with the Kent Children's Trust "
            "board, and publish what we decide to do in 'You said, we did'.</p>",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=28),
            sms_keyword="SUPPORT",
            # Linked, so a text from a known number is linked to its contact and the demo's "Done when"
            # (web, text and paper respondents all told) can be played on an open consultation.
            anonymity=Anonymity.LINKED,
            questions=SUPPORT_QUESTIONS,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    from .demo_easy_read import load_easy_read_demo

    load_easy_read_demo(page, say)
    messaging.draft_campaign(
        name="Demo: invite parents to 'Support for parents and carers in Kent'",
        kind=CampaignKind.CONSULTATION_INVITATION,
        purpose=Purpose.CONSULTATIONS,
        title=page.title,
        link_personaliser=f"consultation:{page.pk}",
        sms_template=(
            "((name)), have your say on support for parents in Kent: ((link)) or reply YES to answer by text."
        ),
        email_subject="Have your say: ((title))",
        email_template=(
            "Hello ((name)),\n\nWe want to hear from mothers, fathers and carers about ((title)). "
            "It takes about 5 minutes and you can skip any question.\n\nHave your say: ((link))\n\n"
            "We will tell you what we decide."
        ),
    )
    _play_demo_texts(page)
    say("consultation index, an open consultation, its invitation campaign and three text conversations")
    from .demo_partners import load_partner_demo

    load_partner_demo(say)


DEMO_TEXTS = {
    # Drama numbers (Ofcom 07700 900xxx): never a real person's phone.
    "+447700900301": [
        *("SUPPORT", "3", "2", "1 4", "no", "A creche and meetings after school", "1", "2", "SKIP"),
        *("2", "2 3", "9"),  # About you: a father of children aged 5 to 15, in the ninth district
    ],
    "+447700900302": ["Support", "5", "9", "4"],
    # A disclosure: the term list flags it and the safeguarding lead's queue has one open case.
    "+447700900303": [
        *("SUPPORT", "2", "3", "2", "no", "SKIP", "2", "1"),
        "Things are hard at home. My partner hits me and the kids are scared of him",
        *("1", "1", "4"),
    ],
}


def _play_demo_texts(page):
    """Three parents answering by text, through the same inbound handling the webhook uses."""
    from .models import SmsConversation

    if SmsConversation.objects.filter(consultation=page).exists():
        return
    for phone, texts in DEMO_TEXTS.items():
        for number, body in enumerate(texts):
            messaging.receive_sms(
                provider_ref=f"SMdemo{phone[-3:]}{number:026d}",
                from_number=phone,
                to_number="+447700900000",
                body=body,
            )

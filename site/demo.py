"""Demo content for `make demo`: districts, the home page and standard pages drawn from the Kent
Children's Trust documents in shared/seeds/, site settings and one user per role. Safe to run again:
everything is looked up by a stable key and updated in place."""

import uuid
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail import hooks
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.blocks import StreamValue
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from .accounts import roles
from .models import District, HomePage, SiteSettings, StandardPage

DEMO_PASSWORD = "parent-voice-demo"  # noqa: S105 - printed by `make demo`; demo data only

# Kent's 12 districts and Medway (a unitary authority), with their ONS codes.
DISTRICTS = [
    ("Ashford", "E07000105"),
    ("Canterbury", "E07000106"),
    ("Dartford", "E07000107"),
    ("Dover", "E07000108"),
    ("Folkestone and Hythe", "E07000112"),
    ("Gravesham", "E07000109"),
    ("Maidstone", "E07000110"),
    ("Medway", "E06000035"),
    ("Sevenoaks", "E07000111"),
    ("Swale", "E07000113"),
    ("Thanet", "E07000114"),
    ("Tonbridge and Malling", "E07000115"),
    ("Tunbridge Wells", "E07000116"),
]

DEMO_USERS = [
    # (email, first name, last name, group or None, superuser)
    ("admin@example.org", "Ada", "Admin", None, True),
    ("officer@example.org", "Olu", "Officer", roles.CONSULTATION_OFFICERS, False),
    ("coordinator@example.org", "Cara", "Coordinator", roles.FORUM_COORDINATORS, False),
    ("decisions@example.org", "Dev", "Decider", roles.DECISION_MAKERS, False),
    ("safeguarding@example.org", "Sam", "Safeguarding", roles.SAFEGUARDING_LEADS, False),
    ("actionlead@example.org", "Lee", "Lead", roles.ACTION_LEADS, False),
    ("parent@example.org", "Pat", "Parent", None, False),
]


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def bullets(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


HOME_INTRODUCTION = (
    "Tell us what it is like to bring up children in Kent. Answer a consultation online or by text "
    "message, come to a parent forum near you, and see what changed because parents spoke up."
)

HOME_BODY = [
    heading("Every mother, father and carer has a voice"),
    paragraph(
        "<p>The Kent Children's Trust promised that parents can expect to be <b>involved and listened to</b>, "
        "and to get ongoing feedback. Parent Voice is how we keep that promise: we ask, we publish what you "
        "told us, and we record what we did about it.</p>"
    ),
    paragraph(
        "<p>You do not need an account to take part. You can answer by text message if you do not have "
        "the internet at home.</p>"
    ),
]

PAGES = [
    {
        "slug": "parents-charter",
        "title": "The Parents' Charter",
        "show_in_menus": True,
        "introduction": "What mothers, fathers and carers in Kent can expect from services, and what parents "
        "told us they want to do for their children.",
        "body": [
            heading("What parents can expect"),
            heading("To be involved and listened to", "h3"),
            paragraph("<p>We commit to:</p>" + bullets(["listen to your opinion", "give ongoing feedback"])),
            heading("Access to high quality staff and services", "h3"),
            paragraph(
                "<p>Mothers, fathers and carers can:</p>"
                + bullets(
                    [
                        "get help when they need it",
                        "get help from professionals quickly",
                        "receive clear information about how to get help",
                        "work with trained staff",
                        "be given the same help as everyone else",
                        "have one main point of contact",
                    ]
                )
            ),
            heading("Respect", "h3"),
            paragraph(
                "<p>Parents can expect to:</p>"
                + bullets(
                    [
                        "be treated as an expert on their child",
                        "have their responsibilities as a parent acknowledged",
                        "be treated as an individual",
                        "be treated with respect at all times",
                        "have help and information available to extended family members",
                    ]
                )
            ),
            heading("What parents feel they should do for their children"),
            heading("Make children feel loved and important", "h3"),
            paragraph(
                bullets(
                    [
                        "Love them and listen to them",
                        "Help them become well adjusted and have good self-esteem",
                        "Make sure they go to school on time every day and encourage them to learn",
                        "Provide a healthy diet and encourage them to be well, fit and active",
                        "Give them the right information to make the right choices about drinking and drugs",
                        "Provide a stable home",
                        "Talk to them about sex and being responsible",
                    ]
                )
            ),
            heading("Teach children to be part of a community", "h3"),
            paragraph(
                bullets(
                    [
                        "Teach them the difference between right and wrong and to accept the consequences of "
                        "their actions",
                        "Teach respect by example and be a role model",
                        "Be fair, loving and kind in the way we treat them and everyone around them",
                    ]
                )
            ),
            heading("Help children become adults", "h3"),
            paragraph(
                bullets(
                    [
                        "Help them stand on their own two feet",
                        "Help them deal with the world as it really is, like peer pressure and life skills",
                    ]
                )
            ),
            {
                "type": "inset_text",
                "value": "From the Kent Children's Trust Parents' Charter, part of the 'Think Family' plan for "
                "supporting parents.",
            },
        ],
    },
    {
        "slug": "our-principles",
        "title": "Our principles for working with parents",
        "show_in_menus": True,
        "introduction": "The principles the Kent Children's Trust agreed to guide how services work with "
        "mothers, fathers and carers.",
        "body": [
            paragraph(
                "<ol>"
                + "".join(
                    f"<li>{p}</li>"
                    for p in [
                        "The wellbeing of children and young people is the responsibility of all people, "
                        "agencies and services in contact with them.",
                        "Working in partnership includes parents, carers, children and young people, as well as "
                        "statutory, voluntary and community organisations.",
                        "The views of parents, carers and children must be reflected in how services develop.",
                        "We are committed to continuous improvement in quality, standards and training.",
                        "Engaging and building relationships with parents helps them build on their own "
                        "strengths and make informed choices about the services they use.",
                        "Diversity and difference are valued and respected and do not stop anyone using "
                        "services.",
                        "All agencies use a common, plain language so that what services offer is clear.",
                        "We promote respect for, and value the involvement of, parents and carers at all "
                        "levels.",
                        "Services are flexible and organised around the views of the parents, carers, children "
                        "and young people who use them, who will influence what we do.",
                        "Evidence, research, evaluation and monitoring outcomes underpin how services are "
                        "planned.",
                        "Support is available in line with need, in welcoming local places such as children's "
                        "centres and schools.",
                        "All agencies value the role of the extended family and family networks.",
                        "The role of a parent changes but does not stop.",
                        "We take a positive, consistent approach to helping parents respond to concerns about "
                        "their children's behaviour.",
                        "Parents are the key to making sure every child matters.",
                    ]
                )
                + "</ol>"
            ),
        ],
    },
    {
        "slug": "accessibility-statement",
        "title": "Accessibility statement for Parent Voice",
        "show_in_menus": False,
        "introduction": "This statement applies to the Parent Voice website, run by Kent County Council for the "
        "Kent Children's Trust.",
        "body": [
            paragraph(
                "<p>We want as many people as possible to be able to use this website. For example, that "
                "means you should be able to:</p>"
                + bullets(
                    [
                        "change colours, contrast levels and fonts using browser or device settings",
                        "zoom in up to 400% without the text spilling off the screen",
                        "navigate most of the website using a keyboard or speech recognition software",
                        "listen to most of the website using a screen reader",
                        "answer every consultation by text message instead of online",
                    ]
                )
                + "<p>We have also made the text as simple as possible to understand.</p>"
            ),
            heading("How accessible this website is"),
            paragraph(
                "<p>We test every public page against the Web Content Accessibility Guidelines (WCAG) 2.2 "
                "AA standard with automated checks in a real browser each time we change the website. "
                "Automated checks do not find every problem, and we have not yet had a full manual audit.</p>"
            ),
            heading("Feedback and contact information"),
            paragraph(
                "<p>If you need information on this website in a different format, like large print, easy "
                "read, audio or another language, contact the parent participation team using the details "
                "at the bottom of this page. We will reply within 5 working days.</p>"
            ),
            heading("Enforcement procedure"),
            paragraph(
                "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
                "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If "
                "you are not happy with how we respond to your complaint, contact the Equality Advisory and "
                "Support Service (EASS).</p>"
            ),
            heading("Compliance status"),
            paragraph(
                "<p>This website is partially compliant with the WCAG version 2.2 AA standard, until a full "
                "manual audit has been completed.</p>"
            ),
        ],
    },
    {
        "slug": "privacy-notice",
        "title": "Privacy notice",
        "show_in_menus": False,
        "introduction": "How Kent County Council uses the information you give Parent Voice.",
        "body": [
            heading("Who we are"),
            paragraph(
                "<p>Kent County Council is the data controller for Parent Voice. It runs the service for the "
                "Kent Children's Trust.</p>"
            ),
            heading("What we collect and why"),
            paragraph(
                bullets(
                    [
                        "Your answers to consultations, so we can report what parents told us and act on it. "
                        "You can answer anonymously.",
                        "Your mobile number or email address, only if you ask us to keep you informed, so we can "
                        "send invitations and tell you what happened because of what parents said.",
                        "Your district and, if you choose to tell us, whether you are a mother, father, "
                        "grandparent or carer and the ages of your children, so we can check we are hearing "
                        "from all kinds of families.",
                    ]
                )
            ),
            heading("Our lawful basis"),
            paragraph(
                "<p>We consult parents as part of our public task (UK GDPR Article 6(1)(e)). We only send you "
                "text messages or emails if you have agreed to receive them, and you can stop them at any "
                "time by replying STOP or using the unsubscribe link in every message.</p>"
            ),
            heading("Who we share it with"),
            paragraph(
                "<p>We never publish your name, phone number, email address or anything you wrote in your "
                "own words. Results are published as totals, and we never show a total of fewer than 5 "
                "people. Our text message and email providers process your contact details on our behalf "
                "and only to send our messages.</p>"
            ),
            heading("If you tell us a child is at risk"),
            paragraph(
                "<p>If something you write or text makes us worried that a child is at risk of harm, a "
                "safeguarding lead at the council reads it and may pass it on to our children's services "
                "front door to keep the child safe, without asking you first. We keep a record of what we "
                "did and why. If a child is in danger now, call 999.</p>"
            ),
            heading("How long we keep it"),
            paragraph(
                bullets(
                    [
                        "Bookings for meetings: your name, contact details and access needs are removed 8 weeks "
                        "after the meeting. We keep how many people came.",
                        "Messages to a forum: deleted 8 weeks after they arrive.",
                        "Text messages you send us: deleted 30 days after we publish what we decided, and "
                        "always within a year.",
                        "Consultation answers: kept, but no longer linked to you 90 days after we publish what "
                        "we decided.",
                        "Messages we send you: the words and your address are removed after 6 months.",
                        "Your contact details: kept while you want to hear from us; removed after 3 years if you "
                        "have not agreed to anything and we have not heard from you.",
                    ]
                )
            ),
            heading("Your rights"),
            paragraph(
                "<p>You can ask for a copy of everything we hold about you, and ask us to delete it. We will "
                "reply within one month. If you ask us to delete it, we keep your answers without anything "
                "that links them to you, and if you asked us to stop texting or emailing you, we keep a "
                "scrambled code of your number or address so that we never contact you again. You can also "
                "correct your details or object to how we use them. Contact the parent participation team "
                "using the details at the bottom of this page. You can also complain to the Information "
                "Commissioner's Office.</p>"
            ),
            heading("For our data protection officer"),
            paragraph(
                "<p>The full retention table, our lawful bases and the notes for our data protection impact "
                "assessment are in the Parent Voice documentation: data protection (docs/data-protection.md) "
                "and safeguarding (docs/safeguarding.md).</p>"
            ),
        ],
    },
    {
        "slug": "cookies",
        "title": "Cookies",
        "show_in_menus": False,
        "introduction": "Parent Voice puts small files (known as 'cookies') on your computer or phone.",
        "body": [
            paragraph(
                "<p>We only use cookies that make the website work. We do not use analytics or advertising "
                "cookies, so we do not ask for your consent.</p>"
                + bullets(
                    [
                        "<b>sessionid</b> remembers your answers while you go through a consultation, and that "
                        "you are signed in if you have an account. It expires after 12 hours.",
                        "<b>csrftoken</b> protects the forms on this website from misuse. It expires after "
                        "1 year.",
                    ]
                )
            ),
        ],
    },
]


@transaction.atomic
def load_demo_content(stdout=None):
    def say(message):
        if stdout is not None:
            stdout.write(message)

    for name, ons_code in DISTRICTS:
        District.objects.update_or_create(
            ons_code=ons_code, defaults={"name": name, "slug": name.lower().replace(" ", "-")}
        )
    say(f"{len(DISTRICTS)} districts")

    home = _home_page()
    pages = {spec["slug"]: _standard_page(home, spec) for spec in PAGES}
    say(f"home page and {len(pages)} standard pages")
    for code in DEMO_LANGUAGES:
        translate_demo_page(home, code, _home_words(home, code))
    say(f"the home page in {len(DEMO_LANGUAGES)} other languages (example translations)")

    site = Site.objects.get(root_page=home)
    site_settings = SiteSettings.for_site(site)
    site_settings.council_name = "Kent County Council"
    site_settings.council_url = "https://www.kent.gov.uk"
    site_settings.contact_email = "parentvoice@example.org"
    site_settings.contact_phone = "01632 960 000"
    site_settings.contact_hours = "Monday to Friday, 9am to 5pm"
    site_settings.accessibility_statement_page = pages["accessibility-statement"]
    site_settings.privacy_notice_page = pages["privacy-notice"]
    site_settings.cookies_page = pages["cookies"]
    site_settings.save()

    roles.sync_roles()
    for email, first_name, last_name, group_name, superuser in DEMO_USERS:
        _demo_user(email, first_name, last_name, group_name, superuser)
    say(f"{len(DEMO_USERS)} demo users (password: {DEMO_PASSWORD})")
    # Each domain app adds its own demo content, so this module imports none of them.
    for load_app_demo in hooks.get_hooks("parentvoice_load_demo_content"):
        load_app_demo(say)
    return home


def _home_page():
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _tree_root()
        # Replace Wagtail's placeholder "Welcome" page with ours.
        placeholder = Page.objects.filter(depth=2, slug="home").first()
        if placeholder is not None:
            placeholder.slug = "welcome-placeholder"
            placeholder.save()
        home = HomePage(title="Parent Voice", slug="home", introduction=HOME_INTRODUCTION, body=HOME_BODY)
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Parent Voice"},
        )
        if placeholder is not None:
            placeholder.delete()
    return home


def _tree_root():
    """Wagtail's migrations create the tree root and default locale; recreate them on a flushed database."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    return Page.add_root(
        instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
    )


def _standard_page(home, spec):
    """Create the page once; later runs leave it alone so editors' changes are kept."""
    page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
    if page is None:
        page = StandardPage(
            slug=spec["slug"],
            title=spec["title"],
            introduction=spec["introduction"],
            show_in_menus=spec["show_in_menus"],
            body=spec["body"],
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def _demo_user(email, first_name, last_name, group_name, superuser):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


# --- The demo in other languages (docs/languages.md) -------------------------------------------
# Polish and Nepali: two of the community languages of Kent. The demo's translations were written for
# the demo and no qualified translator has checked them: every translated consultation (and the home
# page) says so, in its language and in English.
DEMO_LANGUAGES = ("pl", "ne")
EXAMPLE_NOTE_EN = (
    "This translation is an example made for the demo and has not been checked by a qualified translator."
)
EXAMPLE_NOTES = {
    "pl": "To tłumaczenie jest przykładem przygotowanym do wersji demonstracyjnej i nie zostało sprawdzone "
    "przez wykwalifikowanego tłumacza.",
    "ne": "यो अनुवाद डेमोका लागि बनाइएको उदाहरण मात्र हो। योग्य अनुवादकले यसलाई जाँच गरेका छैनन्।",
}

HOME_WORDS = {
    "pl": {
        "introduction": "Powiedz nam, jak wygląda wychowywanie dzieci w hrabstwie Kent. Odpowiedz na konsultację "
        "przez internet lub SMS-em, przyjdź na forum rodziców w swojej okolicy i zobacz, co się zmieniło dzięki "
        "temu, że rodzice zabrali głos.",
        "body": [
            heading("Każda matka, każdy ojciec i każdy opiekun ma głos"),
            paragraph(
                "<p>Kent Children's Trust obiecał, że rodzice będą <b>włączani w decyzje i wysłuchani</b> oraz "
                "że będą na bieżąco dowiadywać się, co z tego wynikło. Parent Voice to sposób, w jaki "
                "dotrzymujemy tej obietnicy: pytamy, publikujemy to, co nam powiedzieliście, i zapisujemy, co "
                "z tym zrobiliśmy.</p>"
            ),
            paragraph(
                "<p>Nie potrzebujesz konta, aby wziąć udział. Jeśli nie masz internetu w domu, możesz "
                "odpowiadać SMS-em.</p>"
            ),
        ],
    },
    "ne": {
        "introduction": "केन्टमा बालबालिका हुर्काउँदा कस्तो अनुभव हुन्छ, हामीलाई भन्नुहोस्। अनलाइन वा टेक्स्ट "
        "सन्देशबाट परामर्शको जवाफ दिनुहोस्, तपाईंको नजिकैको अभिभावक फोरममा आउनुहोस्, र अभिभावकहरूले आवाज "
        "उठाएकाले के परिवर्तन भयो हेर्नुहोस्।",
        "body": [
            heading("हरेक आमा, बुबा र हेरचाहकर्ताको आवाज हुन्छ"),
            paragraph(
                "<p>केन्ट चिल्ड्रेन्स ट्रस्टले वचन दिएको छ कि अभिभावकहरूलाई <b>निर्णयमा सहभागी गराइनेछ र "
                "उनीहरूको कुरा सुनिनेछ</b>, र त्यसपछि के भयो भनेर उनीहरूलाई निरन्तर जानकारी दिइनेछ। Parent "
                "Voice त्यो वचन पूरा गर्ने हाम्रो तरिका हो: हामी सोध्छौं, तपाईंले भनेका कुरा प्रकाशित गर्छौं, "
                "र त्यसबारे हामीले के गर्यौं भनेर लेखेर राख्छौं।</p>"
            ),
            paragraph(
                "<p>भाग लिन तपाईंलाई खाता चाहिँदैन। घरमा इन्टरनेट छैन भने तपाईं टेक्स्ट सन्देशबाट जवाफ दिन सक्नुहुन्छ।</p>"
            ),
        ],
    },
}


def example_note(language_code: str) -> str:
    """The demo translation's warning in its language, then in English, for the top of a page."""
    return f"{EXAMPLE_NOTES[language_code]} ({EXAMPLE_NOTE_EN})"


def translated_stream(source: StreamValue, blocks: list[dict], *, before: list[dict] = ()) -> list[dict]:
    """`blocks` (raw {"type", "value"} dicts, one for each of `source`'s blocks in order) given the ids
    of `source`'s blocks, as Wagtail's Translate keeps them; `before` (with ids of their own) goes
    first. If the English page no longer has the same blocks, the words go in with new ids."""
    raw = source.get_prep_value()
    if [block["type"] for block in raw] == [block["type"] for block in blocks]:
        blocks = [{**block, "id": original["id"]} for original, block in zip(raw, blocks, strict=True)]
    return [*before, *blocks]


def parent_translated(page: Page, language_code: str) -> bool:
    """Whether `page` can be translated into `language_code` as the admin allows: its parent is."""
    parent = page.get_parent()
    locale = Locale.objects.filter(language_code=language_code).first()
    return parent.is_root() or (locale is not None and parent.get_translation_or_none(locale) is not None)


def translate_demo_page(
    page: Page, language_code: str, fields: dict, *, edit: Callable[[Page], bool] | None = None
) -> Page:
    """`page` in `language_code`, made as an officer's "Translate" makes it (Wagtail's
    CopyPageForTranslationAction: same translation key, block ids and child objects) with `fields`
    set, and published. Its parent must be translated first, as in the admin. Loading the demo again
    updates the same translation, and publishes only if its words differ, so a second run adds no
    page and no revision. `edit` changes what `fields` cannot (a child object such as a consultation's
    documents) on the translation before it is saved, and says whether it changed anything."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = CopyPageForTranslationAction(page=page, locale=locale, copy_parents=False).execute(
            skip_permission_checks=True
        )
    elif translation.alias_of_id is not None:
        # An alias shows the English words; the admin's "Translate this page" converts it the same way.
        ConvertAliasPageAction(translation).execute(skip_permission_checks=True)
    translation = Page.objects.get(pk=translation.pk).specific
    edited = edit(translation) if edit is not None else False
    if (
        translation.live
        and not translation.has_unpublished_changes
        and not edited
        and _has_fields(translation, fields)
    ):
        return translation
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def _has_fields(page: Page, fields: dict) -> bool:
    def stored(name, value):
        field = page._meta.get_field(name)
        if not isinstance(field, StreamField):
            return value
        if not isinstance(value, StreamValue):
            value = field.stream_block.to_python(value)
        # Each block as saving stores it (defaults filled in), so raw words compare with saved ones.
        return _without_item_ids(
            [
                {"type": child.block_type, "value": child.block.get_prep_value(child.value), "id": child.id}
                for child in value
            ]
        )

    return all(stored(name, getattr(page, name)) == stored(name, value) for name, value in fields.items())


def _without_item_ids(data):
    # Saving gives each list item (a question's choices) a new random id: words are what matter here.
    if isinstance(data, list):
        return [_without_item_ids(item) for item in data]
    if isinstance(data, dict):
        if data.get("type") == "item" and set(data) == {"type", "value", "id"}:
            return _without_item_ids(data["value"])
        return {key: _without_item_ids(value) for key, value in data.items()}
    return data


def _home_words(home: HomePage, language_code: str) -> dict:
    words = HOME_WORDS[language_code]
    note = {
        "type": "inset_text",
        "value": example_note(language_code),
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"parentvoice-demo/home-note/{language_code}")),
    }
    return {
        "title": home.title,  # the service's name, which stays the same in every language
        "introduction": words["introduction"],
        "body": translated_stream(home.body, words["body"], before=[note]),
    }

"""The main demo consultation, "Support for parents and carers in Kent", in Polish and Nepali
(docs/languages.md): its index page and the consultation translated as an officer would (Wagtail's
Translate, then every word replaced in the draft, then published), each with its own text keyword;
a few parents who read Polish or Nepali as contacts; and some answers in each language, stored as
real ones are, so the results' language breakdown has something in it.

The translations are examples written for the demo and not checked by a qualified translator: each
translated consultation starts by saying so. Only words change: question ids, codes, choice keys and
the order are the English page's, so every answer lands in the one result set."""

import copy

from wagtail import hooks
from wagtail.models import Locale

from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, ConsentSource, ParentRole, Purpose
from messaging.models import Contact
from parentvoice.demo import DEMO_LANGUAGES, example_note, parent_translated, translate_demo_page
from parentvoice.models import District

from . import services
from .about_you import AGES_ID, DISTRICT_ID, ROLE_ID
from .choices import ResponseChannel
from .models import ConsultationIndexPage, ConsultationPage, Response

MAIN_CONSULTATION_SLUG = "support-for-parents"

INDEX_WORDS = {
    "pl": {
        "title": "Wyraź swoje zdanie",
        "introduction": "Odpowiedz na konsultację przez internet lub SMS-em. Nie potrzebujesz konta.",
    },
    "ne": {
        "title": "आफ्नो कुरा भन्नुहोस्",
        "introduction": "अनलाइन वा टेक्स्ट सन्देशबाट परामर्शको जवाफ दिनुहोस्। तपाईंलाई खाता चाहिँदैन।",
    },
}

# Each language's words for the main consultation. Questions are found by their code and choices by
# their key; sections by their English heading.
CONSULTATION_WORDS = {
    "pl": {
        "sms_keyword": "ANKIETA",
        "title": "Wsparcie dla rodziców i opiekunów w hrabstwie Kent",
        "summary": "Powiedz nam, gdzie szukasz pomocy w wychowywaniu dzieci i co najbardziej by Ci pomogło.",
        "who_for": "Rodzice i opiekunowie dzieci i młodzieży w hrabstwie Kent",
        "why_asking": "<p>Kent Children's Trust obiecał słuchać matek, ojców i opiekunów oraz próbować nowych "
        "sposobów pytania ich o zdanie, także przez SMS. To, co nam powiesz, wpłynie na wsparcie oferowane "
        "przez szkoły, centra dla dzieci i rodzin (children's centres) oraz fora rodziców.</p>",
        "what_happens_next": "<p>Podsumowanie tego, co powiedzieli rodzice, przekażemy zarządowi Kent Children's "
        "Trust, a to, co postanowimy zrobić, opublikujemy w dziale „Powiedzieliście, zrobiliśmy” "
        "(You said, we did).</p>",
        "sections": {"Finding help": "Szukanie pomocy", "Having your say": "Twoje zdanie"},
        "questions": {
            "first-place": {
                "label": "Gdzie najpierw szukasz informacji o wychowywaniu dzieci?",
                "choices": {
                    "school": "W szkole lub przedszkolu mojego dziecka",
                    "childrens-centre": "W centrum dla dzieci i rodzin (children's centre)",
                    "health": "U pielęgniarki środowiskowej (health visitor), lekarza rodzinnego lub położnej",
                    "online": "W internecie lub w mediach społecznościowych",
                    "family": "U rodziny i znajomych",
                },
            },
            "ease": {
                "label": "Jak łatwo jest dowiedzieć się o usługach dla rodzin w Twojej okolicy?",
                "low_label": "Bardzo trudno",
                "high_label": "Bardzo łatwo",
            },
            "would-help": {
                "label": "Co najbardziej pomogłoby Ci jako rodzicowi lub opiekunowi?",
                "hint": "Zaznacz wszystkie pasujące odpowiedzi.",
                "choices": {
                    "courses": "Kursy lub grupy dla rodziców",
                    "talk": "Ktoś, z kim można porozmawiać, gdy jest ciężko",
                    "activities": "Zajęcia, które możemy robić razem jako rodzina",
                    "money": "Pomoc w sprawach pieniędzy, mieszkania lub pracy",
                    "behaviour": "Pomoc w radzeniu sobie z zachowaniem mojego dziecka",
                    "childcare": "Opieka nad dziećmi w przystępnej cenie",
                },
            },
            "forum": {
                "label": "Czy zdarzyło Ci się być na spotkaniu forum rodziców?",
                "choices": {"yes": "Tak", "no": "Nie"},
            },
            "forum-barrier": {"label": "Co ułatwiłoby Ci przyjście na spotkanie forum rodziców?"},
            "how-asked": {
                "label": "Jak mamy w przyszłości pytać Cię o zdanie?",
                "choices": {
                    "text": "SMS-em",
                    "online": "Przez ankiety internetowe",
                    "meetings": "Na spotkaniach w szkole lub w centrum dla dzieci i rodzin",
                    "phone": "Telefonicznie",
                },
            },
            "children": {"label": "Iloma dziećmi poniżej 18 lat się opiekujesz?"},
            "anything-else": {"label": "Czy chcesz nam powiedzieć coś jeszcze?"},
        },
    },
    "ne": {
        "sms_keyword": "SARVEKSHAN",
        "title": "केन्टका आमाबुबा र हेरचाहकर्ताहरूका लागि सहयोग",
        "summary": "बालबालिका हुर्काउन तपाईं कहाँबाट सहयोग पाउनुहुन्छ र तपाईंलाई सबैभन्दा बढी के कुराले मद्दत "
        "गर्छ, हामीलाई भन्नुहोस्।",
        "who_for": "केन्टमा बालबालिका र युवाहरूका आमाबुबा तथा हेरचाहकर्ताहरू",
        "why_asking": "<p>केन्ट चिल्ड्रेन्स ट्रस्टले आमा, बुबा र हेरचाहकर्ताहरूको कुरा सुन्ने र टेक्स्ट सन्देशसहित "
        "राय सोध्ने नयाँ तरिकाहरू अपनाउने वचन दिएको छ। तपाईंले भनेका कुराले विद्यालय, चिल्ड्रेन्स सेन्टर र "
        "अभिभावक फोरमहरूबाट पाइने सहयोगलाई आकार दिनेछ।</p>",
        "what_happens_next": "<p>अभिभावकहरूले भनेका कुराको सारांश हामी केन्ट चिल्ड्रेन्स ट्रस्टको बोर्डलाई "
        "दिनेछौं, र हामीले के गर्ने निर्णय गर्यौं भन्ने कुरा 'तपाईंले भन्नुभयो, हामीले गर्यौं' (You said, we "
        "did) मा प्रकाशित गर्नेछौं।</p>",
        "sections": {"Finding help": "सहयोग खोज्दा", "Having your say": "तपाईंको राय"},
        "questions": {
            "first-place": {
                "label": "बालबालिका हुर्काउनेबारे जानकारीका लागि तपाईं सबैभन्दा पहिले कहाँ जानुहुन्छ?",
                "choices": {
                    "school": "मेरो बच्चाको विद्यालय वा नर्सरी",
                    "childrens-centre": "चिल्ड्रेन्स सेन्टर (बालबालिका केन्द्र)",
                    "health": "हेल्थ भिजिटर, जीपी (डाक्टर) वा मिडवाइफ",
                    "online": "इन्टरनेट वा सामाजिक सञ्जाल",
                    "family": "परिवार र साथीभाइ",
                },
            },
            "ease": {
                "label": "तपाईंको नजिकै परिवारहरूका लागि भएका सेवाहरूबारे थाहा पाउन कत्तिको सजिलो छ?",
                "low_label": "धेरै गाह्रो",
                "high_label": "धेरै सजिलो",
            },
            "would-help": {
                "label": "आमाबुबा वा हेरचाहकर्ताको रूपमा तपाईंलाई सबैभन्दा बढी के कुराले मद्दत गर्छ?",
                "hint": "लागू हुने सबै छान्नुहोस्।",
                "choices": {
                    "courses": "अभिभावकहरूका लागि कक्षा वा समूहहरू",
                    "talk": "गाह्रो पर्दा कुरा गर्ने कोही",
                    "activities": "परिवारसँगै गर्न सकिने क्रियाकलापहरू",
                    "money": "पैसा, आवास वा कामसम्बन्धी सहयोग",
                    "behaviour": "मेरो बच्चाको व्यवहारसम्बन्धी सहयोग",
                    "childcare": "सस्तो बाल हेरचाह (चाइल्डकेयर)",
                },
            },
            "forum": {
                "label": "के तपाईं कहिल्यै अभिभावक फोरमको बैठकमा जानुभएको छ?",
                "choices": {"yes": "हो", "no": "होइन"},
            },
            "forum-barrier": {"label": "अभिभावक फोरमको बैठकमा आउन तपाईंलाई के कुराले सजिलो बनाउँछ?"},
            "how-asked": {
                "label": "भविष्यमा हामीले तपाईंको राय कसरी सोधौं?",
                "choices": {
                    "text": "टेक्स्ट सन्देशबाट",
                    "online": "अनलाइन सर्वेक्षणबाट",
                    "meetings": "विद्यालय वा चिल्ड्रेन्स सेन्टरमा हुने बैठकमा",
                    "phone": "फोन गरेर",
                },
            },
            "children": {"label": "तपाईं १८ वर्षमुनिका कतिजना बालबालिकाको हेरचाह गर्नुहुन्छ?"},
            "anything-else": {"label": "के तपाईं हामीलाई अरू केही भन्न चाहनुहुन्छ?"},
        },
    },
}

# The consultation's documents are in English: a translation's link says so. By the English link text.
DOCUMENT_WORDS = {
    "pl": {
        "Full proposal": "Pełna propozycja (po angielsku)",
        "The questions, to read before you start": "Pytania do przeczytania przed rozpoczęciem (po angielsku)",
    },
    "ne": {
        "Full proposal": "पूरा प्रस्ताव (अंग्रेजीमा)",
        "The questions, to read before you start": "सुरु गर्नुअघि पढ्नका लागि प्रश्नहरू (अंग्रेजीमा)",
    },
}

# Invented parents who read Polish or Nepali; drama numbers (Ofcom 07700 900xxx) and example.org
# addresses, so nobody real is ever contacted. (language, name, email, mobile, district, role)
LANGUAGE_CONTACTS = [
    ("pl", "Katarzyna", "katarzyna@example.org", "+447700900701", "Thanet", ParentRole.MOTHER),
    ("pl", "Tomasz", None, "+447700900702", "Swale", ParentRole.FATHER),
    ("pl", "Agnieszka", "agnieszka@example.org", None, "Gravesham", ParentRole.MOTHER),
    ("pl", "Marek", "marek@example.org", "+447700900704", "Dartford", ParentRole.FATHER),
    ("ne", "Sita", None, "+447700900705", "Folkestone and Hythe", ParentRole.MOTHER),
    ("ne", "Bishnu", "bishnu@example.org", "+447700900706", "Ashford", ParentRole.FATHER),
    ("ne", "Kamala", "kamala@example.org", None, "Maidstone", ParentRole.GRANDPARENT),
]
CONSENT_WORDING = "Demo data: agreed on the 'Keep me informed' form."

# Answers to the main consultation in each language: (language, channel, contact's name or None for
# someone who answered without a personal link, answers by question code, about you). Five or more in
# each language, so the results' language breakdown shows counts rather than "fewer than 5".
WEB, SMS = ResponseChannel.WEB, ResponseChannel.SMS
LANGUAGE_RESPONSES = [
    ("pl", WEB, "Katarzyna", {"first-place": "school", "ease": "2", "would-help": ["childcare", "activities"],
     "forum": "no", "forum-barrier": "Spotkania wieczorem, kiedy dzieci już śpią, i ktoś, kto mówi po polsku.",
     "how-asked": "online", "children": 2}, ("mother", ["0-4", "5-10"], "thanet")),
    ("pl", SMS, "Tomasz", {"first-place": "family", "ease": "3", "would-help": ["money"], "forum": "no",
     "how-asked": "text", "children": 3}, ("father", ["5-10", "11-15"], "swale")),
    ("pl", WEB, None, {"first-place": "online", "ease": "2", "would-help": ["courses", "talk"], "forum": "no",
     "forum-barrier": "Informacja o spotkaniach po polsku.", "how-asked": "online", "children": 1},
     ("mother", ["0-4"], "thanet")),
    ("pl", SMS, None, {"first-place": "school", "ease": "4", "would-help": ["behaviour"], "forum": "yes",
     "how-asked": "text"}, ("", [], "medway")),
    ("pl", WEB, None, {"first-place": "health", "ease": "1", "would-help": ["childcare", "money"],
     "forum": "no", "how-asked": "meetings", "children": 2,
     "anything-else": "Trudno znaleźć informacje, jeśli angielski nie jest moim pierwszym językiem."},
     ("mother", ["0-4", "5-10"], "gravesham")),
    ("pl", WEB, None, {"first-place": "childrens-centre", "ease": "3", "would-help": ["activities"],
     "forum": "yes", "how-asked": "online", "children": 1}, ("father", ["5-10"], "dartford")),
    ("ne", WEB, "Bishnu", {"first-place": "family", "ease": "2", "would-help": ["courses", "money"],
     "forum": "no", "forum-barrier": "बैठकमा नेपाली बोल्ने कोही भए म आउँथें।", "how-asked": "phone",
     "children": 2}, ("father", ["5-10", "11-15"], "ashford")),
    ("ne", SMS, "Sita", {"first-place": "health", "ease": "3", "would-help": ["talk"], "forum": "no",
     "how-asked": "text", "children": 3}, ("mother", ["0-4", "5-10"], "folkestone-and-hythe")),
    ("ne", WEB, None, {"first-place": "school", "ease": "4", "would-help": ["activities", "childcare"],
     "forum": "yes", "how-asked": "meetings", "children": 2}, ("mother", ["5-10"], "folkestone-and-hythe")),
    ("ne", SMS, None, {"first-place": "family", "ease": "2", "would-help": ["money"], "forum": "no",
     "how-asked": "text"}, ("", [], "maidstone")),
    ("ne", WEB, None, {"first-place": "childrens-centre", "ease": "3", "would-help": ["courses"],
     "forum": "no", "how-asked": "online", "children": 1,
     "anything-else": "अंग्रेजी राम्रोसँग नबुझ्ने आमाबुबाका लागि दोभाषे भए राम्रो हुन्थ्यो।"},
     ("grandparent", ["0-4"], "ashford")),
]  # fmt: skip


@hooks.register("parentvoice_load_demo_content")
def load_languages_demo(say):
    default_locale = Locale.get_default()
    index = ConsultationIndexPage.objects.filter(locale=default_locale).first()
    page = ConsultationPage.objects.filter(locale=default_locale, slug=MAIN_CONSULTATION_SLUG).first()
    if index is None or page is None:
        return
    translations = {}
    for code in DEMO_LANGUAGES:
        if not parent_translated(index, code):  # not when the index was put under another home page
            continue
        translate_demo_page(index, code, INDEX_WORDS[code])
        translations[code] = translate_demo_page(
            page, code, consultation_fields(page, code), edit=document_links(page, code)
        )
    contacts = _language_contacts()
    answered = _language_responses(translations, contacts)
    say(
        f"'{page.title}' in {len(translations)} other languages (example translations), "
        f"{len(contacts)} contacts who read them and {answered} answers in them"
    )


def consultation_fields(page: ConsultationPage, language_code: str) -> dict:
    """Every word of `page` in `language_code`, its questions with the English page's structure."""
    words = CONSULTATION_WORDS[language_code]
    return {
        "title": words["title"],
        "summary": f"{example_note(language_code)} {words['summary']}",
        "who_for": words["who_for"],
        "why_asking": words["why_asking"],
        "what_happens_next": words["what_happens_next"],
        "sms_keyword": words["sms_keyword"],
        "questions": translated_questions(page, words),
    }


def document_links(page: ConsultationPage, language_code: str):
    """An `edit` for translate_demo_page: the translation's copies of `page`'s documents get their link
    text in the language (a document the words do not cover keeps its link text)."""
    english = {document.document_id: document.link_text for document in page.documents.all()}
    words = DOCUMENT_WORDS[language_code]

    def edit(translation: ConsultationPage) -> bool:
        documents = list(translation.documents.all())
        changed = False
        for document in documents:
            wanted = words.get(english.get(document.document_id))
            if wanted and document.title != wanted:
                document.title = wanted
                changed = True
        if changed:
            translation.documents = documents
        return changed

    return edit


def translated_questions(page: ConsultationPage, words: dict) -> list[dict]:
    """`page`'s questions as stored (ids, types, codes, keys, rules) with their words replaced. A
    question the words do not cover keeps its English words rather than losing its place."""
    questions = copy.deepcopy(page.questions.get_prep_value())
    for block in questions:
        value = block["value"]
        if block["type"] == "section":
            value["heading"] = words["sections"].get(value["heading"], value["heading"])
            continue
        question = words["questions"].get(value.get("code"), {})
        for field in ("label", "hint", "low_label", "high_label"):
            if field in question:
                value[field] = question[field]
        labels = question.get("choices", {})
        for choice in value.get("choices") or []:
            choice["label"] = labels.get(choice["key"], choice["label"])
    return questions


def _language_contacts() -> dict[str, Contact]:
    districts = {district.name: district for district in District.objects.all()}
    contacts = {}
    for language, name, email, mobile, district, role in LANGUAGE_CONTACTS:
        lookup = {"email": email} if email else {"mobile": mobile}
        contact, created = Contact.objects.get_or_create(
            **lookup,
            defaults={
                "name": name,
                "mobile": mobile,
                "language": language,
                "district": districts.get(district),
                "parent_role": role,
                "preferred_channel": Channel.SMS if mobile else Channel.EMAIL,
            },
        )
        contacts[name] = contact
        if not created:
            continue
        for channel in (Channel.SMS, Channel.EMAIL):
            address = contact.address_for(channel)
            if address is None:
                continue
            for purpose in (Purpose.CONSULTATIONS, Purpose.OUTCOMES):
                messaging.record_consent(
                    contact,
                    channel=channel,
                    purpose=purpose,
                    granted=True,
                    source=ConsentSource.WEB_FORM,
                    wording=CONSENT_WORDING,
                    evidence=messaging.Evidence(
                        ConfirmedBy.EMAIL_LINK if channel == Channel.EMAIL else ConfirmedBy.SMS_REPLY, address
                    ),
                )
    return contacts


def _language_responses(translations: dict[str, ConsultationPage], contacts: dict[str, Contact]) -> int:
    """Answers given on each translation, through the same service the answering pages use. Once:
    the contacts who answered have a response after the first run."""
    answering = [contacts[name].pk for _, _, name, _, _ in LANGUAGE_RESPONSES if name]
    if Response.objects.filter(contact_id__in=answering).exists():
        return 0
    for language, channel, name, answers, (role, ages, district) in LANGUAGE_RESPONSES:
        page = translations[language]
        ids = {
            child.value["code"]: str(child.id) for child in page.questions if child.block_type != "section"
        }
        given = {ids[code]: _answer(value) for code, value in answers.items()}
        given.update({ROLE_ID: role, AGES_ID: {"keys": ages}, DISTRICT_ID: district})
        services.submit_response(page, given, channel=channel, contact_id=contacts[name].pk if name else None)
    return len(LANGUAGE_RESPONSES)


def _answer(value):
    # A multiple choice answer is stored as its keys; every other answer as given.
    return {"keys": value} if isinstance(value, list) else value

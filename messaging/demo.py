"""Demo contacts and a draft invitation campaign, loaded by `manage.py load_demo_content`.

Mobile numbers are in Ofcom's drama range (07700 900xxx), which belongs to nobody. As with
GOV.UK Notify's test numbers, 07700 900002 fails permanently and 07700 900003 temporarily."""

from wagtail import hooks

from parentvoice.models import District

from . import services
from .choices import CampaignKind, Channel, ConfirmedBy, ConsentSource, ParentRole, Purpose
from .models import Campaign, Contact

DEMO_CONTACTS = 60
FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dami",
    "Eilidh",
    "Femi",
    "Grace",
    "Harjit",
    "Iona",
    "Jack",
    "Kasia",
    "Leon",
]
ROLES = [ParentRole.MOTHER, ParentRole.FATHER, ParentRole.GRANDPARENT, ParentRole.FOSTER_CARER, ""]
WORDING = "Demo data: agreed on the 'Keep me informed' form."
# People who answered the closed demo consultation without a personal link (on the web, by text, on
# paper) and asked to be told what we decide: contacts with an address and no general consent.
# feedback_loop's demo records their follow requests. (channel, address)
DEMO_FOLLOWERS = [
    (Channel.EMAIL, "follower01@example.org"),
    (Channel.EMAIL, "follower02@example.org"),
    (Channel.EMAIL, "follower03@example.org"),
    (Channel.SMS, "+447700900410"),
    (Channel.SMS, "+447700900411"),
    (Channel.SMS, "+447700900412"),
    (Channel.SMS, "+447700900413"),
    (Channel.EMAIL, "follower04@example.org"),
    (Channel.SMS, "+447700900414"),
    (Channel.EMAIL, "follower05@example.org"),
    (Channel.SMS, "+447700900415"),
]


@hooks.register("parentvoice_load_demo_content")
def load_messaging_demo(say):
    districts = list(District.objects.order_by("name"))
    created = 0
    for n in range(DEMO_CONTACTS):
        email = f"parent{n:03d}@example.org" if n % 4 != 0 else None
        mobile = f"+447700900{n:03d}" if n % 5 != 1 or email is None else None
        lookup = {"email": email} if email else {"mobile": mobile}
        contact, is_new = Contact.objects.get_or_create(
            **lookup,
            defaults={
                "name": FIRST_NAMES[n % len(FIRST_NAMES)],
                "mobile": mobile,
                "district": districts[n % len(districts)] if districts else None,
                "parent_role": ROLES[n % len(ROLES)],
                "preferred_channel": Channel.SMS if n % 3 else Channel.EMAIL,
            },
        )
        if not is_new:
            continue
        created += 1
        for channel in (Channel.SMS, Channel.EMAIL):
            if contact.address_for(channel) is None:
                continue
            for purpose in Purpose.values[: 1 + n % 3]:
                services.record_consent(
                    contact,
                    channel=channel,
                    purpose=purpose,
                    granted=True,
                    source=ConsentSource.WEB_FORM,
                    wording=WORDING,
                    evidence=services.Evidence(
                        ConfirmedBy.EMAIL_LINK if channel == Channel.EMAIL else ConfirmedBy.SMS_REPLY,
                        contact.address_for(channel),
                    ),
                )
    for channel, address in DEMO_FOLLOWERS:
        field = "email" if channel == Channel.EMAIL else "mobile"
        Contact.objects.get_or_create(**{field: address}, defaults={"name": "", "preferred_channel": channel})
    Campaign.objects.get_or_create(
        name="Demo: invitation to the parenting support consultation",
        defaults={
            "kind": CampaignKind.CONSULTATION_INVITATION,
            "purpose": Purpose.CONSULTATIONS,
            "title": "support for parents in Kent",
            "link_url": "http://127.0.0.1:8000/",
            "sms_template": "((name)), tell us what would help you as a parent. It takes 5 minutes: ((link))",
            "email_subject": "Have your say on ((title))",
            "email_template": (
                "Hello ((name)),\n\nWe are asking mothers, fathers and carers across Kent what would help them "
                "most. It takes about 5 minutes.\n\nHave your say: ((link))\n\nWe will tell you what we decide."
            ),
        },
    )
    say(f"{created} demo contacts and a draft campaign")

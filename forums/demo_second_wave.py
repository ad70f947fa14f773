"""Demo content for the fora's second wave (issue 17): a county-wide SEND topic forum, a practitioners'
forum with one member, events outside any forum (an information evening, a transition evening, a
drop-in), meetings written up or overdue for their write-up, a meeting with no agenda five days out,
and a link to a parent's own page waiting in the outbox.

Registered from `forums/demo.py` so it runs after the district fora exist. Each part looks for what it
made before, so loading the demo again adds nothing."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail import hooks

from messaging import services as messaging
from messaging.choices import Channel, ConfirmedBy, ConsentSource, FollowRoute, ParentRole, Purpose
from messaging.models import Contact, FollowRequest
from parentvoice.models import District

from . import services
from .choices import AttendanceGroup, EventAudience, EventKind, ForumKind
from .demo import _at
from .models import Attendance, Booking, EventPage, ForumIndexPage, ForumPage, Membership, ParentPageLink

SEND_FORUM = {
    "title": "Kent SEND Parents Forum",
    "slug": "send-parents-forum",
    "kind": ForumKind.TOPIC,
    "summary": "Parents and carers of children and young people with special educational needs and "
    "disabilities (SEND) across Kent, helping to shape SEND services and the Local Offer.",
    "who_for": "Parents and carers of children and young people aged 0 to 25 with SEND, with or without "
    "an education, health and care plan",
    "how_it_works": (
        "<p>We meet once a term, in the morning and again online in the evening, with the people who plan "
        "SEND support, health services and short breaks in Kent. You tell us what is working for your "
        "family and what is not, and we take it to the Kent Children's Trust.</p>"
        "<p>You do not need a diagnosis or a plan to come. Tell us what would help you take part, such as "
        "a quiet room or a break.</p>"
    ),
    "meeting_pattern": "Once a term, on a Saturday, 10am to 12:30pm, and online the Tuesday after, 7pm to 8pm",
}
PRACTITIONERS_FORUM = {
    "title": "Kent Family Practitioners Forum",
    "slug": "family-practitioners-forum",
    "kind": ForumKind.PRACTITIONERS,
    "summary": "Health visitors, children's centre staff, early help workers and others who work with "
    "families in Kent, sharing what parents tell them and how services reach every family.",
    "who_for": "People who work with families in Kent: health visitors, family hub and children's centre "
    "staff, early help workers, school staff and the voluntary sector",
    "how_it_works": (
        "<p>Practitioners meet every two months, online, beside the parents' fora. We look at what parents "
        "said at their fora and in consultations, and how our services can reach fathers, working parents "
        "and families who do not come to groups.</p>"
        "<p>You join with your work email address. We email you the forum's business: meeting dates, "
        "agendas, papers and notes.</p>"
    ),
    "meeting_pattern": "Every two months, on a Thursday, 1pm to 2:30pm, online",
}

PRACTITIONER = {
    "email": "health.visitor@kentcht.example.org",
    "name": "Jo Adeyemi",
    "organisation": "Kent Community Health NHS Foundation Trust",
    "job_title": "Health visitor",
}
# What a practitioner agrees to when joining, kept on the consent row as its wording: the join
# form's own words once the practitioners' join is built.
PRACTITIONER_WORDING = getattr(
    services,
    "PRACTITIONER_JOIN_WORDING",
    "Join {forum}, a practitioners' forum. We will email the forum's business (meeting dates, agendas, "
    "papers and notes) to this work email address until you leave the forum. This is not marketing.",
)
PARENT_EMAIL = "parent@example.org"
PARENT_WORDING = "Join {forum}. Demo data: joined on the forum's page."

DESCRIPTION = (
    "<p>Come and tell us what helps your family and what would make things easier. Tea, coffee and "
    "biscuits provided.</p>"
)
ACCESS = "Step-free entrance and accessible toilet. Free parking. Hearing loop in the main room."

# (slug, title, kind, audience, district or None, days ahead, start hour, hours, venue, town, places)
OUTSIDE_FORA = [
    ("moving-up-to-secondary-school", "Moving up to secondary school: information evening for parents",
     EventKind.INFORMATION_SESSION, EventAudience.PARENTS, None, 18, 18, 1.5, "Sessions House", "Maidstone",
     80),
    ("starting-school-transition-evening", "Starting school in September: transition evening",
     EventKind.TRANSITION_EVENING, EventAudience.PARENTS, "Canterbury", 25, 18, 1.5,
     "Kingsmead Family Hub", "Canterbury", 40),
    ("send-information-drop-in-thanet", "SEND information drop-in",
     EventKind.DROP_IN, EventAudience.EVERYONE, "Thanet", 9, 10, 2, "Six Bells Children's Centre", "Margate",
     None),
]  # fmt: skip
OUTSIDE_FORA_TEXT = {
    EventKind.INFORMATION_SESSION: (
        "<p>What happens when your child moves from primary to secondary school: applying for a place, "
        "travel, support for children with SEND, and what parents say helped. Teachers and the council's "
        "admissions team will answer your questions.</p>"
    ),
    EventKind.TRANSITION_EVENING: (
        "<p>For parents and carers of children starting reception in September: what the first weeks "
        "look like, how to tell the school about your child's needs, and help with uniform and meals.</p>"
    ),
    EventKind.DROP_IN: (
        "<p>Come along any time between 10am and 12 noon. SEND advisers, the Local Offer team and "
        "parents from the Kent SEND Parents Forum will be there to talk to. No need to book.</p>"
    ),
}

AGENDA = (
    "<ol><li>Welcome and introductions</li><li>What parents said last time, and what happened</li>"
    "<li>The new family hub: opening times and what it will offer</li>"
    "<li>Your questions for the health visiting team</li><li>Any other business</li></ol>"
)
# Who came to each written-up meeting, as counts: fathers few, as the reach figures show.
ATTENDANCE = {
    AttendanceGroup.MOTHER: 8,
    AttendanceGroup.FATHER: 1,
    AttendanceGroup.GRANDPARENT: 2,
    AttendanceGroup.FOSTER_CARER: 1,
    AttendanceGroup.PRACTITIONER: 3,
}
OVERDUE_FORUM = "dover"  # its last meeting is left unwritten, so the dashboards have one overdue


@hooks.register("parentvoice_load_demo_content")
def load_second_wave_demo(say) -> None:
    index = ForumIndexPage.objects.first()
    if index is None:
        return
    send = _forum(index, SEND_FORUM)
    practitioners = _forum(index, PRACTITIONERS_FORUM)
    _event(
        send,
        "send-parents-forum-ehcp",
        "Education, health and care plans: what works for your family",
        days=16,
        hour=10,
        hours=2.5,
        venue=("The Oak Room, Kroner House", "Ashford"),
    )
    _event(
        practitioners,
        "family-practitioners-forum-reaching-fathers",
        "Reaching fathers: what practitioners can do",
        days=12,
        hour=13,
        hours=1.5,
        audience=EventAudience.PRACTITIONERS,
        online=True,
        agenda=(
            "<ol><li>What fathers told the district fora this year</li><li>Evening and Saturday sessions: "
            "what has worked</li><li>Sharing the forum's findings with your teams</li></ol>"
        ),
    )
    member = _practitioner_member(practitioners)
    for spec in OUTSIDE_FORA:
        _event_outside_fora(index, *spec)
    soon = _agenda_examples()
    written_up = _write_up_past_meetings()
    parent = _parent_with_a_booking_and_a_forum()
    link = _parent_page_link()
    say(
        f"{send.title} (topic), {practitioners.title} with {member.organisation}'s member; "
        f"{len(OUTSIDE_FORA)} events outside the fora; {written_up} past meetings written up, "
        f"{OVERDUE_FORUM.title()}'s overdue; a meeting in {soon} days with no agenda; "
        f"{parent.email} has a booking and a forum; {link}"
    )


def _forum(index: ForumIndexPage, spec: dict) -> ForumPage:
    forum = ForumPage.objects.filter(slug=spec["slug"]).first()
    if forum is None:
        forum = ForumPage(**spec)
        index.add_child(instance=forum)
        forum.save_revision().publish()
    return forum


def _event(parent, slug, title, *, days, hour, hours, kind=EventKind.FORUM_MEETING, **options) -> EventPage:
    """An upcoming event under a forum or the fora index, made once (found again by its slug)."""
    event = EventPage.objects.filter(slug=slug).first()
    if event is not None:
        return event
    day = timezone.localdate() + timedelta(days=days)
    start = _at(day, hour)
    online = options.get("online", False)
    venue, town = options.get("venue") or ("", "")
    places = options.get("places")
    event = EventPage(
        title=title,
        slug=slug,
        kind=kind,
        audience=options.get("audience", EventAudience.PARENTS),
        district=options.get("district"),
        start=start,
        end=start + timedelta(hours=hours),
        description=options.get("description", DESCRIPTION),
        venue_name=venue,
        address=f"{venue}\n{town}\nKent" if venue else "",
        online_link="https://meet.example.org/parent-voice" if online else "",
        venue_accessibility="" if online else ACCESS,
        creche=not online and kind != EventKind.DROP_IN,
        interpreter_on_request=True,
        refreshments=not online,
        booking_required=places is not None,
        capacity=places,
        agenda=options.get("agenda", ""),
    )
    parent.add_child(instance=event)
    event.save_revision().publish()
    return event


def _event_outside_fora(index, slug, title, kind, audience, district, days, hour, hours, venue, town, places):
    return _event(
        index,
        slug,
        title,
        days=days,
        hour=hour,
        hours=hours,
        kind=kind,
        audience=audience,
        district=District.objects.filter(name=district).first() if district else None,
        venue=(venue, town),
        places=places,
        description=OUTSIDE_FORA_TEXT[kind],
    )


def _practitioner_member(forum: ForumPage) -> Membership:
    """The practitioner joined as Task A's join flow records it: a work email, the organisation on
    the membership, and forum business by email with the confirmation as evidence."""
    contact, _ = Contact.objects.get_or_create(
        email=PRACTITIONER["email"],
        defaults={"name": PRACTITIONER["name"], "preferred_channel": Channel.EMAIL},
    )
    membership = Membership.objects.filter(forum=forum, contact=contact, left_at__isnull=True).first()
    if membership is not None:
        return membership
    messaging.record_consent(
        contact,
        channel=Channel.EMAIL,
        purpose=Purpose.FORUM_BUSINESS,
        granted=True,
        source=ConsentSource.FORUM_JOIN,
        wording=PRACTITIONER_WORDING.format(forum=forum.title),
        evidence=messaging.Evidence(ConfirmedBy.EMAIL_LINK, contact.email),
    )
    return Membership.objects.create(
        forum=forum,
        contact=contact,
        organisation=PRACTITIONER["organisation"],
        job_title=PRACTITIONER["job_title"],
    )


def _agenda_examples() -> int:
    """Dover's coordinator has a meeting in three days with no agenda (the five-day reminder's case)
    and its next regular meeting gets an agenda."""
    dover = ForumPage.objects.get(slug=OVERDUE_FORUM)
    days = 3
    _event(
        dover,
        f"{OVERDUE_FORUM}-family-hub-meeting",
        "The new family hub: extra meeting",
        days=days,
        hour=10,
        hours=2,
        venue=("White Cliffs Children's Centre", "Dover"),
    )
    now = timezone.now()
    regular = (
        EventPage.objects.filter(forum=dover, kind=EventKind.FORUM_MEETING, start__gt=now + timedelta(days=5))
        .order_by("start")
        .first()
    )
    if regular is not None and not regular.agenda:
        regular.agenda = AGENDA
        regular.save_revision().publish()
    return days


def _write_up_past_meetings() -> int:
    """Every past forum meeting except Dover's is written up (attendance counts, notes), so the
    overdue lists show Dover's alone. Set as the checklist sets them, without a new revision."""
    officer = get_user_model().objects.filter(email="officer@example.org").first()
    past = EventPage.objects.filter(
        kind=EventKind.FORUM_MEETING, forum__isnull=False, end__lt=timezone.now(), cancelled=False
    ).exclude(forum__slug=OVERDUE_FORUM)
    for event in past.filter(written_up_at__isnull=True):
        Attendance.objects.bulk_create(
            [Attendance(event=event, group=group, count=count) for group, count in ATTENDANCE.items()],
            ignore_conflicts=True,
        )
        EventPage.objects.filter(pk=event.pk).update(
            written_up_at=event.end + timedelta(days=4), written_up_by=officer
        )
    return past.count()


def _parent_with_a_booking_and_a_forum() -> Contact:
    """parent@example.org, so their own page shows something: a forum they joined, a booking on the
    information evening and a "tell me what happens" request for it."""
    user = get_user_model().objects.filter(email=PARENT_EMAIL).first()
    contact, created = Contact.objects.get_or_create(
        email=PARENT_EMAIL,
        defaults={
            "name": "Pat",
            "district": District.objects.filter(name="Dover").first(),
            "parent_role": ParentRole.MOTHER,
            "preferred_channel": Channel.EMAIL,
        },
    )
    if created and user is not None and not Contact.objects.filter(user=user).exists():
        contact.user = user
        contact.save(update_fields=["user"])
    dover = ForumPage.objects.get(slug=OVERDUE_FORUM)
    if not Membership.objects.filter(forum=dover, contact=contact, left_at__isnull=True).exists():
        messaging.record_consent(
            contact,
            channel=Channel.EMAIL,
            purpose=Purpose.FORUM_EVENTS,
            granted=True,
            source=ConsentSource.FORUM_JOIN,
            wording=PARENT_WORDING.format(forum=dover.title),
            evidence=messaging.Evidence(ConfirmedBy.EMAIL_LINK, contact.email),
        )
        Membership.objects.create(forum=dover, contact=contact)
    evening = EventPage.objects.get(slug=OUTSIDE_FORA[0][0])
    if not Booking.objects.filter(event=evening, email=PARENT_EMAIL).exists():
        services.book(
            evening.pk, name="Pat Parent", email=PARENT_EMAIL, adults=1, parent_role=ParentRole.MOTHER
        )
    topic = services.event_topic(evening.pk)
    if not FollowRequest.objects.filter(contact=contact, topic=topic).exists():
        messaging.record_follow(
            contact,
            topic=topic,
            channel=Channel.EMAIL,
            route=FollowRoute.BOOKING,
            wording=services.TELL_ME_WORDING,
            confirmed_by=ConfirmedBy.EMAIL_LINK,
        )
    return contact


def _parent_page_link() -> str:
    """A link to parent@example.org's own page in the outbox, as if they had asked at /my-page/. Asked
    for once: loading the demo again does not send another."""
    request_link = getattr(services, "request_parent_page_link", None)
    if request_link is None:  # the parent's page is not built yet
        return "no parent page link (the parent's page is not built yet)"
    if not ParentPageLink.objects.filter(address=PARENT_EMAIL).exists():
        request_link(PARENT_EMAIL)
    return f"a link to {PARENT_EMAIL}'s own page is in the outbox"

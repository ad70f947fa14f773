"""Demo parent fora: Kent's district fora and the county parents forum that the Kent Children's Trust
plan set up "to advise and help shape development of policies and commissioning", each with past and
upcoming meetings. Loaded by `manage.py load_demo_content`."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from parentvoice.models import District

from .choices import ForumKind
from .models import EventPage, ForumIndexPage, ForumPage

LONDON = ZoneInfo("Europe/London")

# (title, slug, district name or None, venue, town, meeting pattern)
FORA = [
    ("Kent County Parents Forum", "county-parents-forum", None, "Sessions House", "Maidstone",
     "Every two months, on a Wednesday, 10am to 12 noon"),
    ("Ashford Parents Forum", "ashford", "Ashford", "Little Explorers Children's Centre", "Ashford",
     "The first Tuesday of each month, 9:30am to 11:30am"),
    ("Dover Parents Forum", "dover", "Dover", "White Cliffs Children's Centre", "Dover",
     "The second Thursday of each month, 10am to 12 noon"),
    ("Gravesham Parents Forum", "gravesham", "Gravesham", "Riverside Children's Centre", "Gravesend",
     "The last Monday of each month, 6:30pm to 8pm"),
    ("Maidstone Parents Forum", "maidstone", "Maidstone", "Greenfields Community Centre", "Maidstone",
     "The third Wednesday of each month, 1pm to 3pm"),
    ("Malling Parents Forum", "malling", "Tonbridge and Malling", "Larkfield Library", "Larkfield",
     "The second Tuesday of each month, 10am to 12 noon"),
    ("Swanley Parents Forum", "swanley", "Sevenoaks", "Swanley Link", "Swanley",
     "The first Friday of each month, 9:30am to 11am"),
    ("Thanet Parents Forum", "thanet", "Thanet", "Six Bells Children's Centre", "Margate",
     "The fourth Thursday of each month, 6pm to 7:30pm"),
]  # fmt: skip

HOW_IT_WORKS = (
    "<p>Mothers, fathers, grandparents and carers meet with people who plan and run services for "
    "families. You tell us what works, what does not and what is missing. We take what you say to the "
    "Kent Children's Trust and tell you what happened.</p>"
    "<p>You do not need to have been before, or to stay for the whole meeting. Children are welcome.</p>"
)


NEWS = "<p>From next month some meetings are in the evening, so working parents can come too.</p>"
PARENTS_SAID = [
    ("It is hard to find out what is on for families near us until it has happened.", "Information"),
    ("Fathers do not feel that groups at the children's centre are for them.", "Fathers"),
    ("Meetings in the day are impossible for parents who work.", "Access"),
]


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), LONDON)


@hooks.register("parentvoice_load_demo_content")
def load_forums_demo(say):
    if ForumIndexPage.objects.exists():
        return
    home = Page.objects.filter(depth=2).first().specific
    index = ForumIndexPage(
        title="Parent fora",
        slug="parent-fora",
        show_in_menus=True,
        introduction="Meet other parents and carers near you and tell the people who run services what "
        "you think. Everyone is welcome, and you do not need to book most meetings.",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    districts = {d.name: d for d in District.objects.all()}
    today = timezone.localdate()
    events = 0
    for number, (title, slug, district, venue, town, pattern) in enumerate(FORA):
        forum = ForumPage(
            news=[("update", {"date": today, "heading": "New evening meetings", "text": NEWS})]
            if number < 3
            else [],
            title=title,
            slug=slug,
            district=districts.get(district),
            kind=ForumKind.DISTRICT if district else ForumKind.COUNTY,
            summary=f"Parents and carers in {district or 'Kent'} shaping the services their families use.",
            who_for="Mothers, fathers, grandparents, foster carers and anyone bringing up children",
            how_it_works=HOW_IT_WORKS,
            meeting_pattern=pattern,
        )
        index.add_child(instance=forum)
        forum.save_revision().publish()
        for offset, name, online, booking in (
            (-30 + number, "Forum meeting", False, False),
            (7 + number * 3, "Forum meeting", False, False),
            (21 + number * 3, "Online catch-up", True, False),
            (45 + number, "Family support services: have your say", False, True),
        ):
            day = today + timedelta(days=offset)
            event = EventPage(
                title=name,  # the page shows the forum and the date from the event's fields
                slug=f"{slug}-{day:%Y-%m-%d}",
                start=_at(day, 18 if online else 10),
                end=_at(day, 19 if online else 12),
                description="<p>Come and tell us what helps your family and what would make things "
                "easier. Tea, coffee and biscuits provided.</p>",
                venue_name="" if online else venue,
                address="" if online else f"{venue}\n{town}\nKent",
                online_link="https://meet.example.org/parent-voice" if online else "",
                venue_accessibility=""
                if online
                else "Step-free entrance and accessible toilet. Free parking. Hearing loop in the main room.",
                creche=not online,
                interpreter_on_request=True,
                refreshments=not online,
                booking_required=booking,
                capacity=20 if booking else None,
            )
            if offset < 0:
                event.meeting_notes = (
                    "<p>Twelve parents and carers came, with people from the children's centre and "
                    "the health visiting team.</p>"
                )
                event.parents_said = [
                    ("said", {"text": text, "theme": theme}) for text, theme in PARENTS_SAID
                ]
            forum.add_child(instance=event)
            event.save_revision().publish()
            events += 1
    coordinator = get_user_model().objects.filter(email="coordinator@example.org").first()
    dover = ForumPage.objects.get(slug="dover")
    if coordinator is not None and dover.coordinators is not None:
        coordinator.groups.add(dover.coordinators)
    say(f"{len(FORA)} parent fora with {events} meetings; coordinator@example.org coordinates Dover's")


# The second wave's demo (topic and practitioners' fora, events outside the fora, write-ups, a
# parent's page) builds on the fora above, so its hook is registered after this one.
from . import demo_second_wave  # noqa: E402, F401

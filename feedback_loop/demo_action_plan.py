"""Demo: Kent's action plan (its nine priorities and their actions, word for word from the strategy),
progress reports with a mix of RAG statuses and overdue reports, and the 'How we are doing' page.

The plan's text is in `kent_action_plan`. Everything else here is illustrative: the plan leaves every
"Priority lead:" blank, so the leads' job titles are made up, and so are the progress reports (dated
relative to today) and their commentary. The plan's year starts on the 1 April at least eight months ago
(1 April 2026 when this was written), so most actions have had two or three quarterly reports.

The mix: most actions green; some amber and a few red, each with a reason; some complete; some whose
last report is older than ACTION_REPORT_INTERVAL_MONTHS and some started that long ago with no report,
so they show as overdue for a report; a few that have not started yet. The demo action lead
(actionlead@example.org) reports on four actions, one of them overdue. The demo's decisions and 'You
said' items are linked to the actions they serve, and one agreed decision is past its due date."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from parentvoice.models import District

from . import services
from .choices import RagStatus
from .kent_action_plan import PRIORITIES
from .models import Action, FeedbackItem, Priority, ProgressPage, ProgressReport

LEAD_EMAIL = "actionlead@example.org"
OFFICER_EMAIL = "officer@example.org"

# Illustrative: the plan leaves "Priority lead:" blank.
PRIORITY_LEADS = {
    1: "Financial Inclusion Manager",
    2: "Head of Public Health for Children and Families",
    3: "Parenting Strategy Manager",
    4: "Housing Partnerships Manager",
    5: "Head of Family Support",
    6: "Community Safety Manager",
    7: "Head of Early Years and Childcare",
    8: "Workforce Development Manager",
    9: "Parent Participation Manager",
}
# Actions led by someone other than their priority's lead (illustrative job titles).
ACTION_LEADS = {
    (1, 2): "Jobcentre Plus Partnership Manager",
    (1, 6): "Family Support Commissioning Manager",
    (2, 3): "Infant Feeding Co-ordinator",
    (2, 8): "Swale Children's Services Partnership Manager",
    (3, 4): "Minority Communities Achievement Service Manager",
    (5, 1): "Short Breaks Programme Manager",
    (5, 10): "Family Support Commissioning Manager",
    (6, 4): "Youth Offending Service Manager",
    (7, 1): "Libraries Family Services Manager",
    (7, 6): "Libraries Family Services Manager",
    (8, 2): "Thanet Parenting Co-ordinator",
    (8, 10): "Parenting Strategy Manager",
    (9, 6): "Communications Team",
}
# Partners the actions' own words name.
PARTNERS = {
    (1, 2): "Job Centre Plus, children's centres",
    (1, 4): "Children and Families Information Service",
    (1, 6): "St Giles Trust",
    (1, 8): "Credit unions",
    (2, 7): "Voice4Kent's Parents' action group, children's centres",
    (3, 4): "EMA specialist teachers, MCAS, children's centres, schools",
    (3, 5): "NAPP, MCAS",
    (3, 6): "MCAS, Extended Services",
    (4, 3): "Social landlords network",
    (5, 2): "Partnership with Parents",
    (5, 3): "Partnership with Parents",
    (5, 7): "Partnership with Parents",
    (5, 10): "Kent prisons",
    (7, 2): "Children's centres and settings",
    (7, 6): "Local parents fora, Partnership with Parents, Kent libraries",
    (8, 3): "Kent Resource Directory, Contact Point",
    (8, 5): "Kent-Can",
    (8, 10): "The Fatherhood Institute",
    (8, 12): "NAPP",
    (8, 13): "NAPP",
    (9, 1): "The Kent Children's Trust Partnership Board",
}
# Districts the actions' own words name; every other action is county-wide.
DISTRICTS = {(2, 8): "Swale", (8, 2): "Thanet"}
LEAD_ACTIONS = [(9, 2), (9, 3), (9, 6), (8, 10)]

# The latest report of each action that is not plain green, with its reason. Red and amber need one.
COMPLETE = {
    (1, 2): "Every children's centre now has a Job Centre Plus adviser session at least once a fortnight.",
    (5, 13): "Six projects are running with young parents across the county, at least one in each area.",
    (6, 1): "The guidance about bullying is published online and in print. Parents in three forums checked "
    "it for jargon before it went out.",
    (7, 1): "Bookstart Plus packs are now given out by libraries, children's centres and health visitors.",
    (8, 2): "The online toolkit is live on the Kent Resource Directory and every district has been shown "
    "how to use it.",
    (8, 3): "The Children and Families Information Service is running and linked to the Kent Resource "
    "Directory.",
    (9, 1): "The county parents forum has met four times and reports to every Partnership Board meeting.",
}
RED = {
    (1, 8): "The credit union that agreed to run the pilot has pulled out. We are talking to two others and "
    "will report to the board in the spring.",
    (4, 2): "Funding for the mediation worker ended in September and the post is empty. We have asked the "
    "board to fund it from April.",
    (5, 10): "Visits at the prison taking part have been limited since the summer, so no play sessions have "
    "run. The prison expects to lift the limits next month.",
    (8, 19): "No planning meetings have taken place because the social care teams are being reorganised. "
    "Dates are being set for the new year.",
}
AMBER = {
    (1, 1): "There are more places in most districts, but out of school places are still short in rural "
    "areas. A grant round for new clubs opens in January.",
    (2, 4): "Sessions are running in half of the children's centres. Training for staff in the rest has "
    "moved to February because the team is short of people.",
    (2, 8): "Two sessions have run in Swale schools, but fewer parents came than we hoped. The next ones "
    "will be in the evening.",
    (3, 4): "Work is under way in 8 of the 12 districts. Two posts are empty, which has slowed the rest.",
    (5, 4): "The joint service is agreed, but the shared referral form is not ready yet, so some families "
    "are still asked the same questions twice.",
    (5, 11): "More young parents come to YAPS groups in most districts, but fewer in two districts where "
    "the groups lost their venue. New venues are being found.",
    (6, 3): "Support is only available in some districts so far. We are working out how to offer it "
    "everywhere with the money left this year.",
    (7, 5): "Sessions have been held in 40 schools, fewer than planned. More are booked for the spring term.",
    (8, 7): "A third of children's centres now open one evening a week. Staff contracts need to change "
    "before the rest can, and this is being discussed.",
    (9, 2): "The guidance is drafted, but parents on the county forum asked for it to be shorter and "
    "clearer. A new draft goes to them in January.",
}
# Last reported longer ago than the reporting interval: overdue for a report.
STALE = {(3, 3), (5, 8), (6, 5), (7, 3), (9, 6)}
# Started longer ago than the reporting interval and never reported: overdue for a report.
NEVER = {(1, 7), (4, 1), (8, 15)}
# Not started yet: no report due.
NOT_STARTED = {(1, 10), (5, 9), (7, 7), (8, 17), (8, 18)}

GREEN_NOTES = [
    "",
    "On track. Work is going as planned.",
    "",
    "On track. Parents have helped plan the next stage.",
    "",
    "On track, with partners meeting every month.",
]
EARLIER_NOTES = ["Work has started and is on track.", "", "On track."]
SLIPPING = "Progress is slower than planned. The lead is working out what is needed to catch up."

# Which of the demo's decisions and 'You said' items serve which actions (by position in the lists
# `feedback_loop.demo` passes in).
DECISION_ACTIONS = {
    0: [(9, 3), (9, 6)],  # a monthly text message about what is on for families
    1: [(8, 7), (9, 1)],  # evening or Saturday forum meetings
    2: [(8, 10), (9, 4)],  # sessions led by fathers, new leaflets and posters
    4: [(8, 7), (8, 8)],  # children's centres open one evening a week
}
ITEM_ACTIONS = {
    0: [(9, 6)],  # hear about services by text or through school
    1: [(8, 7)],  # daytime meetings are hard for working parents
    2: [(8, 10), (9, 4)],  # fathers feel groups are meant for mothers
    3: [(1, 1), (8, 8)],  # nobody to look after the children
    4: [(9, 5), (8, 3)],  # information hard to find, especially in another language
    5: [(8, 3), (9, 6)],  # the forum's point: hard to find out what is on
}
OVERDUE_DECISION = 0  # agreed; the first monthly texts went out, but not yet in every district


def plan_start(today: date) -> date:
    """The 1 April on or before `today` less eight months."""
    back = today - relativedelta(months=8)
    start = date(back.year, 4, 1)
    return start if start <= back else date(back.year - 1, 4, 1)


def load_action_plan_demo(say, *, home, decisions, items):
    if Priority.objects.exists():
        return
    today = timezone.localdate()
    users = {
        user.email: user for user in get_user_model().objects.filter(email__in=[LEAD_EMAIL, OFFICER_EMAIL])
    }
    with transaction.atomic():
        actions = _plan(today, users.get(LEAD_EMAIL))
        reports = _reports(today, actions, users)
    _link(decisions, items, actions, today)
    _progress_page(home)
    _say_summary(say, len(actions), reports, today)


def _plan(today, lead) -> dict:
    start = plan_start(today)
    districts = {d.name: d for d in District.objects.filter(name__in=DISTRICTS.values())}
    actions = {}
    index = 0
    for spec in PRIORITIES:
        priority = Priority(
            number=spec["number"],
            title=spec["title"],
            lead_job_title=PRIORITY_LEADS[spec["number"]],
            outcomes="\n".join(spec["outcomes"]),
            indicators="\n".join(spec["indicators"]),
        )
        priority.save()
        priority.save_revision()
        for number, text in enumerate(spec["actions"], start=1):
            key = (priority.number, number)
            if key in NOT_STARTED:
                starts_on = (today + relativedelta(months=1 + index % 5)).replace(day=1)
            elif key in NEVER:
                starts_on = start
            else:
                starts_on = start + timedelta(weeks=3 * (index % 6))  # April to July
            action = Action(
                priority=priority,
                number=number,
                text=text,
                lead_job_title=ACTION_LEADS.get(key, priority.lead_job_title),
                partners=PARTNERS.get(key, ""),
                starts_on=starts_on,
                due_on=_due_on(start, starts_on, years=1 + (index + 1) % 2),
            )
            if key in DISTRICTS and DISTRICTS[key] in districts:
                action.districts = [districts[DISTRICTS[key]]]
            if key in LEAD_ACTIONS and lead is not None:
                action.lead_users = [lead]
            action.save()
            action.save_revision()
            actions[key] = action
            index += 1
    return actions


def _due_on(start, starts_on, *, years):
    """A 31 March, `years` after the plan's start, or later for an action that starts late."""
    due = start + relativedelta(years=years) - timedelta(days=1)
    while due < starts_on + relativedelta(months=9):
        due += relativedelta(years=1)
    return due


def _reports(today, actions, users) -> int:
    """Quarterly reports back from each action's latest, none before it started."""
    interval = relativedelta(months=settings.ACTION_REPORT_INTERVAL_MONTHS)
    lead = users.get(LEAD_EMAIL)
    officer = users.get(OFFICER_EMAIL)
    rows = []
    for index, (key, action) in enumerate(actions.items()):
        if key in NOT_STARTED or key in NEVER:
            continue
        if key in STALE:
            latest_on = today - interval - timedelta(weeks=2 + index % 4)
            status, note = (RagStatus.AMBER, SLIPPING) if key == (6, 5) else (RagStatus.GREEN, "")
        else:
            latest_on = today - timedelta(weeks=1 + index % 9)
            if key in COMPLETE:
                status, note = RagStatus.COMPLETE, COMPLETE[key]
            elif key in RED:
                status, note = RagStatus.RED, RED[key]
            elif key in AMBER:
                status, note = RagStatus.AMBER, AMBER[key]
            else:
                status, note = RagStatus.GREEN, GREEN_NOTES[index % len(GREEN_NOTES)]
        latest_on = max(latest_on, action.starts_on)
        by = lead if lead is not None and key in LEAD_ACTIONS else officer
        rows.append(
            ProgressReport(
                action=action, reported_on=latest_on, status=status, commentary=note, reported_by=by
            )
        )
        # Earlier reports: green, except that a red action was amber first.
        earlier_on, step = latest_on - interval, 0
        while earlier_on >= action.starts_on + timedelta(weeks=4):
            if status == RagStatus.RED and step == 0:
                earlier = (RagStatus.AMBER, SLIPPING)
            else:
                earlier = (RagStatus.GREEN, EARLIER_NOTES[(index + step) % len(EARLIER_NOTES)])
            rows.append(
                ProgressReport(
                    action=action,
                    reported_on=earlier_on,
                    status=earlier[0],
                    commentary=earlier[1],
                    reported_by=by,
                )
            )
            earlier_on, step = earlier_on - interval, step + 1
    ProgressReport.objects.bulk_create(rows)
    return len(rows)


def _link(decisions, items, actions, today):
    """Link the demo's published decisions and items to the actions they serve. Each is published again
    through its revision, so the live row and the editor's copy agree; republishing a decision at the
    same status tells nobody again."""
    for position, keys in ITEM_ACTIONS.items():
        if position >= len(items):
            continue
        item = FeedbackItem.objects.get(pk=items[position].pk)
        item.actions = [actions[key] for key in keys]
        item.save()
        item.save_revision().publish()
    for position, keys in DECISION_ACTIONS.items():
        if position >= len(decisions):
            continue
        decision = decisions[position]
        fields = {"actions": [actions[key] for key in keys]}
        if position == OVERDUE_DECISION:
            # Past its due date and not done: the dashboard's "Decisions past their due date".
            fields["due_on"] = max(today - timedelta(weeks=2), decision.decided_on or today)
        current = type(decision).objects.get(pk=decision.pk)
        decisions[position] = services.set_status(current, current.status, **fields)


def _progress_page(home):
    if ProgressPage.objects.exists():
        return
    page = ProgressPage(title="How we are doing", slug="how-we-are-doing", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()


def _say_summary(say, action_count, report_count, today):
    summaries = services.priority_summaries(today=today)
    counts = {}
    for summary in summaries:
        for status, n in summary.counts.items():
            counts[status] = counts.get(status, 0) + n
    overdue = len(services.actions_overdue_for_report(today))
    say(
        f"Action plan: {len(summaries)} priorities, {action_count} actions, {report_count} progress reports "
        f"(latest: {counts.get(RagStatus.RED, 0)} red, {counts.get(RagStatus.AMBER, 0)} amber, "
        f"{counts.get(RagStatus.GREEN, 0)} green, {counts.get(RagStatus.COMPLETE, 0)} complete), "
        f"{overdue} overdue for a report, and the 'How we are doing' page"
    )

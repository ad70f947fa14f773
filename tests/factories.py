"""factory-boy factories shared by every test module."""

import factory
from django.utils import timezone

from messaging.choices import Channel, ConsentSource, Purpose
from messaging.models import Consent, Contact, Message


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Parent {n}")
    email = factory.Sequence(lambda n: f"parent{n}@example.org")
    mobile = factory.Sequence(lambda n: f"+4774001{n:05d}")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    contact = factory.SubFactory(ContactFactory)
    channel = Channel.EMAIL
    purpose = Purpose.CONSULTATIONS
    granted = True
    source = ConsentSource.WEB_FORM
    wording = "Send me invitations to have my say."


class ConsentingParentFactory(ContactFactory):
    """A parent with a mobile only, who agreed on a web form to texts about consultations, recorded
    through the consent service as a form would. `consents=[(channel, purpose), ...]` for others."""

    class Meta:
        skip_postgeneration_save = True  # the consents are rows of their own

    email = None

    @factory.post_generation
    def consents(contact, create, extracted, **kwargs):
        from messaging import services

        for channel, purpose in extracted or [(Channel.SMS, Purpose.CONSULTATIONS)]:
            services.record_consent(
                contact,
                channel=channel,
                purpose=purpose,
                granted=True,
                source=ConsentSource.WEB_FORM,
                wording="Texts about consultations",
            )


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    contact = factory.SubFactory(ContactFactory)
    channel = Channel.SMS
    recipient = factory.LazyAttribute(lambda m: m.contact.address_for(m.channel) or "+447400123456")
    body = "Kent Parent Voice: hello. Reply STOP to stop."
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    status_changed_at = factory.LazyFunction(timezone.now)


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking made directly (no confirmation sent): pass `event`."""

    class Meta:
        model = "forums.Booking"

    name = factory.Sequence(lambda n: f"Parent {n}")
    email = factory.Sequence(lambda n: f"booker{n}@example.org")
    adults = 1
    status = "confirmed"


class MembershipFactory(factory.django.DjangoModelFactory):
    """A current member of a forum: pass `forum`."""

    class Meta:
        model = "forums.Membership"

    contact = factory.SubFactory(ContactFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """How many of one group came to a meeting: pass `event`."""

    class Meta:
        model = "forums.Attendance"

    group = "mother"
    count = 5


class FollowRequestFactory(factory.django.DjangoModelFactory):
    """Someone asked to be told what happens about a topic (default "consultation:42", by email)."""

    class Meta:
        model = "messaging.FollowRequest"

    contact = factory.SubFactory(ContactFactory)
    topic = "consultation:42"
    channel = Channel.EMAIL
    route = "web"
    wording = "Tell me what you decide."
    confirmed_by = "personal_link"
    requested_on = factory.LazyFunction(timezone.localdate)


class CaseFactory(factory.django.DjangoModelFactory):
    """A safeguarding case that holds its own source, as `services.open_case` makes one (default: a
    "test.text" source, opened now, flagged by hand, not yet reviewed)."""

    class Meta:
        model = "safeguarding.Case"
        skip_postgeneration_save = True

    source_kind = "test.text"
    source_id = factory.Sequence(lambda n: 1000 + n)
    source_label = "Test answer: Support for parents"
    text = "My dad hits me when he is angry"
    arrived_at = factory.LazyFunction(timezone.now)
    flagged_by = "hand"
    opened_at = factory.LazyAttribute(lambda case: case.arrived_at)
    due_at = factory.LazyAttribute(lambda case: case.opened_at)

    @factory.post_generation
    def held(case, create, extracted, **kwargs):
        if create:
            case.held_texts.create(source_kind=case.source_kind, source_id=case.source_id)


# --- The action plan, reach and reports (#16) -------------------------------------------------


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback_loop.Priority"
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n + 1}")
    lead_job_title = "Head of Early Help"


class ActionFactory(factory.django.DjangoModelFactory):
    """An action under a priority, started 30 days ago; `lead_users=[user, ...]` for who reports on it."""

    class Meta:
        model = "feedback_loop.Action"
        skip_postgeneration_save = True

    priority = factory.SubFactory(PriorityFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Support parents in a useful way, number {n}.")
    lead_job_title = "Parenting Strategy Manager"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))

    @factory.post_generation
    def lead_users(action, create, extracted, **kwargs):
        if create and extracted:
            action.lead_users.set(extracted)
            action.save()

    @factory.post_generation
    def districts(action, create, extracted, **kwargs):
        if create and extracted:
            action.districts.set(extracted)
            action.save()


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback_loop.ProgressReport"

    action = factory.SubFactory(ActionFactory)
    status = "green"
    commentary = "Going to plan."
    reported_on = factory.LazyFunction(timezone.localdate)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Partner"

    name = factory.Sequence(lambda n: f"Riverside Children's Centre {n}")
    kind = "childrens_centre"


class PartnerLinkFactory(factory.django.DjangoModelFactory):
    """A partner's link to a consultation: pass `consultation`."""

    class Meta:
        model = "surveys.PartnerLink"

    partner = factory.SubFactory(PartnerFactory)
    code = factory.Sequence(lambda n: f"p{n:07d}")


class ReachBenchmarkFactory(factory.django.DjangoModelFactory):
    """County-wide unless `district` is given: fathers are 45% of parents."""

    class Meta:
        model = "surveys.ReachBenchmark"

    dimension = "parent_role"
    value = "father"
    share = 45
    source = "Census 2021"


class ReportFactory(factory.django.DjangoModelFactory):
    """A board report for the last quarter, waiting to be made."""

    class Meta:
        model = "feedback_loop.Report"

    kind = "board"
    period_start = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=91))
    period_end = factory.LazyFunction(timezone.localdate)


def translate_page(page, language_code, *, publish=True, parents=True, **changes):
    """`page` translated into `language_code` as the admin's "Translate" does (Wagtail's
    CopyPageForTranslationAction), its untranslated parents first, with `changes` applied to the copy
    (e.g. title="..."), published unless publish=False. Returns the specific translated page."""
    from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
    from wagtail.models import Locale

    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        translation = existing.specific
    else:
        parent = page.get_parent()
        if parents and not parent.is_root() and parent.get_translation_or_none(locale) is None:
            translate_page(parent.specific, language_code, publish=publish, parents=True)
        translation = (
            CopyPageForTranslationAction(page=page, locale=locale)
            .execute(skip_permission_checks=True)
            .specific
        )
    for field, value in changes.items():
        setattr(translation, field, value)
    revision = translation.save_revision()
    if publish:
        revision.publish()
        translation.refresh_from_db()
    return translation


class SmsCampaignFactory(factory.django.DjangoModelFactory):
    """A campaign of texts about consultations, fast-paced (so tests need not wait for windows)."""

    class Meta:
        model = "messaging.Campaign"

    name = factory.Sequence(lambda n: f"Invitation {n}")
    kind = "consultation_invitation"
    purpose = Purpose.CONSULTATIONS
    sms_template = "Hi ((name)), have your say: ((link))"
    send_email = False
    link_url = "https://parentvoice.example.org/c/1/"
    sms_per_second = 1000

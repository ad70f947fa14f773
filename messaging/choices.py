from django.db import models


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class Purpose(models.TextChoices):
    CONSULTATIONS = "consultations", "Invitations to have your say in consultations"
    FORUM_EVENTS = "forum_events", "Parent forum meetings and events near you"
    OUTCOMES = "outcomes", "What happened because of what parents said"
    # Not marketing: the business of a practitioners' forum joined with a work address. Recorded
    # when the address is confirmed, ended by leaving the forum or by any unsubscribe.
    FORUM_BUSINESS = "forum_business", "Business of a practitioners' forum you belong to"


# What a parent may tick on the public sign-up and preference forms: forum business is only ever
# recorded by joining a practitioners' forum.
SIGN_UP_PURPOSES = (Purpose.CONSULTATIONS, Purpose.FORUM_EVENTS, Purpose.OUTCOMES)


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    SMS_KEYWORD = "sms_keyword", "Text message keyword"
    PAPER_FORM = "paper_form", "Paper form entered by an officer"
    IMPORT = "import", "Imported list"
    PREFERENCES = "preferences", "Preferences page"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe link"
    SMS_STOP = "sms_stop", "STOP reply"
    FORUM_JOIN = "forum_join", "Joined a parent forum"


class FollowRoute(models.TextChoices):
    """How someone asked to be told what happens: the way they took part. The values match the
    response channels (web, sms, paper) so results can be counted per channel."""

    WEB = "web", "On the web, after answering"
    SMS = "sms", "By text, after answering"
    PAPER = "paper", "On a paper response"
    BOOKING = "booking", "When booking a meeting"
    OFFICER = "officer", "Told an officer (helpline, school gate, meeting)"


class ConfirmedBy(models.TextChoices):
    """How the person behind a consent showed that the address is theirs: the evidence a regulator
    asks for, kept on every consent row."""

    EMAIL_LINK = "email_link", "Opened a link we emailed to the address"
    SMS_REPLY = "sms_reply", "Replied YES from the number"
    SMS_LINK = "sms_link", "Opened a link we texted to the number"
    PERSONAL_LINK = "personal_link", "Used the personal link in a message we sent them"
    FROM_NUMBER = "from_number", "Texted us from the number"
    OFFICER = "officer", "Recorded by an officer from a signed form or list"
    EARLIER_CONSENT = "earlier_consent", "Had already agreed to hear about outcomes on this channel"


class SuppressionReason(models.TextChoices):
    STOP = "stop", "Replied STOP"
    HARD_BOUNCE = "hard_bounce", "Email address does not exist"
    COMPLAINT = "complaint", "Marked as spam"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    PROVIDER_OPT_OUT = "provider_opt_out", "Opted out with the text message provider"
    MANUAL = "manual", "Added by an officer"


class ParentRole(models.TextChoices):
    """Everyone who brings up children, as the strategies name them (stored keys never change; new
    roles are added, old ones never renamed)."""

    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    ADOPTIVE_PARENT = "adoptive_parent", "Adoptive parent"
    GRANDPARENT = "grandparent", "Grandparent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    KINSHIP_CARER = "kinship_carer", "Kinship carer (family or friend bringing up a child)"
    YOUNG_CARER_PARENT = "young_carer_parent", "Parent of a young carer"
    OTHER_CARER = "other_carer", "Other carer"


class ChildAgeBand(models.TextChoices):
    UNDER_5 = "0-4", "Under 5"
    AGE_5_10 = "5-10", "5 to 10"
    AGE_11_15 = "11-15", "11 to 15"
    AGE_16_19 = "16-19", "16 to 19"
    AGE_20_25_SEND = "20-25", "20 to 25 with special educational needs or disabilities"


class MessageStatus(models.TextChoices):
    CREATED = "created", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    TEMPORARY_FAILURE = "temporary_failure", "Phone or inbox not accepting messages"
    PERMANENT_FAILURE = "permanent_failure", "Number or address does not exist"
    TECHNICAL_FAILURE = "technical_failure", "Technical failure"
    SUPPRESSED = "suppressed", "Not sent: opted out"


FINAL_STATUSES = frozenset(
    {
        MessageStatus.DELIVERED,
        MessageStatus.TEMPORARY_FAILURE,
        MessageStatus.PERMANENT_FAILURE,
        MessageStatus.TECHNICAL_FAILURE,
        MessageStatus.SUPPRESSED,
    }
)
FAILED_STATUSES = frozenset(
    {MessageStatus.TEMPORARY_FAILURE, MessageStatus.PERMANENT_FAILURE, MessageStatus.TECHNICAL_FAILURE}
)


class CampaignKind(models.TextChoices):
    CONSULTATION_INVITATION = "consultation_invitation", "Consultation invitation"
    REMINDER = "reminder", "Reminder"
    EVENT_NOTICE = "event_notice", "Event notice"
    OUTCOME_NOTICE = "outcome_notice", "Outcome notice"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PREPARING = "preparing", "Preparing messages"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Checked, not yet imported"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"

"""Turning a campaign's audience into its Message rows at the speed of a plain insert (issue #19): the
texts rendered once where they are the same for everyone (or for everyone but the name), the rows
written a chunk at a time, and, where every text can be put together by the database, no row coming
through Python at all (`insert_in_sql`). `campaigns.create_campaign_messages` drives it."""

from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils.text import Truncator

from ..campaign_wording import Wording, WordingChooser
from ..choices import Channel
from ..models import Campaign, Contact, Message
from .sending import render, sms_body

SUBJECT_LENGTH = Message._meta.get_field("subject").max_length
# Rows read, rendered and inserted per round trip: enough to amortise each statement, few enough that
# memory stays flat and (on SQLite) each write transaction is short for everyone else waiting.
FAN_OUT_CHUNK = 5000
# Stands for a message's text in `sms_body`, to learn the words it puts before and after the text.
_TEXT_MARK = "\x00"


class Texts:
    """One wording's text on one channel, rendered as cheaply as the template allows: once for everyone
    when it has nothing personal in it, otherwise per person with `sending.render` (so exactly what
    sending would render). The words `sms_body` adds are worked out once per language."""

    def __init__(self, template: str, wording: Wording, link: str, link_is_personal: bool):
        self.template = template
        self.title = wording.title
        # `render` fills in name, then title, then link: a ((link)) can come in with the title.
        self.uses_link = "((link))" in template.replace("((title))", wording.title)
        self.personal = "((name))" in template or (link_is_personal and self.uses_link)
        self.fixed = (
            None if self.personal else render(template, {"name": "", "title": self.title, "link": link})
        )
        # Personal by the name alone: the text around each ((name)), rendered once, for the name to
        # join. (A name with a bracket in it goes through `render`, where it could make a placeholder.)
        around = render(template, {"name": _TEXT_MARK, "title": self.title, "link": link}).split(_TEXT_MARK)
        by_name_alone = self.personal and not (link_is_personal and self.uses_link)
        # Without brackets around the name or in it, no ((placeholder)) can form across the join, so
        # the joined text is what `render` gives.
        plain = len(around) == template.count("((name))") + 1 and not any(
            "(" in p or ")" in p for p in around
        )
        self.around_name = around if by_name_alone and plain else None

    def text(self, name: str, link: str) -> str:
        if self.fixed is not None:
            return self.fixed
        if self.around_name is not None and "(" not in name and ")" not in name:
            return name.join(self.around_name)
        return render(self.template, {"name": name, "title": self.title, "link": link})


class Wordings:
    """Each wording's rendered parts, made the first time someone gets that wording, and which
    wording a person reading each language gets."""

    def __init__(self, campaign, personalised: bool):
        self.campaign = campaign
        self.personalised = personalised
        # Loaded once: choosing each person's wording makes no query.
        self.chooser = WordingChooser(campaign, list(campaign.translations.all()))
        self._made: dict[str | None, tuple] = {}
        self._for_language: dict[str | None, tuple] = {}

    def for_contact(self, language: str | None) -> tuple:
        """(wording, *parts) for a person reading `language`: worked out once per language."""
        made = self._for_language.get(language)
        if made is None:
            wording = self.chooser.for_contact(language)
            made = self._for_language[language] = (wording, *self.parts(wording))
        return made

    def parts(self, wording: Wording) -> tuple:
        made = self._made.get(wording.language)
        if made is None:
            link, personal = self.campaign.link_url, self.personalised
            sms_before, sms_after = sms_body(_TEXT_MARK, wording.language).split(_TEXT_MARK)
            subject = Texts(wording.email_subject, wording, link, personal)
            made = (
                Texts(wording.sms_template, wording, link, personal),
                sms_before,
                sms_after,
                subject,
                # A fixed subject is cut once (see below); a personal one per person.
                None if subject.personal else Truncator(subject.fixed).chars(SUBJECT_LENGTH),
                Texts(wording.email_template, wording, link, personal),
            )
            self._made[wording.language] = made
        return made


class MessageWriter:
    """Inserts a campaign's messages a chunk at a time, skipping any whose idempotency key is already
    there (that is what makes the fan-out safe to run again). Each row is (contact_id, channel,
    recipient, subject, body, idempotency_key); every other column is the same for all of a
    campaign's rows, prepared for the database once as bulk_create would for each row.

    Rows made in Python (`add`): on PostgreSQL each chunk is copied (COPY, written row by row in
    psycopg's C code) into a temporary table, then moved with one INSERT ... SELECT ... ON CONFLICT DO
    NOTHING (COPY itself cannot skip a row that is there already); on SQLite, executemany of a one-row
    INSERT (the loop runs inside the sqlite3 module, with no round trips to save). Rows the database
    puts together itself (`insert_selected`): one INSERT ... SELECT a chunk."""

    VARYING = ("contact", "channel", "recipient", "subject", "body", "idempotency_key")
    STAGING = "fan_out_rows"

    def __init__(self, campaign, connection):
        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        template = Message(campaign_id=campaign.pk, purpose=campaign.purpose)
        varying = [Message._meta.get_field(name) for name in self.VARYING]
        shared = [f for f in Message._meta.concrete_fields if not f.primary_key and f not in varying]
        self.shared = tuple(f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in shared)
        quote = connection.ops.quote_name
        # Only the model's own table, column names and types go into the SQL; every value is a parameter.
        columns = ", ".join(quote(f.column) for f in varying + shared)
        table, key = quote(Message._meta.db_table), quote(Message._meta.get_field("idempotency_key").column)
        # PostgreSQL types a bare parameter in a SELECT list as text; SQLite must not be told a type (a
        # CAST to its DATETIME affinity turns a timestamp into a number).
        shared_values = ", ".join(
            f"CAST(%s AS {f.db_type(connection)})" if self.copy else "%s" for f in shared
        )
        # WHERE true: SQLite would read ON CONFLICT straight after a FROM as a join's ON.
        self.insert_select = (
            f"INSERT INTO {table} ({columns}) SELECT selected.*, {shared_values} "  # noqa: S608
            f"FROM ({{query}}) AS selected WHERE true ON CONFLICT ({key}) DO NOTHING"
        )
        if self.copy:
            staged = ", ".join(quote(f.column) for f in varying)
            # The connection's own, dropped when it closes; made in each chunk's transaction, so that a
            # connection pooler handing each transaction a different server connection is no matter.
            self.create_staging = (
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.STAGING} ON COMMIT DELETE ROWS AS "  # noqa: S608
                f"SELECT {staged} FROM {table} WITH NO DATA"
            )
            self.copy_sql = f"COPY {self.STAGING} ({staged}) FROM STDIN"
            values = f"{staged}, {shared_values}"
            # The chunk leaves the staging table as it goes in (even inside a caller's transaction,
            # where ON COMMIT would not yet have emptied it).
            self.sql = (
                f"WITH chunk AS (DELETE FROM {self.STAGING} RETURNING {staged}) "  # noqa: S608
                f"INSERT INTO {table} ({columns}) SELECT {values} FROM chunk ON CONFLICT ({key}) DO NOTHING"
            )
        else:
            self.sql = (
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(varying) + len(shared)))}) "  # noqa: S608
                f"ON CONFLICT ({key}) DO NOTHING"
            )
        self.rows: list[tuple] = []
        self.created = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= FAN_OUT_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Insert the waiting rows in their own transaction (short, so SQLite's other writers wait
        little), counting those added (not those already there)."""
        if not self.rows:
            return
        with (
            transaction.atomic(using=self.connection.alias, savepoint=False),
            self.connection.cursor() as cursor,
        ):
            if self.copy:
                cursor.execute(self.create_staging)
                with cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
                cursor.execute(self.sql, self.shared)
            else:
                cursor.executemany(self.sql, [row + self.shared for row in self.rows])
            self.created += max(cursor.rowcount, 0)
        self.rows = []

    def insert_selected(self, query: QuerySet) -> None:
        """Insert the rows `query` selects (a values_list of the VARYING columns, in their order) with
        one INSERT ... SELECT in its own transaction, counting those added."""
        try:
            sql, params = query.query.sql_with_params()
        except EmptyResultSet:
            return
        with (
            transaction.atomic(using=self.connection.alias, savepoint=False),
            self.connection.cursor() as cursor,
        ):
            # The shared values come first in the statement, so first in the parameters.
            cursor.execute(self.insert_select.format(query=sql), (*self.shared, *params))
            self.created += max(cursor.rowcount, 0)


def _strip_leaves_the_name(around: list[str]) -> bool:
    """Whether stripping the text (as sending does) can only touch the fixed words, never a name that
    starts or ends it: the database's trim is not Python's, so such a text is joined in Python."""
    return (
        bool(around[0]) and not around[0][0].isspace() and bool(around[-1]) and not around[-1][-1].isspace()
    )


def insert_in_sql(
    campaign: Campaign, audience: QuerySet, wordings: Wordings, writer: MessageWriter
) -> Q | None:
    """Insert the text messages of everyone whose text the database can put together itself, with no
    row coming through Python: one INSERT ... SELECT for each FAN_OUT_CHUNK contacts. That is a text
    campaign (no email: who gets which channel is then decided in Python) with no personal links, for
    the readers of each language whose wording is the same for everyone, or the same but for the name
    (a name with a bracket, which `render` could read as a placeholder, is left out). Returns which of
    the audience it covered, for the Python pass to leave out; None if nobody.

    `audience` is `campaigns.audience(campaign, reachable_only=False)`: each row's `sms_consent` is
    checked here, as `campaigns._channels_for` checks it in Python."""
    if not campaign.send_sms or campaign.send_email or wordings.personalised:
        return None
    bodies = {}
    uses_name = False
    for language in audience.order_by().values_list("language", flat=True).distinct():
        _, sms, before, after, *_ = wordings.for_contact(language)
        if sms.fixed is not None:
            bodies[language] = Value(f"{before}{sms.fixed.strip()}{after}")
        elif sms.around_name is not None and _strip_leaves_the_name(sms.around_name):
            first, *between, last = sms.around_name
            parts = [Value(before + first)]
            for words in between:
                parts += [F("name"), Value(words)]
            parts += [F("name"), Value(last + after)]
            bodies[language] = Concat(*parts, output_field=TextField())
            uses_name = True
    if not bodies:
        return None
    covered = Q(language__in=list(bodies))
    if uses_name:
        covered &= ~Q(name__contains="(") & ~Q(name__contains=")")
    rows = (
        audience.filter(covered, sms_consent=True, mobile__isnull=False)
        .exclude(mobile="")
        .order_by()
        .annotate(
            message_channel=Value(Channel.SMS.value),
            message_recipient=Cast("mobile", CharField()),
            message_subject=Value(""),
            message_body=Case(*(When(language=language, then=body) for language, body in bodies.items())),
            message_key=Concat(
                Value(f"campaign:{campaign.pk}:"), Cast("pk", CharField()), Value(f":{Channel.SMS.value}")
            ),
        )
        .values_list(
            "pk", "message_channel", "message_recipient", "message_subject", "message_body", "message_key"
        )
    )
    # Chunks of contact ids, each found by one walk of the primary key's index.
    contact_ids = Contact.objects.order_by("pk").values_list("pk", flat=True)
    after = 0
    while True:
        end = next(iter(contact_ids.filter(pk__gt=after)[FAN_OUT_CHUNK - 1 : FAN_OUT_CHUNK]), None)
        writer.insert_selected(
            rows.filter(pk__gt=after) if end is None else rows.filter(pk__gt=after, pk__lte=end)
        )
        if end is None:
            return covered
        after = end

"""CSV import of contacts: a dry run that checks every row and writes nothing, then an import task
that writes in chunks, with progress counts, and finally forgets the file (it is personal data).

Control characters are dropped from the file as it is read (a NUL cannot be stored at all), and each
value is single-line: a line break inside a quoted name becomes a space."""

import csv
import io
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from parentvoice.forms import EMAIL_MAX_LENGTH
from parentvoice.languages import best_match
from parentvoice.models import District
from parentvoice.phones import InvalidMobile, uk_mobile
from parentvoice.text import clean_text

from .choices import Channel, ConfirmedBy, ConsentSource, ImportStatus, ParentRole
from .models import Consent, Contact, ContactImport

REQUIRED_HEADERS = {"name", "email", "mobile"}
MAX_BYTES = 20 * 1024 * 1024
CHUNK = 500


class ImportFileError(Exception):
    pass


def _districts():
    lookup = {}
    for pk, name, code in District.objects.values_list("pk", "name", "ons_code"):
        lookup[name.lower()] = pk
        lookup[code.lower()] = pk
    return lookup


def _mobile(raw):
    """The same UK-mobile check as every form (landlines and foreign numbers are refused)."""
    try:
        return uk_mobile(raw), None
    except InvalidMobile as error:
        return None, str(error)[:1].lower() + str(error)[1:]


def _role_key(text: str) -> str:
    """'Step-parent', 'step parent', 'STEP_PARENT' and 'stepparent' all read 'stepparent'."""
    return re.sub(r"[\s_\-]+", "", text.casefold())


# Each role by its stored key or its label, however it is spaced, hyphenated or capitalised; the
# kinship carer also by its short label (without the explanation in brackets).
ROLES_BY_NAME = {
    _role_key(name): role.value
    for role in ParentRole
    for name in (role.value, role.label, role.label.split(" (")[0])
}


def parent_role(text: str) -> str | None:
    """The ParentRole key a CSV cell names, "" for an empty cell, or None if it names no role."""
    text = text.strip()
    if not text:
        return ""
    return ROLES_BY_NAME.get(_role_key(text))


def _languages_by_name() -> dict[str, str]:
    """Each language's code from its name in English or in itself, however capitalised ("Polish",
    "polski", "Polski")."""
    names = {}
    for code, own_name in settings.LANGUAGES:
        names[own_name.casefold()] = code
        try:
            info = translation.get_language_info(code)
        except KeyError:
            continue
        names[info["name"].casefold()] = code
        names[info["name_local"].casefold()] = code
    return names


def language(text: str, names: dict[str, str] | None = None) -> str | None:
    """The settings.LANGUAGES code a CSV cell names ("pl", "pl-PL", "Polish", "Polski"), "" for an
    empty cell, or None if it names no language we send messages in."""
    text = text.strip()
    if not text:
        return ""
    codes = [code for code, _ in settings.LANGUAGES]
    names = _languages_by_name() if names is None else names
    return names.get(text.casefold()) or best_match(text.replace("_", "-"), codes)


def parse_rows(text):
    """Yield (row number, cleaned row or None, [errors]) for every data row."""
    districts = _districts()
    language_names = _languages_by_name()
    seen_emails, seen_mobiles = {""}, {None}  # blanks never count as duplicates
    reader = csv.DictReader(io.StringIO(text))
    for number, raw in enumerate(reader, start=2):
        raw = {clean_text(key).strip().lower(): clean_text(value).strip() for key, value in raw.items()}
        errors = []
        email = raw.get("email", "").lower()
        if len(email) > EMAIL_MAX_LENGTH:
            errors.append(f"the email address is longer than {EMAIL_MAX_LENGTH} characters")
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append("the email address is not valid")
        mobile = None
        if raw.get("mobile"):
            mobile, problem = _mobile(raw["mobile"])
            if problem:
                errors.append(problem)
        if not email and not raw.get("mobile"):
            errors.append("there is no email address or mobile number")
        district = raw.get("district", "")
        district_id = districts.get(district.lower()) if district else None
        if district and district_id is None:
            errors.append(f"there is no district called '{district}'")
        role = parent_role(raw.get("parent_role", ""))
        if role is None:
            errors.append(f"'{raw.get('parent_role')}' is not a parent role we know")
        reads = language(raw.get("language", ""), language_names)
        if reads is None:
            errors.append(
                f"'{raw.get('language')}' is not a language we send messages in: use a name like Polish "
                "or a code like pl"
            )
        if (email and email in seen_emails) or (mobile and mobile in seen_mobiles):
            errors.append("this person is already on an earlier row")
        seen_emails.add(email)
        seen_mobiles.add(mobile)
        if errors:
            yield number, None, errors
        else:
            row = {
                "name": raw.get("name", "")[:120],
                "email": email or None,
                "mobile": mobile,
                "district_id": district_id,
            }
            yield number, {**row, "parent_role": role, "language": reads}, []


def _read(upload):
    if upload.size > MAX_BYTES:
        raise ImportFileError("The file is bigger than 20 MB. Split it into smaller files.")
    try:
        text = clean_text(upload.read().decode("utf-8-sig"), multiline=True)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "The file must be a CSV saved as UTF-8. In Excel, choose 'CSV UTF-8'."
        ) from error
    headers = {h.strip().lower() for h in next(csv.reader(io.StringIO(text)), [])}
    missing = REQUIRED_HEADERS - headers
    if missing:
        raise ImportFileError(f"The first row must name the columns. Missing: {', '.join(sorted(missing))}.")
    return text


def preview_import(upload, *, purposes, wording, user):
    """The dry run: check every row, write no contacts, and keep the counts and errors to show."""
    text = _read(upload)
    total = valid = 0
    row_errors = []
    for number, row, errors in parse_rows(text):
        total += 1
        if row is None:
            row_errors.append({"row": number, "errors": errors})
        else:
            valid += 1
    if total == 0:
        raise ImportFileError("The file has no rows after the column names.")
    return ContactImport.objects.create(
        uploaded_by=user,
        filename=getattr(upload, "name", "contacts.csv")[:255],
        csv_text=text,
        purposes=list(purposes),
        consent_wording=wording,
        rows_total=total,
        rows_valid=valid,
        rows_invalid=total - valid,
        row_errors=row_errors,
    )


def start_import(contact_import):
    from .tasks import import_contacts

    updated = ContactImport.objects.filter(pk=contact_import.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.RUNNING
    )
    if updated:
        transaction.on_commit(lambda: import_contacts.enqueue(contact_import.pk))


def run_import(import_id):
    contact_import = ContactImport.objects.get(pk=import_id)
    if contact_import.status != ImportStatus.RUNNING:
        return
    rows = [row for _, row, _ in parse_rows(contact_import.csv_text) if row is not None]
    try:
        for start in range(0, len(rows), CHUNK):
            created, updated = _import_chunk(contact_import, rows[start : start + CHUNK])
            ContactImport.objects.filter(pk=import_id).update(
                rows_done=start + min(CHUNK, len(rows) - start),
                rows_created=contact_import.rows_created + created,
                rows_updated=contact_import.rows_updated + updated,
            )
            contact_import.rows_created += created
            contact_import.rows_updated += updated
    except Exception:
        ContactImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED)
        raise
    ContactImport.objects.filter(pk=import_id).update(status=ImportStatus.DONE, csv_text="")


@transaction.atomic
def _import_chunk(contact_import, rows):
    emails = [r["email"] for r in rows if r["email"]]
    mobiles = [r["mobile"] for r in rows if r["mobile"]]
    existing = list(Contact.objects.filter(Q(email__in=emails) | Q(mobile__in=mobiles)))
    by_email = {c.email: c for c in existing if c.email}
    by_mobile = {str(c.mobile): c for c in existing if c.mobile}
    new, changed = [], {}
    for row in rows:
        contact = by_email.get(row["email"]) or by_mobile.get(row["mobile"])
        if contact is None:
            contact = Contact(**{**row, "language": row["language"] or settings.LANGUAGE_CODE})
            new.append(contact)
            if row["email"]:
                by_email[row["email"]] = contact
            continue
        contact.name = row["name"] or contact.name
        contact.email = contact.email or row["email"]
        contact.mobile = contact.mobile or row["mobile"]
        contact.district_id = row["district_id"] or contact.district_id
        contact.parent_role = row["parent_role"] or contact.parent_role
        contact.language = row["language"] or contact.language
        changed[contact.pk] = contact
    Contact.objects.bulk_create(new)
    if not all(c.pk for c in new):  # backends without RETURNING ids for bulk inserts
        new = list(
            Contact.objects.filter(Q(email__in=emails) | Q(mobile__in=mobiles)).exclude(pk__in=changed)
        )
    Contact.objects.bulk_update(
        changed.values(), ["name", "email", "mobile", "district", "parent_role", "language"]
    )
    now = timezone.now()
    consents = [
        Consent(
            contact=contact,
            channel=channel,
            purpose=purpose,
            granted=True,
            source=ConsentSource.IMPORT,
            wording=contact_import.consent_wording,
            recorded_by=contact_import.uploaded_by,
            confirmed_by=ConfirmedBy.OFFICER,
            confirmed_at=now,
            confirmed_address=contact.address_for(channel),
        )
        for contact in [*new, *changed.values()]
        for channel in (Channel.SMS, Channel.EMAIL)
        if contact.address_for(channel)
        for purpose in contact_import.purposes
    ]
    Consent.objects.bulk_create(consents)
    through = ContactImport.contacts.through
    through.objects.bulk_create(
        [through(contactimport_id=contact_import.pk, contact_id=c.pk) for c in [*new, *changed.values()]],
        ignore_conflicts=True,
    )
    return len(new), len(changed)

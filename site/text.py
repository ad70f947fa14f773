"""Input hygiene: the one place text that comes in (web answers, forms, texts, imports) is cleaned.

PostgreSQL refuses a NUL character in text (a 500 if it reaches the database), spreadsheet files
cannot hold most other control characters (openpyxl refuses them, so an export would break), an
email header with a line break in it cannot be sent, and Unicode's bidirectional overrides can make a
name display as something else. So:

- `clean_text` removes control characters (C0 and C1, DEL), bidirectional embedding, override and
  isolate characters, byte order marks, unpaired surrogates and the noncharacters U+FFFE and U+FFFF.
  Multi-line text keeps its line breaks (normalised to "\\n") and tabs; single-line text gets a space
  for each of them. Nothing else changes: accents, other scripts, emoji (zero-width joiners
  included) and surrounding spaces are left as they are.
- `has_nul` says whether to refuse a value outright, where someone can be told (a form, a web
  answer); where nobody can be asked again (a text message, an import row) the NUL is just removed.
- `spreadsheet_safe` keeps a CSV or Excel cell from being run as a formula; `masked_email` and
  `masked_mobile` show an address or number without giving it away; `national_mobile` writes a +44
  number as people do.
- `parse_int` reads a whole number written with the digits 0-9 only. `str.isdigit()` is True for
  "²", which `int()` then refuses, and `int()` accepts "١" (Arabic-Indic one), so neither may decide.

Pure functions: no Django, no database.
"""

import re

NUL = "\x00"
NUL_MESSAGE = (
    "This contains a hidden character we cannot store. Type it again rather than copying and pasting it"
)

# Line breaks of every kind become "\n": CRLF and CR (old Macs, some phones), NEL, and Unicode's line
# and paragraph separators.
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_REMOVED = (
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls except tab (09), line feed (0a), carriage return (0d)
    "\x7f-\x9f"  # DEL and the C1 controls
    "\u202a-\u202e"  # bidirectional embeddings and overrides (U+202E writes a name backwards)
    "\u2066-\u2069"  # bidirectional isolates
    "\ufeff"  # byte order mark / zero-width no-break space
    "\ud800-\udfff"  # unpaired surrogates: not valid UTF-8, so no database can store them
    "\ufffe\uffff"  # noncharacters: not allowed in XML, so not in a spreadsheet
)
_REMOVE = re.compile(f"[{_REMOVED}]")
_SINGLE_LINE = re.compile("[\t\n]")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def clean_text(value, *, multiline=False):
    """`value` with the characters above removed; single-line text has a space for each line break or
    tab. Idempotent, and never longer than `value`. None becomes ""."""
    if value is None:
        return ""
    text = str(value)
    # Every character removed or replaced here is one Python calls unprintable: most text needs no
    # more than this one pass in C (an export cleans hundreds of thousands of cells).
    if text.isprintable():
        return text
    text = _REMOVE.sub("", _LINE_BREAKS.sub("\n", text))
    if not multiline:
        text = _SINGLE_LINE.sub(" ", text)
    return text


def has_nul(value):
    return isinstance(value, str) and NUL in value


def is_ascii_digits(value):
    """True for a non-empty string of the digits 0-9 only ("²" and "١" are not)."""
    return isinstance(value, str) and value.isascii() and value.isdecimal()


def parse_int(value, *, max_digits=None):
    """The whole number `value` spells with an optional minus sign and the digits 0-9, or None.
    `max_digits` bounds the number of digits, so a huge string never becomes a huge int."""
    if not isinstance(value, str) or not _WHOLE_NUMBER.fullmatch(value):
        return None
    if max_digits is not None and len(value.lstrip("-")) > max_digits:
        return None
    return int(value)


# A spreadsheet runs a cell starting (after spaces) with one of these as a formula.
# With the full-width forms, which spreadsheets also read as formula starts.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(text: str) -> str:
    """The text as a spreadsheet will show it, never run: a leading apostrophe before a formula start."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def masked_email(email: str) -> str:
    """Enough of an address for its owner to recognise it on screen, not enough to write to it."""
    local, _, domain = (email or "").partition("@")
    if not domain:
        return ""
    return f"{local[:1]}•••@{domain}"


def national_mobile(mobile) -> str:
    """ "+447700900982" as people write it, "07700 900982" (a leading + would be a formula too)."""
    text = str(mobile or "")
    if text.startswith("+44") and len(text) == 13:
        return f"0{text[3:7]} {text[7:]}"
    return text


def masked_mobile(mobile) -> str:
    """Enough of a number for its owner (or a coordinator telling two bookings apart) to recognise it
    on screen, not enough to ring it."""
    national = national_mobile(mobile).replace(" ", "")
    if len(national) < 6:
        return "•" * len(national)
    return f"{national[:2]}••• •••{national[-3:]}"

"""The words people text to steer a consultation by text, in each language, and how a typed word is
compared with them (docs/languages.md, "Answering by text in other languages").

Each language lists, per command, the words accepted; the first is the one our texts name. English
words work in every language (a parent may know SKIP from elsewhere), so Nepali and Urdu texts name
the English words, which any phone can type, and also accept their own words in their own script and
in Latin letters. STOP and HELP are messaging's words and work in every language as they are; a
language's word for help is taken as HELP only inside a conversation.

Comparison ignores case, spaces ("od nowa", "ODNOWA"), Latin accents ("POMIN" is "POMIŃ"), invisible
joiners, and the differences NFKC removes (full-width letters, compatibility forms), so it works for
keywords in any script too (`fold`)."""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parentvoice.languages import primary


@dataclass(frozen=True)
class Words:
    skip: tuple[str, ...]
    back: tuple[str, ...]
    restart: tuple[str, ...]
    yes: tuple[str, ...]  # consent-grade: what we ask for ("Reply YES to…"); never OK or a thumbs-up
    help: tuple[str, ...] = ()


ENGLISH = Words(skip=("SKIP",), back=("BACK",), restart=("RESTART",), yes=("YES", "Y"), help=("HELP",))

# Keyed by primary language code (parentvoice.languages.primary): "pl", "ne", "ur".
WORDS = {
    "en": ENGLISH,
    "pl": Words(
        skip=("POMIŃ",),
        back=("WSTECZ", "COFNIJ"),
        restart=("OD NOWA",),
        yes=("TAK",),
        help=("POMOC",),
    ),
    "ne": Words(
        skip=("SKIP", "छोड्नुहोस्", "छोड"),
        back=("BACK", "पछाडि", "PACHHADI"),
        restart=("RESTART", "फेरि सुरु", "PHERI SURU"),
        yes=("YES", "हो", "HO", "हजुर", "HAJUR"),
        help=("HELP", "मद्दत", "MADDAT"),
    ),
    "ur": Words(
        skip=("SKIP", "چھوڑیں", "چھوڑ دیں"),
        back=("BACK", "واپس", "WAPAS"),
        restart=("RESTART", "دوبارہ شروع", "دوبارہ", "DOBARA"),
        yes=("YES", "ہاں", "جی", "HAAN", "JI"),
        help=("HELP", "مدد", "MADAD"),
    ),
}

COMMANDS = ("skip", "back", "restart", "help")

# Urdu typed on an Arabic keyboard gives Arabic yeh and kaf; Urdu text has the Farsi-style letters.
_ARABIC_VARIANTS = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0649": "\u06cc"})
# Latin letters with a stroke, which have no decomposition to strip.
_LATIN_STROKES = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d"})
_LAST_LATIN = "\u024f"  # the end of Latin Extended-B


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A typed word or keyword reduced to what it is compared as: upper case, no spaces, Latin
    accents removed. Marks on other scripts stay (a Devanagari vowel sign is a mark too, and
    removing it would change the word)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width joiners
    text = text.translate(_ARABIC_VARIANTS).translate(_LATIN_STROKES)
    kept, latin = [], False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if latin:
                continue
        else:
            latin = ch <= _LAST_LATIN
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept)).upper()
    return "".join(text.split()).rstrip(".!")


# Cyrillic and Greek capitals drawn like Latin ones. A keyword typed with one (pasted, or from another
# keyboard) looks on a poster like the Latin word, which is what people will text.
_LATIN_LOOKALIKES = str.maketrans(
    {
        **dict(zip("АВЕЅІЈКМНОРСТХУ", "ABESIJKMHOPCTXY", strict=True)),  # Cyrillic
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),  # Greek
    }
)


def looks_like(text: str) -> str:
    """`fold(text)` as it looks: Cyrillic and Greek letters drawn like Latin ones read as those, so
    two keywords that look the same on a poster compare equal."""
    return fold(text).translate(_LATIN_LOOKALIKES)


def scripts(text: str) -> set[str]:
    """The writing systems of the letters in `text` ("LATIN", "CYRILLIC", "DEVANAGARI"...), from
    their Unicode names; marks and digits belong to none."""
    return {
        unicodedata.name(ch, "?").split(" ")[0] for ch in text if unicodedata.category(ch).startswith("L")
    }


def for_language(code: str | None) -> Words:
    """The words for a page's language (English for a language with none of its own)."""
    return WORDS.get(primary(code or "en"), ENGLISH)


def shown(code: str | None, command: str) -> str:
    """The word our texts name for a command in this language, e.g. shown("pl", "skip") == "POMIŃ"."""
    return getattr(for_language(code), command)[0]


@lru_cache(maxsize=64)
def _accepted(code: str) -> dict[str, str]:
    accepted = {}
    for words in (ENGLISH, for_language(code)):
        for command in COMMANDS:
            for word in getattr(words, command):
                accepted.setdefault(fold(word), command.upper())
    return accepted


def command(text: str, code: str | None = None) -> str | None:
    """ "SKIP", "BACK", "RESTART" or "HELP" when the whole reply is one of them in English or the
    language `code`; with no code, in any language (used before the conversation is known)."""
    word = fold(text)
    if code is None:
        return next((found for c in WORDS if (found := _accepted(c).get(word))), None)
    return _accepted(primary(code)).get(word)


def is_yes(text: str, code: str | None) -> bool:
    """YES (or Y) or this language's word for it. `code` None: any language's."""
    word = fold(text)
    languages = WORDS.values() if code is None else (ENGLISH, for_language(code))
    return any(word == fold(yes) for words in languages for yes in words.yes)


def every_word() -> set[str]:
    """Every word of every language, folded: none may be a consultation's keyword."""
    return {
        fold(word)
        for words in WORDS.values()
        for command in (*COMMANDS, "yes")
        for word in getattr(words, command)
    }

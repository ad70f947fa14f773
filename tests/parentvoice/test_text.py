"""Input hygiene's pure functions (parentvoice.text), checked as properties over generated text, and
the form mixin that applies them."""

import unicodedata

import pytest
from django import forms
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from parentvoice import text as text_module
from parentvoice.forms import CleanTextMixin, EmailAddressField
from parentvoice.text import NUL_MESSAGE, clean_text, has_nul, is_ascii_digits, parse_int, spreadsheet_safe

BOUNDED = settings(max_examples=200, deadline=None)
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Anything at all, surrogates included (they can arrive from a badly encoded file).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
# Text a person means to write: letters, marks, numbers, punctuation, symbols, spaces (emoji with
# zero-width joiners among them), in any script.
plain_text = st.text(
    st.characters(categories=["L", "M", "N", "P", "S", "Zs"]) | st.sampled_from(["\u200d", "\u200c"]),
    max_size=60,
)


def _allowed(char, multiline):
    if char in "\n\t":
        return multiline
    category = unicodedata.category(char)
    return (
        category not in {"Cc", "Cs"}
        and char not in BIDI_CONTROLS
        and char not in "\ufeff\ufffe\uffff\u2028\u2029"
    )


@BOUNDED
@given(any_text, st.booleans())
@example("Ann\x00 Smith\r\n\x1b[31m\u202eevil\x7f\x85\u2028", True)
def test_clean_text_leaves_only_characters_a_database_a_spreadsheet_and_a_reader_can_take(value, multiline):
    cleaned = clean_text(value, multiline=multiline)
    assert all(_allowed(char, multiline) for char in cleaned)
    assert not ILLEGAL_CHARACTERS_RE.search(cleaned)  # openpyxl would refuse to write it
    cleaned.encode("utf-8")  # PostgreSQL stores UTF-8: no unpaired surrogates
    assert len(cleaned) <= len(value)


def test_every_character_clean_text_changes_is_one_python_calls_unprintable():
    """clean_text returns printable text as it is without reading it character by character: that is
    right only while none of the characters its patterns remove or replace is printable."""
    patterns = (text_module._REMOVE, text_module._LINE_BREAKS, text_module._SINGLE_LINE)
    changed = [char for char in map(chr, range(0x110000)) if any(p.search(char) for p in patterns)]
    assert "\x00" in changed and "\u202e" in changed and "\n" in changed and "\u2028" in changed
    assert [char for char in changed if char.isprintable()] == []


@BOUNDED
@given(any_text, st.booleans())
def test_clean_text_is_idempotent(value, multiline):
    once = clean_text(value, multiline=multiline)
    assert clean_text(once, multiline=multiline) == once


@BOUNDED
@given(plain_text)
def test_what_people_mean_to_write_is_left_exactly_as_it_was(value):
    assert clean_text(value) == value
    assert clean_text(value, multiline=True) == value


@BOUNDED
@given(st.lists(plain_text, max_size=4))
def test_multi_line_text_keeps_its_lines_and_single_line_text_gets_spaces(lines):
    for newline in ("\n", "\r\n", "\r", "\u2028"):
        written = newline.join(lines)
        assert clean_text(written, multiline=True) == "\n".join(lines)
        assert clean_text(written) == " ".join(lines)


def test_examples():
    assert clean_text("Ann\nSmith") == "Ann Smith"
    assert clean_text("Bcc: x\r\nSubject") == "Bcc: x Subject"
    assert clean_text("a\tb\x00c\x07d", multiline=True) == "a\tbcd"
    assert clean_text("\u202egnp.exe") == "gnp.exe"
    assert clean_text("👩\u200d👩\u200d👧 Zoë, علي") == "👩\u200d👩\u200d👧 Zoë, علي"
    assert clean_text(None) == ""
    assert has_nul("a\x00") and not has_nul("a") and not has_nul(None)


@BOUNDED
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_int_reads_every_whole_number_written_in_0_to_9(number):
    assert parse_int(str(number)) == number
    assert is_ascii_digits(str(abs(number)))


@BOUNDED
@given(any_text)
@example("²")
@example("١")
@example("3²")
@example("12\n")
@example("")
@example("-")
def test_parse_int_never_raises_and_accepts_only_ascii_digits(value):
    digits = value[1:] if value.startswith("-") else value
    if digits and all(c in "0123456789" for c in digits):
        assert parse_int(value) == int(value)
    else:
        assert parse_int(value) is None
    assert is_ascii_digits(value) == (bool(value) and all(c in "0123456789" for c in value))


def test_parse_int_examples():
    assert parse_int("²") is None and parse_int("١") is None and parse_int("1²") is None
    assert "²".isdigit()  # why str.isdigit() must not decide what int() gets
    assert parse_int("-12") == -12 and parse_int("007") == 7
    assert parse_int("1234567890", max_digits=9) is None and parse_int("123456789", max_digits=9) == 123456789
    assert parse_int(" 1") is None and parse_int("1.0") is None and parse_int(None) is None


class _Form(CleanTextMixin, forms.Form):
    name = forms.CharField(required=True, error_messages={"required": "Enter your name"})
    story = forms.CharField(required=False, widget=forms.Textarea)
    email = EmailAddressField(required=False)


def test_the_form_mixin_cleans_single_and_multi_line_fields():
    form = _Form(data={"name": "Ann\r\nSmith\u202e", "story": "Line one\r\nLine\x07 two\tend"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Ann Smith"
    assert form.cleaned_data["story"] == "Line one\nLine two\tend"


@pytest.mark.parametrize("name", ["\x00", "Ann\x00"])
def test_the_form_mixin_refuses_a_nul_with_its_own_message_only(name):
    form = _Form(data={"name": name})
    assert not form.is_valid()
    assert form.errors["name"] == [NUL_MESSAGE]


def test_the_form_mixin_covers_fields_added_in_init():
    class Later(CleanTextMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["late"] = forms.CharField()

    form = Later(data={"late": "a\x1bb"})
    assert form.is_valid() and form.cleaned_data["late"] == "ab"


def test_an_email_address_over_254_characters_is_refused_clearly():
    address = "a" * 243 + "@example.org"  # 255 characters; Django alone accepts up to 320
    form = _Form(data={"name": "Ann", "email": address})
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter an email address that is 254 characters or fewer"]
    assert _Form(data={"name": "Ann", "email": address[1:]}).is_valid()


@pytest.mark.parametrize("cell", ["\n=1+1", '＝HYPERLINK("x")', "＋1", "－1", "＠SUM(A1)", " \r=1"])
def test_spreadsheet_safe_also_defuses_line_breaks_and_full_width_formula_starts(cell):
    assert spreadsheet_safe(cell).startswith("'")

"""Reading the address typed on a one-time link page (a parent's own page, save and come back later)."""

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from messaging.choices import Channel
from messaging.one_time_links import AddressProblem, new_token, parse_address, token_has_shape, token_hash


@given(st.text(max_size=300))
@hypothesis_settings(max_examples=60, deadline=None)
def test_parse_address_gives_a_stored_spelling_or_a_plain_problem(text):
    try:
        channel, address = parse_address(text)
    except AddressProblem as problem:
        assert str(problem)
        return
    assert channel in (Channel.EMAIL, Channel.SMS) and len(address) <= 254
    assert address == address.strip() and not any(ord(c) < 32 for c in address)
    if channel == Channel.EMAIL:
        assert address == address.lower()
    else:
        assert address.startswith("+44")
    assert parse_address(address) == (channel, address)  # what we store reads back the same


def test_a_new_token_has_the_shape_the_pages_accept_and_only_its_hash_is_kept():
    token = new_token()
    assert token_has_shape(token) and not token_has_shape(token + "x") and not token_has_shape(None)
    assert len(token_hash(token)) == 64 and token not in token_hash(token)

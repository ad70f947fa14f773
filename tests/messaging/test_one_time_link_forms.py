"""The two pages that send a one-time link (a parent's own page, save and come back later) read the
typed address with one function, messaging.one_time_links.clean_address."""

import pytest

from forums.forms import ParentPageRequestForm
from messaging import one_time_links
from messaging.choices import Channel
from surveys.forms import ResumeLinkForm

FORMS = [ParentPageRequestForm, ResumeLinkForm]


@pytest.mark.parametrize("form_class", FORMS)
def test_each_form_uses_the_one_clean_address(form_class):
    assert form_class.clean_address is one_time_links.clean_address


@pytest.mark.parametrize("form_class", FORMS)
@pytest.mark.parametrize(
    ("typed", "channel", "stored"),
    [
        (" Pat@Example.ORG ", Channel.EMAIL, "pat@example.org"),
        ("07700 900 982", Channel.SMS, "+447700900982"),
        ("+44 7700 900982", Channel.SMS, "+447700900982"),
    ],
)
def test_an_address_is_stored_as_every_form_stores_it(form_class, typed, channel, stored):
    form = form_class({"address": typed})
    assert form.is_valid(), form.errors
    assert (form.channel, form.cleaned_data["address"]) == (channel, stored)


@pytest.mark.parametrize("form_class", FORMS)
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("pat@", one_time_links.BAD_EMAIL),
        ("hello", one_time_links.NOT_AN_ADDRESS),
        ("01632 960 000", "mobile"),
    ],
)
def test_something_not_an_address_says_what_to_do(form_class, typed, error):
    form = form_class({"address": typed})
    assert not form.is_valid()
    assert error in form.errors["address"][0] and not hasattr(form, "channel")

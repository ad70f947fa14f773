"""UK mobile numbers: the only numbers Parent Voice texts. One check for every form and the CSV import,
so a landline or a foreign number (SMS pumping fraud sends texts to premium foreign ranges) gets the
same clear error everywhere."""

import phonenumbers
from phonenumbers import PhoneNumberType

NOT_A_NUMBER = "Enter a UK mobile number, like 07700 900 982"
NOT_UK = "Enter a UK mobile number, starting 07 or +447. We cannot text numbers outside the UK"
NOT_MOBILE = "Enter a mobile number: we can only send texts to mobiles, not landlines"
MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
# Ofcom keeps 07700 900000 to 900999 for drama and tests. They are not valid numbers, but the demo and
# the phone simulator use them, so they are accepted as UK mobiles.
DRAMA_PREFIX = "+447700900"


class InvalidMobile(ValueError):
    """The message says what to do, in words for the person who typed the number."""


def is_drama_number(e164: str) -> bool:
    return e164.startswith(DRAMA_PREFIX) and len(e164) == len(DRAMA_PREFIX) + 3


def uk_mobile(text: str) -> str:
    """The number in E.164 form (+447…), or InvalidMobile saying what is wrong."""
    text = (text or "").strip()
    if not text:
        raise InvalidMobile(NOT_A_NUMBER)
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException as error:
        raise InvalidMobile(NOT_A_NUMBER) from error
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # +44 also covers the Isle of Man and the Channel Islands, whose texts cost more: GB only.
    if number.country_code != 44 or phonenumbers.region_code_for_number(number) not in ("GB", None):
        raise InvalidMobile(NOT_UK)
    if is_drama_number(e164):
        return e164
    if not phonenumbers.is_valid_number(number):
        raise InvalidMobile(NOT_A_NUMBER)
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidMobile(NOT_MOBILE)
    return e164

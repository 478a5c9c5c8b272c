"""Comparison keys for phone numbers: one national form, by Google's libphonenumber metadata.

    phone_key("+81(0)80-1111-2929") → "08011112929"
    phone_key("０５９－２０２－５００５ 内線12") → "0592025005"
    phone_key("+1 415-555-0100") → "+14155550100"

A Japanese number becomes its national digits with the leading 0, whichever way it was written
(+81, 0081, 010-81, (0), brackets, full width, spaces); a foreign one its E.164 form. The first
number of the text is taken (a second one, or an extension such as 内線12, is dropped).

'' when the text holds no number that can be compared: empty, too short or too long for a
Japanese number ('0'), a placeholder ('000-0000-0000', '090-0000-0000'), or a local number
without its area code ('202-4004'). A local number is not kept as its digits: it cannot be told
equal to or different from a full one, and '' makes the comparison "missing", which is what it
is, instead of a disagreement. Validity is checked by length only, not against the allocated
ranges of the metadata: a number the metadata does not know yet is still the family's number.
"""

import re
from functools import lru_cache

import phonenumbers

from . import normalise

# The first run of a number: digits, +, brackets, dashes, dots and spaces between them.
_NUMBER = re.compile(r"\(?\+?\d[\d\s().\-‐–—―−ー⁃~〜]*\d\)?")
_NOT_DIGIT = re.compile(r"\D")
# A number dialled within Japan: trunk prefix 0, not the international prefixes 00 and 010.
_DOMESTIC = re.compile(r"^0(?!0|10)\d{9,10}$")
_SAME_DIGIT = re.compile(r"^(\d)\1*$")
_PLACEHOLDER_DIGITS = 7


@lru_cache(maxsize=200_000)
def phone_key(text: str | None) -> str:
    """The national digits of a Japanese number ('0592024004'), E.164 for a foreign one."""
    found = _NUMBER.search(normalise.clean(text))
    if not found:
        return ""
    written = found.group()
    digits = _NOT_DIGIT.sub("", written)
    if written.lstrip("(").startswith("+"):
        digits = "+" + digits
    elif digits.startswith("00"):  # 0081…: the international prefix of most other countries
        digits = "+" + digits[2:]
    return _digits_key(digits)


@lru_cache(maxsize=200_000)
def _digits_key(digits: str) -> str:
    if _DOMESTIC.match(digits):
        # What parse() would make of it, without its cost (most of the input looks like this).
        number = phonenumbers.PhoneNumber(country_code=81, national_number=int(digits[1:]))
    else:
        try:
            number = phonenumbers.parse(digits, "JP")
        except phonenumbers.NumberParseException:
            return ""
    national = phonenumbers.national_significant_number(number)
    if (
        not phonenumbers.is_possible_number(number)
        or national.startswith("0")
        or _SAME_DIGIT.match(national[-_PLACEHOLDER_DIGITS:])
    ):
        return ""
    if number.country_code == 81:
        return "0" + national
    return f"+{number.country_code}{national}"

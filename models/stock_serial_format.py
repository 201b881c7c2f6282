# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The format of a generator's serials: prefix + zero-padded counter number +
suffix + check character(s).

A `SerialFormat` is immutable and needs no database: the generator builds it
for a product, location, source, company and period
(``stock.serial.generator._get_serial_format``), a serial block rebuilds it
from its frozen fields, and the CSV export streams with it once the request's
cursor is gone. Every place that renders, parses or matches serials asks it.
"""

import re
from typing import NamedTuple

from stdnum import ean, luhn
from stdnum.iso7064 import mod_37_36, mod_97_10

CHECK_DIGITS = [
    ("none", "None"),
    ("luhn", "Luhn (mod 10)"),
    ("gs1", "GS1 mod 10"),
    ("mod_97_10", "ISO 7064 mod 97-10"),
    ("mod_37_36", "ISO 7064 mod 37-36 (alphanumeric)"),
]
# key: (python-stdnum module, its function, check characters, numeric only)
CHECK_DIGIT_ALGORITHMS = {
    "luhn": (luhn, "calc_check_digit", 1, True),
    "gs1": (ean, "calc_check_digit", 1, True),
    "mod_97_10": (mod_97_10, "calc_check_digits", 2, False),
    "mod_37_36": (mod_37_36, "calc_check_digit", 1, False),
}


# Odoo's own ir.sequence date placeholders (plus range_ and current_ variants).
DATE_PLACEHOLDERS = {
    "year",
    "month",
    "day",
    "y",
    "doy",
    "woy",
    "weekday",
    "h24",
    "h12",
    "min",
    "sec",
    "isoyear",
    "isoy",
    "isoweek",
}
SEQUENCE_PLACEHOLDERS = (
    DATE_PLACEHOLDERS
    | {"range_" + key for key in DATE_PLACEHOLDERS}
    | {"current_" + key for key in DATE_PLACEHOLDERS}
)
# Placeholders this module adds, rendered from the allocation's records.
CODE_PLACEHOLDERS = (
    "product_code",
    "categ_code",
    "warehouse_code",
    "location_code",
    "company_code",
    "source",
)
SOURCE_CODES = {
    "purchase": "P",
    "opening": "O",
    "manufacture": "M",
    "block": "B",
    "manual": "X",
}
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")


class KeepDatePlaceholders(dict):
    """Mapping that renders our codes and gives date placeholders back untouched,
    so that ir.sequence interpolates the dates afterwards."""

    def __missing__(self, key):
        if key in SEQUENCE_PLACEHOLDERS:
            return "%%(%s)s" % key
        raise KeyError(key)


class CheckDigitError(ValueError):
    """A numeric check digit met a serial with letters (args: the serial)."""


def check_digit_payload(serial):
    """The characters a check digit covers: letters and digits, upper case;
    separators such as '-' or '/' are left out."""
    return "".join(char for char in serial.upper() if char.isalnum())


def check_digit_width(check_digit):
    """How many check characters `check_digit` appends."""
    algorithm = CHECK_DIGIT_ALGORITHMS.get(check_digit or "none")
    return algorithm[2] if algorithm else 0


def add_check_characters(serials, check_digit):
    """Append the `check_digit` algorithm's check character(s) to each of
    `serials`; raise CheckDigitError(serial) when a numeric algorithm meets a
    letter."""
    if not check_digit or check_digit == "none":
        return list(serials)
    module, function, _width, numeric = CHECK_DIGIT_ALGORITHMS[check_digit]
    calc = getattr(module, function)
    result = []
    for serial in serials:
        payload = check_digit_payload(serial)
        if numeric and not payload.isdigit():
            raise CheckDigitError(serial)
        result.append(serial + calc(payload))
    return result


def is_valid_check_digit(serial, check_digit):
    """True when `serial` ends with the check character(s) its body gives."""
    width = check_digit_width(check_digit)
    if not width:
        return True
    body = serial[:-width]
    if not check_digit_payload(body):
        return False
    try:
        return add_check_characters([body], check_digit)[0] == serial
    except CheckDigitError:
        return False


class SerialFormat(NamedTuple):
    """Rendered prefix and suffix, padding and check digit of serials."""

    prefix: str
    suffix: str
    padding: int
    check_digit: str = "none"

    def render(self, numbers):
        """The serials of counter `numbers` (CheckDigitError, see above)."""
        prefix, suffix, padding = self.prefix, self.suffix, self.padding
        serials = ["%s%0*d%s" % (prefix, padding, number, suffix) for number in numbers]
        return add_check_characters(serials, self.check_digit)

    def parse(self, serial, check=True):
        """The counter number `serial` was rendered from, or None. With
        `check` false, the check character(s) are only counted, not checked."""
        width = check_digit_width(self.check_digit)
        body = serial[:-width] if width else serial
        prefix, suffix = self.prefix, self.suffix
        if (
            len(body) <= len(prefix) + len(suffix)
            or not body.startswith(prefix)
            or not body.endswith(suffix)
        ):
            return None
        digits = body[len(prefix) : len(body) - len(suffix)]
        if not (digits.isascii() and digits.isdigit()):
            return None
        number = int(digits)
        if "%0*d" % (self.padding, number) != digits:
            return None
        if check and width and not is_valid_check_digit(serial, self.check_digit):
            return None
        return number

    def match(self, serial):
        """Whether `serial` is a serial of this format."""
        return self.parse(serial) is not None

    def to_regex(self, wildcard=None):
        """Regex of this format's serials (group 1: the counter number);
        `wildcard` in the prefix or suffix matches any text there."""

        def escape(text):
            if not wildcard:
                return re.escape(text)
            return ".+?".join(re.escape(part) for part in text.split(wildcard))

        return re.compile(
            r"^%s(\d+)%s.{%d}$"
            % (
                escape(self.prefix),
                escape(self.suffix),
                check_digit_width(self.check_digit),
            )
        )

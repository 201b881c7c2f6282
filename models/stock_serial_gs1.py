# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GS1 rules of serials, without database: the element strings scanned from
GS1-128, GS1 DataMatrix or GS1 QR codes (decomposed by Odoo's GS1
nomenclature, see ``stock.serial.allocator._read_serial_lines``), and what a
serial must be for GS1's serial number (AI 21) and for RFID tags (SGTIN-96).
"""

import re

# GS1 General Specifications, figure 7.11-1: the characters of AI (21) and
# AI (10) values ("GS1 AI encodable character set 82").
CHARSET_82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
GS1_SERIAL_MAX_LENGTH = 20
# An SGTIN-96 tag keeps the serial in 38 bits, as a number without leading zero.
SGTIN96_MAX_SERIAL = 2**38 - 1

FNC1 = "\x1d"
# Symbology identifiers a scanner may send first (ISO/IEC 15424): GS1-128,
# GS1 DataBar, GS1 DataMatrix, GS1 QR Code, GS1 DotCode.
SYMBOLOGY_IDENTIFIERS = ("]C1", "]e0", "]d2", "]Q3", "]J1")
# The human readable interpretation: "(01)09506000134352(21)ABC123".
HRI_AI_RE = re.compile(r"\((\d{2,4})\)")


def normalize_gtin(barcode):
    """The GTIN-14 of a GTIN-8, -12, -13 or -14 `barcode`, or None."""
    barcode = (barcode or "").strip()
    if barcode.isascii() and barcode.isdigit() and len(barcode) in (8, 12, 13, 14):
        return barcode.zfill(14)
    return None


def to_element_string(text, gtin=None):
    """The GS1 element string `text` carries (AIs and values, FNC1 between
    variable-length values), or None when `text` is a plain serial.

    `text` is a GS1 code when it starts with a symbology identifier, holds an
    FNC1 (GS) separator or is written with its AIs in parentheses; without
    any of these, only when it starts with AI (01) and the GTIN-14 `gtin`
    (scanners often send neither identifier nor leading FNC1)."""
    for identifier in SYMBOLOGY_IDENTIFIERS:
        if text.startswith(identifier):
            return text[len(identifier) :].lstrip(FNC1)
    if FNC1 in text:
        return text.lstrip(FNC1)
    if HRI_AI_RE.match(text):
        # ['', '01', '0950...', '21', 'ABC123']: AI and value pairs.
        parts = HRI_AI_RE.split(text)[1:]
        return FNC1.join(
            ai + value.strip()
            for ai, value in zip(parts[::2], parts[1::2], strict=True)
        )
    if gtin and text.startswith("01" + gtin):
        return text
    return None


def printable_element_string(code):
    """`code` with its FNC1 separators shown."""
    return code.replace(FNC1, "<GS>")


def gs1_serial_problems(serial):
    """The problems of `serial` as a GS1 serial number (AI 21):
    {"charset": the characters outside set 82, "length": its length}."""
    problems = {}
    outside = sorted(set(serial) - CHARSET_82)
    if outside:
        problems["charset"] = outside
    if len(serial) > GS1_SERIAL_MAX_LENGTH:
        problems["length"] = len(serial)
    return problems


def sgtin96_serial_problems(serial):
    """The problems of `serial` as the serial of an SGTIN-96 tag:
    "digits" (not numeric), "leading_zero", "too_big"."""
    if not (serial.isascii() and serial.isdigit()):
        return {"digits": True}
    problems = {}
    if len(serial) > 1 and serial.startswith("0"):
        problems["leading_zero"] = True
    if int(serial) > SGTIN96_MAX_SERIAL:
        problems["too_big"] = True
    return problems

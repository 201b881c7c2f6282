# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time
from stdnum import luhn

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from ..models.stock_serial_gs1 import (
    CHARSET_82,
    SGTIN96_MAX_SERIAL,
    gs1_serial_problems,
    normalize_gtin,
    sgtin96_serial_problems,
    to_element_string,
)
from .common import SerialAllocationCommon
from .receipt_common import ReceiptFlowCommon

GS = "\x1d"
# GTINs of the GS1 General Specifications' and GS1 DataMatrix Guideline's
# examples.
GTIN = "09506000134352"
OTHER_GTIN = "09501101530003"


class TestGs1Codes(SerialAllocationCommon):
    """The GS1 rules without database."""

    def test_charset_82(self):
        self.assertEqual(len(CHARSET_82), 82)
        self.assertEqual(gs1_serial_problems("ABC-123/x_y.z"), {})
        self.assertEqual(gs1_serial_problems("A B#1"), {"charset": [" ", "#"]})
        self.assertEqual(
            gs1_serial_problems("Ä" + "1" * 20), {"charset": ["Ä"], "length": 21}
        )

    def test_sgtin96(self):
        self.assertEqual(SGTIN96_MAX_SERIAL, 274877906943)
        self.assertEqual(sgtin96_serial_problems("274877906943"), {})
        self.assertEqual(sgtin96_serial_problems("274877906944"), {"too_big": True})
        self.assertEqual(sgtin96_serial_problems("0123"), {"leading_zero": True})
        self.assertEqual(sgtin96_serial_problems("12A"), {"digits": True})

    def test_normalize_gtin(self):
        self.assertEqual(normalize_gtin("9506000134352"), GTIN)
        self.assertEqual(normalize_gtin(GTIN), GTIN)
        self.assertEqual(normalize_gtin("96385074"), "00000096385074")
        self.assertIsNone(normalize_gtin("LAP-14"))
        self.assertIsNone(normalize_gtin(False))

    def test_element_strings(self):
        element = "01" + GTIN + "17201225" + "10ABC123" + GS + "21XYZ"
        for text in (
            "(01)%s(17)201225(10)ABC123(21)XYZ" % GTIN,
            "(01) %s (17) 201225 (10) ABC123 (21) XYZ" % GTIN,
            "]C1" + element,
            "]d2" + element,
            "]Q3" + element,
            GS + element,
            element,
        ):
            code = to_element_string(text)
            self.assertEqual(code.replace(GS, ""), element.replace(GS, ""), text)
        # Without identifier, separator or parentheses: only with the GTIN.
        self.assertIsNone(to_element_string("01" + GTIN + "21XYZ"))
        self.assertEqual(
            to_element_string("01" + GTIN + "21XYZ", GTIN), "01%s21XYZ" % GTIN
        )
        self.assertIsNone(to_element_string("SN-0001", GTIN))


class TestGs1Receipt(ReceiptFlowCommon):
    """Scanned GS1 codes typed into the allocation wizard of a receipt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An EAN-13 barcode: compared as a GTIN-14.
        cls.laptop.barcode = GTIN[1:]
        cls.label = "%s - [LAP14] Laptop Pro 14" % cls.receipt.name

    def _enter(self, *lines):
        """Allocate the laptops with `lines` typed or scanned, the routers
        from the generator."""
        self._allocate_receipt(
            self.receipt,
            lines={self.laptop: {"method": "enter", "serials_text": "\n".join(lines)}},
        )
        return self.Lot.search([("product_id", "=", self.laptop.id)], order="name")

    def test_scanned_codes(self):
        """The GS1 General Specifications' element strings, in their human
        readable form, as GS1-128, GS1 DataMatrix and GS1 QR codes send
        them, with the AIs in any order, next to a plain serial."""
        lots = self._enter(
            "(01)%s(17)201225(10)ABC123(21)XYZ001" % GTIN,
            "]C1" + "01" + GTIN + "21XYZ002" + GS + "10ABC124",
            "]d2" + "17201231" + "10ABC125" + GS + "01" + GTIN + "21XYZ003",
            "]Q3" + "21XYZ004" + GS + "01" + GTIN,
            "01" + GTIN + "21XYZ005",
        )
        self.assertEqual(
            lots.mapped("name"), ["XYZ001", "XYZ002", "XYZ003", "XYZ004", "XYZ005"]
        )
        self.assertEqual(
            lots.mapped("ref"), ["ABC123", "ABC124", "ABC125", False, False]
        )
        if "expiration_date" in lots._fields:
            self.assertEqual(
                lots.mapped("expiration_date")[:3],
                [datetime(2020, 12, 25), datetime(2020, 12, 31), False],
            )
        self.assertEqual(self.move_laptop.lot_ids, lots)
        self.assertEqual(len(self.move_router.lot_ids), 3)

    def test_plain_and_scanned_serials(self):
        lots = self._enter(
            "LAP-0001",
            " (21)LAP-0002 ",
            "(01)%s(21)LAP-0003" % GTIN,
            "LAP-0004",
            "LAP-0005",
        )
        self.assertEqual(lots.mapped("name"), ["LAP-%04d" % n for n in range(1, 6)])
        self.assertFalse(any(lots.mapped("ref")))

    def test_preview_shows_the_serials_read(self):
        wizard = self._open_wizard(self.receipt.action_allocate_serials())
        index = wizard.line_ids.mapped("product_id").ids.index(self.laptop.id)
        with Form(wizard) as form, form.line_ids.edit(index) as line:
            line.method = "enter"
            line.serials_text = "(01)%s(21)XYZ001\n]d201%s21XYZ009" % (GTIN, GTIN)
            self.assertEqual(line.preview, "XYZ001 … XYZ009 (2)")

    def test_wrong_gtin_refused(self):
        """A code of another product: the line, the serial and both GTINs."""
        with self.assertRefused(
            "- %s: line 2: serial XYZ002 is for GTIN %s (AI 01), but "
            "[LAP14] Laptop Pro 14 has GTIN %s." % (self.label, OTHER_GTIN, GTIN),
            "- %s: line 4: serial XYZ004 is for GTIN %s (AI 01), but "
            "[LAP14] Laptop Pro 14 has GTIN %s." % (self.label, OTHER_GTIN, GTIN),
        ):
            self._enter(
                "(01)%s(21)XYZ001" % GTIN,
                "(01)%s(21)XYZ002" % OTHER_GTIN,
                "XYZ003",
                "]d201%s21XYZ004" % OTHER_GTIN,
                "XYZ005",
            )
        self.assertNotIn("line 1", self.refused_message)
        self.assertNotIn("line 3", self.refused_message)

    def test_gtin_without_product_barcode_refused(self):
        self.laptop.barcode = False
        with self.assertRefused(
            "- %s: line 1: serial XYZ001 is for GTIN %s (AI 01), but "
            "[LAP14] Laptop Pro 14 has no barcode to compare it with."
            % (self.label, GTIN)
        ):
            self._enter("(01)%s(21)XYZ001" % GTIN, "B", "C", "D", "E")

    def test_unreadable_codes_all_listed(self):
        label = self.label
        with self.assertRefused(
            # no AI (21)
            "- %s: line 1: GS1 code 01%s<GS>10ABC has no serial number (AI 21)."
            % (label, GTIN),
            # wrong check digit of the GTIN
            "- %s: line 2: GS1 code 0109506000134353<GS>21X cannot be read" % label,
            # an AI Odoo's nomenclature does not know (AI 99 is internal)
            "- %s: line 3: GS1 code 99ABC<GS>21Y cannot be read" % label,
            # not a date
            "- %s: line 4: A GS1 barcode nomenclature pattern was matched." % label,
            # AI (21) has 20 characters at most
            "- %s: line 5: GS1 code 21%s cannot be read" % (label, "Z" * 21),
        ):
            self._enter(
                "(01)%s(10)ABC" % GTIN,
                "(01)09506000134353(21)X",
                "(99)ABC(21)Y",
                "(17)201399(21)Z",
                "(21)" + "Z" * 21,
            )
        self.assertIn("failed to be converted to a valid date", self.refused_message)

    def test_scanned_serial_repeated(self):
        """A serial scanned once and typed once is given twice."""
        with self.assertRefused("- %s: line 3 repeats XYZ001 (line 1)" % self.label):
            self._enter("(01)%s(21)XYZ001" % GTIN, "XYZ002", "XYZ001", "XYZ003", "XYZ4")

    def test_company_gs1_nomenclature(self):
        """The company's GS1 nomenclature reads the codes (its FNC1 separator)."""
        nomenclature = self.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature"
        )
        self.env.company.nomenclature_id = nomenclature
        self.assertEqual(
            self.env["stock.serial.allocator"]._get_gs1_nomenclature(), nomenclature
        )
        lots = self._enter(*("]C101%s21XYZ%03d" % (GTIN, n) for n in range(1, 6)))
        self.assertEqual(lots.mapped("name"), ["XYZ%03d" % n for n in range(1, 6)])

    def test_service_reads_codes_for_every_flow(self):
        """The service reads GS1 codes whoever calls it (here: a request as
        the migration import builds them, with lot values per serial given):
        the values given follow their serial and come first."""
        code_1 = "(01)%s(10)B1(21)S1" % GTIN
        request = self._request(
            self.move_laptop,
            4,
            method="import",
            serials=[code_1, "S2", "(21)S3", "(10)B4(21)S4"],
            partial=True,
            lot_values={code_1: {"ref": "R1"}, "(21)S3": {"ref": "R3"}},
        )
        self.env["stock.serial.allocator"]._allocate([request], "purchase")
        lots = self.move_laptop.lot_ids.sorted("name")
        self.assertEqual(lots.mapped("name"), ["S1", "S2", "S3", "S4"])
        self.assertEqual(lots.mapped("ref"), ["R1", False, "R3", "B4"])


class TestGs1GeneratedSerials(ReceiptFlowCommon):
    """The GS1 and RFID options of generators when serials are allocated:
    the codes of the records are known then."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gs1_generator = cls._create_generator(
            gs1_compliant=True, prefix="%(product_code)s-", padding=4
        )
        (cls.laptop | cls.router).serial_generator_id = cls.gs1_generator

    def test_allocation_lists_every_refused_serial(self):
        self.laptop.default_code = "LAP 14"
        self.router.default_code = "ROUTER-X200-EXTENDED"
        name = self.receipt.name
        with self.assertRefused(
            "- %s - [LAP 14] Laptop Pro 14: LAP 14-0001, LAP 14-0002, LAP 14-0003, "
            "LAP 14-0004, LAP 14-0005: characters outside GS1's character set 82 "
            "(' ')" % name,
            "- %s - [ROUTER-X200-EXTENDED] Router X200: ROUTER-X200-EXTENDED-0006, "
            "ROUTER-X200-EXTENDED-0007, ROUTER-X200-EXTENDED-0008: more than the 20 "
            "characters of a GS1 serial number (AI 21)" % name,
        ):
            self._allocate_receipt(self.receipt)
        self.assertEqual(self.gs1_generator.next_number, 1)
        # Right codes: allocated.
        self.laptop.default_code = "LAP14"
        self.router.default_code = "RX200"
        self._allocate_receipt(self.receipt)
        self.assertEqual(
            self.move_router.lot_ids.sorted("name").mapped("name"),
            ["RX200-0006", "RX200-0007", "RX200-0008"],
        )

    def test_odoo_screens_refused(self):
        """Odoo's own serial screens and serial blocks take from the
        generator directly: refused before the counter moves."""
        generator = self._create_generator(
            rfid_sgtin96=True, prefix="%(product_code)s", padding=6
        )
        for entry_point in ("generate_dialog", "block", "sequence"):
            with self.assertRaises(UserError) as caught:
                generator._next_serials(3, product=self.laptop, entry_point=entry_point)
            self.assertEqual(
                caught.exception.args[0],
                "Generator %s cannot give these serials:\n- %s: not only digits, as "
                "RFID (SGTIN-96) serials are"
                % (generator.name, "LAP14000001, LAP14000003"),
            )
        self.assertFalse(
            self.env["stock.serial.draw"].search([("generator_id", "=", generator.id)])
        )
        self.laptop.default_code = "7"
        self.assertEqual(
            generator._next_serials(2, product=self.laptop), ["7000001", "7000002"]
        )


class TestGs1Generators(SerialAllocationCommon):
    """The GS1 Compliant and RFID (SGTIN-96) options of generators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))

    def assertRefusedOnSave(self, message, **vals):
        with self.assertRaises(ValidationError) as caught:
            self._create_generator(name="Bad", **vals)
        self.assertEqual(
            caught.exception.args[0],
            "Serial generator Bad gives serials its options refuse:\n" + message,
        )

    def test_gs1_pattern_refused(self):
        self.assertRefusedOnSave(
            "- AB#000001, AB#999999: characters outside GS1's character set 82 ('#')",
            gs1_compliant=True,
            prefix="AB#",
        )
        self.assertRefusedOnSave(
            "- A B000001, A B999999: characters outside GS1's character set 82 (' ')",
            gs1_compliant=True,
            prefix="A B",
        )
        self.assertRefusedOnSave(
            "- ABCDEFGHIJKLMNOP-000001, ABCDEFGHIJKLMNOP-999999: more than the 20 "
            "characters of a GS1 serial "
            "number (AI 21)",
            gs1_compliant=True,
            prefix="ABCDEFGHIJKLMNOP-",
        )
        # Every problem at once; the dates as of today.
        with freeze_time("2026-03-05"):
            self.assertRefusedOnSave(
                "- 2026 LONGER PREFIX 01, 2026 LONGER PREFIX 99: characters outside "
                "GS1's character set 82 (' ')\n"
                "- 2026 LONGER PREFIX 01, 2026 LONGER PREFIX 99: more than the 20 "
                "characters of a GS1 serial number (AI 21)",
                gs1_compliant=True,
                prefix="%(year)s LONGER PREFIX ",
                padding=2,
            )

    @freeze_time("2026-05-02")
    def test_gs1_pattern_accepted(self):
        generator = self._create_generator(
            gs1_compliant=True, prefix="%(y)s-%(product_code)s/", padding=8
        )
        self.assertTrue(generator.gs1_compliant)
        # The longest serial has as many digits as the padding...
        with self.assertRaises(ValidationError) as caught:
            generator.padding = 20
        self.assertEqual(
            caught.exception.args[0],
            "Serial generator %s gives serials its options refuse:\n"
            "- 26-1/00000000000000000001, 26-1/99999999999999999999: more than "
            "the 20 characters of a GS1 "
            "serial number (AI 21)\n"
            "(The codes of records are written 1 here; the serials they give are "
            "checked when allocated.)" % generator.name,
        )
        generator.prefix = "ABCDEFGHIJK-"  # 12 + 8 characters
        # ... or as the next number, when wider serials are allowed.
        with self.assertRaises(ValidationError) as caught:
            generator.write({"padding_overflow": "widen", "number_next_actual": 10**9})
        self.assertIn(
            "- ABCDEFGHIJK-1000000000, ABCDEFGHIJK-9999999999: more than the 20",
            caught.exception.args[0],
        )

    def test_gs1_option_on_existing_generator(self):
        generator = self._create_generator(prefix="SN #", padding=4)
        with self.assertRaises(ValidationError) as caught:
            generator.gs1_compliant = True
        self.assertIn(
            "SN #0001, SN #9999: characters outside GS1's character set 82 (' ' '#')",
            caught.exception.args[0],
        )

    def test_rfid_pattern_refused(self):
        self.assertRefusedOnSave(
            "- 000001: a leading zero, which RFID (SGTIN-96) serials cannot have",
            rfid_sgtin96=True,
            padding=6,
        )
        self.assertRefusedOnSave(
            "- SN000001, SN999999: not only digits, as RFID (SGTIN-96) serials are",
            rfid_sgtin96=True,
            prefix="SN",
        )
        self.assertRefusedOnSave(
            "- 300000000001, 399999999999: a value above 274,877,906,943, the "
            "highest RFID "
            "(SGTIN-96) serial",
            rfid_sgtin96=True,
            prefix="3",
            padding=11,
        )
        self.assertRefusedOnSave(
            "- 1000001I, 1999999N: not only digits, as RFID (SGTIN-96) serials are\n"
            "- its ISO 7064 mod 37-36 check character can be a letter, which RFID "
            "(SGTIN-96) serials cannot hold",
            rfid_sgtin96=True,
            prefix="1",
            check_digit="mod_37_36",
        )
        # The source code is a letter.
        self.assertRefusedOnSave(
            "- 1X000001, 1X999999: not only digits, as RFID (SGTIN-96) serials are",
            rfid_sgtin96=True,
            prefix="1%(source)s",
        )

    def test_rfid_pattern_accepted(self):
        generator = self._create_generator(
            rfid_sgtin96=True, prefix="1", padding=10, check_digit="luhn"
        )
        self.assertEqual(
            generator._get_standard_samples(), ["100000000016", "199999999998"]
        )
        self.assertEqual(generator._next_serials(1), ["100000000016"])


class TestGeneratorNextSerial(SerialAllocationCommon):
    """The list and the form of generators show the next serial of today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))

    def _next(self, generator):
        generator.invalidate_recordset(["next_number", "next_serial"])
        return generator.next_number, generator.next_serial

    def test_monthly_restart(self):
        generator = self._create_generator(
            prefix="%(y)s%(month)s-", padding=3, restart_period="month"
        )
        with freeze_time("2026-03-10 10:00:00"):
            self.assertEqual(self._next(generator), (1, "2603-001"))
            generator._next_serials(2)
            self.assertEqual(generator.last_serial, "2603-002")
            self.assertEqual(self._next(generator), (3, "2603-003"))
            # Odoo's own Next Number is that of the sequence, not the month's.
            self.assertEqual(generator.number_next_actual, 1)
            rows = generator.search_read(
                [("id", "=", generator.id)], ["next_number", "next_serial"]
            )
            self.assertEqual(rows[0]["next_number"], 3)
            self.assertEqual(rows[0]["next_serial"], "2603-003")
        with freeze_time("2026-04-01 10:00:00"):
            self.assertEqual(self._next(generator), (1, "2604-001"))
            generator._next_serials(4)
            self.assertEqual(self._next(generator), (5, "2604-005"))
        with freeze_time("2026-03-31 10:00:00"):
            self.assertEqual(self._next(generator), (3, "2603-003"))

    def test_date_ranges_and_step(self):
        """A yearly counter whose period was opened at 40 (date ranges made
        by hand) counts by its step."""
        generator = self._create_generator(
            prefix="Y%(range_y)s-", padding=4, restart_period="year", number_increment=5
        )
        self.env["ir.sequence.date_range"].create(
            {
                "sequence_id": generator.sequence_id.id,
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
                "number_next_actual": 40,
            }
        )
        with freeze_time("2025-06-01"):
            self.assertEqual(self._next(generator), (40, "Y25-0040"))
            self.assertEqual(generator._next_serials(1), ["Y25-0040"])
            self.assertEqual(self._next(generator), (45, "Y25-0045"))
        with freeze_time("2026-06-01"):
            self.assertEqual(self._next(generator), (1, "Y26-0001"))

    def test_record_codes_shown_as_placeholders(self):
        generator = self._create_generator(
            prefix="%(product_code)s-%(y)s-", padding=3, check_digit="mod_37_36"
        )
        with freeze_time("2026-05-02"):
            self.assertEqual(self._next(generator), (1, "%(product_code)s-26-001?"))
        plain = self._create_generator(prefix="9-", padding=3, check_digit="luhn")
        self.assertEqual(self._next(plain)[1], "9-001" + luhn.calc_check_digit("9001"))

    def test_views(self):
        list_arch = self.env["stock.serial.generator"].get_view(view_type="list")[
            "arch"
        ]
        self.assertIn('name="next_number"', list_arch)
        self.assertIn('name="next_serial"', list_arch)
        self.assertNotIn('name="number_next_actual"', list_arch)
        generator = self._create_generator(prefix="F-", padding=2, number_next=7)
        with Form(generator) as form:
            self.assertEqual(form.next_serial, "F-07")
            form.number_next_actual = 9
            self.assertEqual(form.next_serial, "F-09")
            form.gs1_compliant = True
            form.rfid_sgtin96 = False
        self.assertTrue(generator.gs1_compliant)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time
from stdnum import ean, luhn
from stdnum.iso7064 import mod_37_36, mod_97_10

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form

from .common import SerialAllocationCommon


class TestSerialGenerator(SerialAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Date codes are rendered in the user's timezone: pin it.
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.stock_location.barcode = "STK01"
        cls.generator = cls._create_generator(name="Plain", prefix="SN-", padding=5)
        cls.product = cls._create_serial_product("Laptop Pro 14", default_code="LAP14")

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    def test_generator_counter_is_gapless(self):
        generator = self._create_generator()
        self.assertEqual(generator.implementation, "no_gap")
        self.assertEqual(generator.padding, 6)
        self.assertEqual(generator.code, "stock.serial.generator")
        self.assertEqual(generator.number_next, 1)
        with self.assertRaises(UserError):
            generator.implementation = "standard"
        self.assertEqual(generator.implementation, "no_gap")

    def test_generator_copy_and_unlink(self):
        self.generator._next_serials(3)
        copy = self.generator.copy()
        self.assertEqual(copy.name, "Plain (copy)")
        self.assertNotEqual(copy.sequence_id, self.generator.sequence_id)
        self.assertEqual(copy.number_next, 1)
        self.assertEqual(self.generator.number_next, 4)
        self.assertEqual(copy._next_serials(1), ["SN-00001"])
        # The register explains serials through their generator: once it
        # gave numbers, it can be archived but not deleted.
        with self.assertRaisesRegex(UserError, r"Plain \(copy\).*Archive them"):
            copy.unlink()
        self.assertTrue(copy.exists())
        unused = self.generator.copy()
        sequence = unused.sequence_id
        unused.unlink()
        self.assertFalse(sequence.exists(), "the generator's counter goes with it")

    # ------------------------------------------------------------------
    # Placeholders
    # ------------------------------------------------------------------
    @freeze_time("2026-03-05 14:07:09")
    def test_date_placeholders(self):
        """Every date code of ir.sequence renders the allocation date."""
        # 2026-03-05 is a Thursday, day 64 of the year, in week 09 (%W,
        # Monday-based) and ISO week 10.
        expected = {
            "year": "2026",
            "y": "26",
            "month": "03",
            "day": "05",
            "doy": "064",
            "woy": "09",
            "weekday": "4",
            "h24": "14",
            "h12": "02",
            "min": "07",
            "sec": "09",
            "isoyear": "2026",
            "isoy": "26",
            "isoweek": "10",
        }
        generator = self._create_generator(padding=3)
        for key, value in expected.items():
            with self.subTest(placeholder=key):
                generator.prefix = "%%(%s)s-" % key
                self.assertEqual(generator._preview_serials(1), ["%s-001" % value])
                generator.prefix = "%%(current_%s)s-" % key
                self.assertEqual(generator._preview_serials(1), ["%s-001" % value])
        # All together in the prefix and the suffix, through a real reservation.
        generator.write(
            {
                "prefix": "%(year)s%(month)s%(day)s-%(doy)s-W%(woy)s-",
                "suffix": "-%(y)s/%(isoweek)s",
            }
        )
        self.assertEqual(
            generator._next_serials(2),
            ["20260305-064-W09-001-26/10", "20260305-064-W09-002-26/10"],
        )
        self.assertEqual(generator.number_next, 3)

    @freeze_time("2027-01-01 08:00:00")
    def test_iso_date_placeholders_at_year_change(self):
        """On Friday 2027-01-01 the ISO year is still 2026 (ISO week 53)."""
        generator = self._create_generator(
            prefix="%(year)s-%(isoyear)s-%(isoy)s-%(isoweek)s-%(woy)s-%(doy)s-",
            padding=2,
        )
        self.assertEqual(generator._next_serials(1), ["2027-2026-26-53-00-001-01"])

    def test_date_placeholders_follow_sequence_date(self):
        generator = self._create_generator(
            prefix="%(year)s%(month)s%(day)s-", padding=3
        )
        serials = generator._next_serials(1, sequence_date=date(2025, 11, 30))
        self.assertEqual(serials, ["20251130-001"])

    @freeze_time("2026-06-15 12:00:00")
    def test_range_placeholders_use_restart_period(self):
        """%(range_month)s is the month the counter restarted in."""
        generator = self._create_generator(
            prefix="%(range_year)s%(range_month)s-%(month)s-",
            padding=3,
            restart_period="year",
        )
        self.assertEqual(generator._next_serials(1), ["202601-06-001"])
        generator = self._create_generator(
            prefix="%(range_year)s%(range_month)s%(range_day)s-",
            padding=3,
            restart_period="month",
        )
        self.assertEqual(generator._next_serials(1), ["20260601-001"])

    def test_code_placeholders(self):
        self.company.serial_company_code = "YC"
        cases = [
            ("%(product_code)s-", "LAP14-"),
            ("%(categ_code)s-", "SAT-"),
            ("%(warehouse_code)s-", "WH-"),
            ("%(location_code)s-", "STK01-"),
            ("%(company_code)s-", "YC-"),
            ("%(source)s-", "P-"),
            (
                "%(company_code)s%(warehouse_code)s%(location_code)s"
                "%(categ_code)s%(product_code)s%(source)s",
                "YCWHSTK01SATLAP14P",
            ),
        ]
        generator = self._create_generator(padding=4)
        for pattern, prefix in cases:
            with self.subTest(pattern=pattern):
                generator.prefix = pattern
                serials = generator._next_serials(
                    1,
                    product=self.product,
                    location=self.stock_location,
                    source="purchase",
                )
                self.assertEqual(
                    serials, ["%s%04d" % (prefix, generator.number_next - 1)]
                )
        # Codes work in the suffix as well.
        generator.write({"prefix": "", "suffix": "/%(product_code)s"})
        self.assertEqual(
            generator._preview_serials(1, product=self.product),
            ["%04d/LAP14" % generator.number_next],
        )

    def test_source_letters(self):
        generator = self._create_generator(prefix="%(source)s", padding=3)
        for source, letter in [
            ("purchase", "P"),
            ("opening", "O"),
            ("manufacture", "M"),
            ("block", "B"),
            ("manual", "X"),
            (None, "X"),
        ]:
            with self.subTest(source=source):
                numbers = generator._next_serials(1, source=source)
                self.assertEqual(
                    numbers, ["%s%03d" % (letter, generator.number_next - 1)]
                )

    def test_warehouse_code_without_location(self):
        """Without a location, the company's first warehouse gives its code."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        generator = self._create_generator(prefix="%(warehouse_code)s-", padding=2)
        self.assertEqual(generator._next_serials(1), ["%s-01" % warehouse.code])

    def test_code_with_percent_sign(self):
        """A code holding '%' is rendered literally, not read as a placeholder."""
        self.product.default_code = "50%OFF"
        generator = self._create_generator(prefix="%(product_code)s-", padding=2)
        self.assertEqual(
            generator._next_serials(1, product=self.product), ["50%OFF-01"]
        )

    def test_literal_percent_in_pattern(self):
        """'%%' is accepted by the pattern check and renders one '%'."""
        generator = self._create_generator(
            prefix="100%%-%(y)s-", suffix="%%", padding=2
        )
        with freeze_time("2026-05-01"):
            self.assertEqual(generator._next_serials(1), ["100%-26-01%"])

    # ------------------------------------------------------------------
    # Padding and step
    # ------------------------------------------------------------------
    def test_padding(self):
        for padding, expected in [
            (0, "SN-7"),
            (1, "SN-7"),
            (3, "SN-007"),
            (8, "SN-00000007"),
        ]:
            with self.subTest(padding=padding):
                generator = self._create_generator(
                    prefix="SN-", padding=padding, number_next=7
                )
                self.assertEqual(generator._next_serials(1), [expected])
        # A number wider than the padding is never cut: it is refused, or
        # issued wider when the generator allows it.
        generator = self._create_generator(prefix="SN-", padding=2, number_next=1234)
        self.assertIn("run out of 2-digit numbers", generator.preview_serials)
        with self.assertRaisesRegex(
            UserError,
            r"Test Generator \d+ has run out of 2-digit numbers: number "
            r"1234 needs 4 digits",
        ):
            generator._next_serials(1)
        self.assertEqual(generator.number_next, 1234, "no number was taken")
        generator.padding_overflow = "widen"
        self.assertEqual(generator._next_serials(1), ["SN-1234"])

    def test_increment(self):
        generator = self._create_generator(
            prefix="SN-", padding=3, number_next=5, number_increment=10
        )
        self.assertEqual(generator._next_serials(3), ["SN-005", "SN-015", "SN-025"])
        self.assertEqual(generator.number_next, 35)
        self.assertEqual(generator._preview_serials(2), ["SN-035", "SN-045"])
        self.assertEqual(generator._next_serials(1), ["SN-035"])

    # ------------------------------------------------------------------
    # Restart periods
    # ------------------------------------------------------------------
    def test_yearly_restart(self):
        generator = self._create_generator(
            prefix="%(year)s-", padding=4, restart_period="year"
        )
        self.assertTrue(generator.use_date_range)
        with freeze_time("2026-12-31 10:00:00"):
            self.assertEqual(generator._next_serials(2), ["2026-0001", "2026-0002"])
        with freeze_time("2027-01-01 10:00:00"):
            self.assertEqual(generator._next_serials(2), ["2027-0001", "2027-0002"])
            self.assertEqual(generator._next_serials(1), ["2027-0003"])
        with freeze_time("2026-07-01 10:00:00"):
            # Back in 2026: the 2026 counter goes on where it stopped.
            self.assertEqual(generator._next_serials(1), ["2026-0003"])
        ranges = generator.date_range_ids.sorted("date_from")
        self.assertEqual(
            [(r.date_from, r.date_to, r.number_next) for r in ranges],
            [
                (date(2026, 1, 1), date(2026, 12, 31), 4),
                (date(2027, 1, 1), date(2027, 12, 31), 4),
            ],
        )
        # The main counter is left alone.
        self.assertEqual(generator.number_next, 1)

    def test_monthly_restart(self):
        generator = self._create_generator(
            prefix="%(y)s%(month)s-", padding=3, restart_period="month"
        )
        with freeze_time("2026-01-31 10:00:00"):
            self.assertEqual(
                generator._next_serials(3), ["2601-001", "2601-002", "2601-003"]
            )
            self.assertEqual(generator._preview_serials(1), ["2601-004"])
        with freeze_time("2026-02-01 10:00:00"):
            self.assertEqual(generator._preview_serials(1), ["2602-001"])
            self.assertEqual(generator._next_serials(2), ["2602-001", "2602-002"])
        with freeze_time("2026-02-28 10:00:00"):
            self.assertEqual(generator._next_serials(1), ["2602-003"])
        ranges = generator.date_range_ids.sorted("date_from")
        self.assertEqual(
            [(r.date_from, r.date_to, r.number_next) for r in ranges],
            [
                (date(2026, 1, 1), date(2026, 1, 31), 4),
                (date(2026, 2, 1), date(2026, 2, 28), 4),
            ],
        )

    def test_restart_period_switch(self):
        generator = self._create_generator(prefix="SN-", padding=2)
        self.assertFalse(generator.use_date_range)
        generator.restart_period = "month"
        self.assertTrue(generator.use_date_range)
        generator.restart_period = "never"
        self.assertFalse(generator.use_date_range)

    # ------------------------------------------------------------------
    # Missing codes
    # ------------------------------------------------------------------
    def test_missing_product_code(self):
        product = self._create_serial_product("Unreferenced Gadget")
        generator = self._create_generator(prefix="%(product_code)s-", padding=3)
        with self.assertRaises(UserError) as error:
            generator._next_serials(1, product=product)
        message = str(error.exception)
        self.assertIn(generator.name, message)
        self.assertIn("Unreferenced Gadget", message)
        self.assertIn("Internal Reference", message)
        self.assertIn("%(product_code)s", message)
        self.assertEqual(generator.number_next, 1, "no number is taken on error")

    def test_missing_codes_all_listed(self):
        category = self.env["product.category"].create({"name": "No Code Category"})
        product = self._create_serial_product(
            "Codeless", default_code="CL1", categ_id=category.id
        )
        location = self.env["stock.location"].create(
            {"name": "No Barcode Shelf", "location_id": self.stock_location.id}
        )
        self.company.serial_company_code = False
        generator = self._create_generator(
            prefix="%(company_code)s%(categ_code)s%(location_code)s%(product_code)s"
        )
        with self.assertRaises(UserError) as error:
            generator._next_serials(1, product=product, location=location)
        lines = str(error.exception).splitlines()
        self.assertIn(generator.name, lines[0])
        self.assertEqual(
            sorted(lines[1:]),
            sorted(
                [
                    "- %s has no Serial Code (needed for %%(categ_code)s)"
                    % category.display_name,
                    "- %s has no Barcode (needed for %%(location_code)s)"
                    % location.display_name,
                    "- %s has no Serial Code (needed for %%(company_code)s)"
                    % self.company.display_name,
                ]
            ),
        )

    def test_missing_record(self):
        generator = self._create_generator(prefix="%(product_code)s%(location_code)s")
        with self.assertRaises(UserError) as error:
            generator._next_serials(1)
        message = str(error.exception)
        self.assertIn("%(product_code)s needs a product", message)
        self.assertIn("%(location_code)s needs a location", message)
        self.assertEqual(generator.number_next, 1)

    # ------------------------------------------------------------------
    # Pattern checks at save
    # ------------------------------------------------------------------
    def test_unknown_placeholder_refused(self):
        with self.assertRaises(ValidationError) as error:
            self._create_generator(name="Typo", prefix="%(product_cod)s-")
        self.assertIn("Typo", str(error.exception))
        self.assertIn("unknown placeholder %(product_cod)s", str(error.exception))
        with self.assertRaises(ValidationError) as error:
            self.generator.suffix = "-%(lot)s"
        self.assertIn("suffix: unknown placeholder %(lot)s", str(error.exception))
        self.assertIn(self.generator.name, str(error.exception))

    def test_malformed_placeholder_refused(self):
        for pattern, fragment in [
            ("SN-%(year", "%(year"),
            ("SN-%Y-", "%Y-"),
            ("SN-%d", "%d"),
            ("%(year)d-", "%(year)d-"),
        ]:
            with (
                self.subTest(pattern=pattern),
                self.assertRaises(ValidationError) as error,
            ):
                self.generator.prefix = pattern
            self.assertIn(
                "malformed placeholder near “%s”" % fragment, str(error.exception)
            )
            self.assertIn("Plain", str(error.exception))
        self.assertEqual(self.generator.prefix, "SN-")

    def test_form_refuses_unknown_placeholder(self):
        form = Form(self.env["stock.serial.generator"])
        form.name = "Form Typo"
        form.prefix = "%(yaer)s-"
        with self.assertRaises(ValidationError) as error:
            form.save()
        self.assertIn("%(yaer)s", str(error.exception))

    # ------------------------------------------------------------------
    # Check digits
    # ------------------------------------------------------------------
    def test_check_digit_published_examples(self):
        """Each algorithm against its published example, through a generator.

        - Luhn: 7992739871 -> 3 (79927398713), the worked example of the
          Wikipedia "Luhn algorithm" article.
        - GS1 mod 10: 629104150021 -> 3 (EAN-13 6291041500213), the example of
          GS1's "How to calculate a check digit manually" page.
        - ISO 7064 mod 97-10: 794 -> 44, the worked example of ISO/IEC 7064.
        - ISO 7064 mod 37-36: A12425GABC1234002 -> M, from the python-stdnum
          documentation of stdnum.iso7064.mod_37_36.
        The asserts below call python-stdnum too, so the published values are
        checked against the library before the generator is.
        """
        self.assertEqual(luhn.calc_check_digit("7992739871"), "3")
        self.assertEqual(ean.calc_check_digit("629104150021"), "3")
        self.assertEqual(mod_97_10.calc_check_digits("794"), "44")
        self.assertEqual(mod_37_36.calc_check_digit("A12425GABC1234002"), "M")
        cases = [
            ("luhn", "799273987", 1, 1, "79927398713"),
            ("gs1", "62910415002", 1, 1, "6291041500213"),
            ("mod_97_10", "79", 1, 4, "79444"),
            ("mod_37_36", "A12425GABC", 7, 1234002, "A12425GABC1234002M"),
        ]
        for algorithm, prefix, padding, number, expected in cases:
            with self.subTest(algorithm=algorithm):
                generator = self._create_generator(
                    prefix=prefix,
                    padding=padding,
                    number_next=number,
                    check_digit=algorithm,
                )
                self.assertEqual(generator._preview_serials(1), [expected])
                self.assertEqual(generator._next_serials(1), [expected])
                self.assertTrue(generator._is_valid_check_digit(expected))

    def test_check_digit_more_examples(self):
        """Further documented values (python-stdnum doctests, GS1 GTIN)."""
        cases = [
            # stdnum.luhn doctest: calc_check_digit('7894') == '9'
            ("luhn", "789", 1, 4, "78949"),
            # GS1 GTIN-13 9780471117094 (stdnum.ean doctest '978-0-471-11709-4')
            ("gs1", "978047111", 3, 709, "9780471117094"),
            # stdnum.iso7064.mod_97_10 doctest: '4354111611551114' -> '31'
            ("mod_97_10", "435411161155", 4, 1114, "435411161155111431"),
        ]
        for algorithm, prefix, padding, number, expected in cases:
            with self.subTest(algorithm=algorithm):
                generator = self._create_generator(
                    prefix=prefix,
                    padding=padding,
                    number_next=number,
                    check_digit=algorithm,
                )
                self.assertEqual(generator._next_serials(1), [expected])

    def test_check_digit_skips_separators(self):
        """Separators are rendered but left out of the check digit."""
        generator = self._create_generator(
            prefix="7992-7398-7", padding=1, check_digit="luhn"
        )
        self.assertEqual(generator._next_serials(1), ["7992-7398-713"])
        generator = self._create_generator(
            prefix="a12425-gabc/",
            padding=7,
            number_next=1234002,
            check_digit="mod_37_36",
        )
        self.assertEqual(generator._next_serials(1), ["a12425-gabc/1234002M"])

    def test_is_valid_check_digit(self):
        cases = {
            "luhn": {
                "79927398713": True,
                "79927398710": False,
                "79927398731": False,
                "7992-7398-713": True,
                "7992739871A": False,
                "A9927398713": False,
                "3": False,
            },
            "gs1": {
                "6291041500213": True,
                "6291041500212": False,
                "9780471117094": True,
            },
            "mod_97_10": {
                "79444": True,
                "79445": False,
                "79": False,
                "9999123456789012141490": True,
            },
            "mod_37_36": {
                "A12425GABC1234002M": True,
                "A12425GABC1234002L": False,
                "A12425GABC1234003M": False,
            },
            "none": {"anything": True},
        }
        for algorithm, serials in cases.items():
            generator = self._create_generator(check_digit=algorithm)
            for serial, valid in serials.items():
                with self.subTest(algorithm=algorithm, serial=serial):
                    self.assertEqual(generator._is_valid_check_digit(serial), valid)

    def test_numeric_check_digit_refuses_letters(self):
        for algorithm in ("luhn", "gs1"):
            with self.subTest(algorithm=algorithm):
                with self.assertRaises(ValidationError) as error:
                    self._create_generator(
                        name="Lettered", prefix="SN-", check_digit=algorithm
                    )
                self.assertIn("Lettered", str(error.exception))
                self.assertIn("has letters", str(error.exception))
                with self.assertRaises(ValidationError):
                    self._create_generator(suffix="-X", check_digit=algorithm)
                # Placeholders are not letters; digits and separators are fine.
                generator = self._create_generator(
                    prefix="%(y)s-01-", padding=4, check_digit=algorithm
                )
                self.assertEqual(generator.check_digit, algorithm)
        # Switching a lettered generator to Luhn is refused too.
        with self.assertRaises(ValidationError):
            self.generator.check_digit = "luhn"
        # ISO 7064 mod 37-36 takes letters.
        self.generator.check_digit = "mod_37_36"
        self.assertEqual(self.generator.check_digit, "mod_37_36")

    def test_numeric_check_digit_with_lettered_code(self):
        """A code that renders letters cannot take a Luhn digit: explained."""
        generator = self._create_generator(
            name="Luhn Codes", prefix="%(product_code)s", check_digit="luhn"
        )
        with self.assertRaises(UserError) as error:
            generator._next_serials(1, product=self.product)
        self.assertIn("LAP14", str(error.exception))
        self.assertIn("Luhn Codes", str(error.exception))

    # ------------------------------------------------------------------
    # Preview and last serial
    # ------------------------------------------------------------------
    def test_preview_does_not_consume(self):
        generator = self._create_generator(prefix="PV-", padding=3, number_next=7)
        expected = ["PV-007", "PV-008", "PV-009", "PV-010", "PV-011"]
        self.assertEqual(generator._preview_serials(), expected)
        self.assertEqual(generator._preview_serials(5), expected)
        self.assertEqual(generator.preview_serials, "\n".join(expected))
        self.assertEqual(generator.number_next, 7)
        self.assertEqual(generator._next_serials(2), expected[:2])
        self.assertEqual(generator._preview_serials(1), ["PV-009"])

    def test_preview_serials_form(self):
        generator = self._create_generator(prefix="PV-", padding=3, number_next=7)
        with Form(generator) as form:
            self.assertEqual(
                form.preview_serials.splitlines(),
                ["PV-007", "PV-008", "PV-009", "PV-010", "PV-011"],
            )
            form.prefix = "%(product_code)s/%(source)s-"
            self.assertIn("%(product_code)s needs a product", form.preview_serials)
            form.preview_product_id = self.product
            form.preview_source = "manufacture"
            self.assertEqual(form.preview_serials.splitlines()[0], "LAP14/M-007")
            form.padding = 5
            form.number_increment = 2
            self.assertEqual(
                form.preview_serials.splitlines(),
                [
                    "LAP14/M-00007",
                    "LAP14/M-00009",
                    "LAP14/M-00011",
                    "LAP14/M-00013",
                    "LAP14/M-00015",
                ],
            )
        self.assertEqual(generator.number_next, 7, "the preview takes no number")
        self.assertEqual(generator.padding, 5)

    def test_preview_serials_form_next_number(self):
        """The preview follows the Next Number typed in the form."""
        generator = self._create_generator(prefix="PV-", padding=3, number_next=7)
        with Form(generator) as form:
            form.number_next_actual = 40
            self.assertEqual(form.preview_serials.splitlines()[0], "PV-040")
        self.assertEqual(generator.number_next, 40)

    def test_preview_serials_new_form(self):
        form = Form(self.env["stock.serial.generator"])
        form.name = "New Form Generator"
        form.prefix = "NEW-"
        form.padding = 4
        self.assertEqual(
            form.preview_serials.splitlines(),
            ["NEW-0001", "NEW-0002", "NEW-0003", "NEW-0004", "NEW-0005"],
        )
        form.check_digit = "mod_37_36"
        first = form.preview_serials.splitlines()[0]
        self.assertEqual(first, "NEW-0001" + mod_37_36.calc_check_digit("NEW0001"))
        generator = form.save()
        self.assertEqual(generator._next_serials(1), [first])

    def test_last_serial(self):
        generator = self._create_generator(prefix="LS-", padding=3)
        self.assertFalse(generator.last_serial)
        generator._next_serials(3)
        self.assertEqual(generator.last_serial, "LS-003")
        # Numbers drawn through Odoo's own sequence API are recorded too.
        self.assertEqual(generator.sequence_id.next_by_id(), "LS-004")
        self.assertEqual(generator.last_serial, "LS-004")

    # ------------------------------------------------------------------
    # Counter
    # ------------------------------------------------------------------
    def test_reserve_numbers_contiguous(self):
        generator = self._create_generator(number_next=10, number_increment=3)
        self.assertFalse(generator.use_date_range)
        self.assertEqual(generator.number_increment, 3)
        # One counter update for the whole batch, and its draw recorded.
        with self.assertQueryCount(4):  # lock, update, draw, the flush check
            numbers, draw = generator._reserve_numbers(4)
        self.assertEqual(numbers, [10, 13, 16, 19])
        self.assertEqual((draw.first, draw.step, draw.count), (10, 3, 4))
        self.assertIsNone(draw.period_start)
        self.assertEqual(generator.number_next, 22)
        numbers, draw = generator._reserve_numbers(1)
        self.assertEqual(numbers, [22])
        self.assertEqual(generator.number_next, 25)
        draws = self.env["stock.serial.draw"].search(
            [("generator_id", "=", generator.id), ("entry_point", "=", "allocation")]
        )
        self.assertEqual(
            sorted((d.first_number, d.number_count, d.step) for d in draws),
            [(10, 4, 3), (22, 1, 3)],
        )
        for count in (0, -2, 2.5, "3", True, None):
            with (
                self.subTest(count=count),
                self.assertRaisesRegex(UserError, "must be a positive whole number"),
            ):
                generator._reserve_numbers(count)
        self.assertEqual(generator.number_next, 25)

    @freeze_time("2026-04-10")
    def test_reserve_numbers_date_range(self):
        generator = self._create_generator(restart_period="year", number_increment=2)
        numbers, draw = generator._reserve_numbers(3)
        counter = generator.date_range_ids
        self.assertEqual(
            (counter.date_from, counter.date_to), (date(2026, 1, 1), date(2026, 12, 31))
        )
        self.assertEqual(draw.period_start, date(2026, 1, 1))
        self.assertEqual(numbers, [1, 3, 5])
        self.assertEqual(counter.number_next, 7)
        self.assertEqual(generator._reserve_numbers(2)[0], [7, 9])

    def test_counter_cannot_go_back(self):
        generator = self._create_generator(prefix="SN-", padding=3)
        generator._next_serials(10)
        self.assertEqual(generator.number_next, 11)
        for field_name in ("number_next", "number_next_actual"):
            for record in (generator, generator.sequence_id):
                with self.subTest(field=field_name, model=record._name):
                    with self.assertRaises(UserError) as error:
                        record.write({field_name: 5})
                    self.assertIn(
                        "numbers up to 10 were already issued", str(error.exception)
                    )
                    self.assertIn("Choose 11 or higher", str(error.exception))
        with self.assertRaises(UserError), Form(generator) as form:
            form.number_next_actual = 3
        self.assertEqual(generator.number_next, 11)
        # Keeping or moving the counter forward is allowed.
        generator.number_next_actual = 11
        generator.sequence_id.number_next = 20
        self.assertEqual(generator._next_serials(1), ["SN-020"])
        generator.number_next_actual = 30
        self.assertEqual(generator._next_serials(1), ["SN-030"])

    @freeze_time("2026-04-10")
    def test_date_range_counter_cannot_go_back(self):
        generator = self._create_generator(
            prefix="%(y)s-", padding=3, restart_period="year"
        )
        generator._next_serials(5)
        date_range = generator.date_range_ids
        self.assertEqual(date_range.number_next, 6)
        for field_name in ("number_next", "number_next_actual"):
            with self.subTest(field=field_name), self.assertRaises(UserError) as error:
                date_range.write({field_name: 2})
            self.assertIn("Choose 6 or higher", str(error.exception))
        self.assertEqual(date_range.number_next, 6)
        date_range.number_next_actual = 50
        self.assertEqual(generator._next_serials(1), ["26-050"])
        # A plain sequence (no generator) is not restricted.
        sequence = self.env["ir.sequence"].create(
            {"name": "Other", "implementation": "no_gap"}
        )
        sequence.next_by_id()
        sequence.number_next = 1
        self.assertEqual(sequence.number_next, 1)

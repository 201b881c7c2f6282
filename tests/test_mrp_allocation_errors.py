# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import Command
from odoo.exceptions import UserError

from .mrp_common import MrpAllocationCommon


class TestMrpAllocationErrors(MrpAllocationCommon):
    """Every bad input: the message names it, and nothing is written."""

    def test_nothing_to_allocate(self):
        plain = self.env["product.product"].create(
            {"name": "Plain Product", "type": "consu", "is_storable": True}
        )
        untracked = self._create_mo(2, bom=self._create_bom(plain))
        draft = self._create_mo(2, confirm=False)
        done = self._create_mo(1)
        self._allocate(done, validate=True)
        for productions in (untracked, draft, done, untracked + draft + done):
            with self.assertRaisesRegex(
                UserError, "None of the selected manufacturing orders lacks serials"
            ):
                productions.action_allocate_serials()

    def test_quantity_above_what_lacks(self):
        production = self._create_mo(3)
        wizard = self._open_wizard(production)
        wizard.line_ids.quantity = 4
        self._assert_refused(
            wizard,
            production,
            "No serial was allocated",
            "%s - %s: 4 serials asked, but only 3 units lack one."
            % (production.name, self.product.display_name),
        )

    def test_quantity_not_whole(self):
        production = self._create_mo(3)
        wizard = self._open_wizard(production)
        wizard.line_ids.quantity = 1.5
        self._assert_refused(
            wizard, production, "must be a positive whole number of units, not 1.5"
        )
        wizard.line_ids.quantity = 0
        self._assert_refused(wizard, production, "Set a quantity to allocate")

    def test_order_closed_meanwhile(self):
        production = self._create_mo(2)
        other = self._create_mo(2)
        wizard = self._open_wizard(production + other)
        production.action_cancel()
        self._assert_refused(
            wizard,
            production + other,
            "%s - %s: the manufacturing order is Cancelled; only confirmed or "
            "in-progress orders take serials."
            % (production.name, self.product.display_name),
        )
        # The other order got nothing either.
        self.assertFalse(other.lot_producing_ids)

    def test_no_generator(self):
        product = self._create_serial_product("No Generator", default_code="NG")
        production = self._create_mo(2, bom=self._create_bom(product))
        wizard = self._open_wizard(production)
        self._assert_refused(wizard, production, "No Generator has no serial generator")

    def test_pattern_needs_product_code(self):
        generator = self._create_generator(prefix="%(product_code)s-")
        product = self._create_serial_product("Codeless", generator=generator)
        production = self._create_mo(2, bom=self._create_bom(product))
        wizard = self._open_wizard(production)
        self.assertIn("Internal Reference", wizard.line_ids.preview)
        self._assert_refused(
            wizard,
            production,
            "cannot render its pattern",
            "Codeless has no Internal Reference",
        )

    def test_entered_serials(self):
        production = self._create_mo(3)
        self.env["stock.lot"].create({"name": "TAKEN-1", "product_id": self.product.id})
        wizard = self._open_wizard(production)
        wizard.line_ids.write(
            {"method": "enter", "serials_text": "A-1\n\nA-1\nTAKEN-1\n" + "X" * 200}
        )
        self._assert_refused(
            wizard,
            production,
            "line 2 is blank",
            "line 3 repeats A-1 (line 1)",
            "line 5 is longer than 128 characters",
            "5 serials given for 3 units to allocate",
        )
        wizard.line_ids.serials_text = "A-1\nTAKEN-1\nA-2"
        self._assert_refused(
            wizard,
            production,
            "- TAKEN-1 (%s - %s, line 2) already exists"
            % (production.name, self.product.display_name),
        )
        wizard.line_ids.serials_text = "A-1\nA-2"
        self._assert_refused(wizard, production, "2 serials given for 3 units")

    def test_entered_serials_ok(self):
        production = self._create_mo(3)
        wizard = self._open_wizard(production)
        wizard.line_ids.write({"method": "enter", "serials_text": "E-1\nE-2\nE-3\n"})
        wizard.action_allocate()
        self.assertEqual(
            sorted(production.lot_producing_ids.mapped("name")), ["E-1", "E-2", "E-3"]
        )
        self.assertEqual(production.serial_allocation_ids.method, "enter")
        production.button_mark_done()
        self.assertEqual(production.state, "done")

    def test_wrong_check_digit(self):
        generator = self._create_generator(prefix="7", padding=5, check_digit="luhn")
        product = self._create_serial_product("Luhn Product", generator=generator)
        production = self._create_mo(2, bom=self._create_bom(product))
        wizard = self._open_wizard(production)
        good = generator._add_check_digit("700042")
        wizard.line_ids.write(
            {"method": "enter", "serials_text": "%s\n7000420" % good, "quantity": 2}
        )
        self.assertNotEqual(good, "7000420")
        self._assert_refused(wizard, production, "wrong check digit (luhn) in 7000420")

    def test_imported_file(self):
        production = self._create_mo(2)
        wizard = self._open_wizard(production)
        wizard.line_ids.write(
            {
                "method": "import",
                "import_file": base64.b64encode(b"serial\nF-1\nF-2\n"),
                "import_filename": "serials.pdf",
            }
        )
        self._assert_refused(
            wizard, production, "serials.pdf is neither a CSV nor an XLSX"
        )
        wizard.line_ids.write({"import_filename": "serials.csv", "import_column": "sn"})
        self._assert_refused(wizard, production, "serials.csv has no column sn")
        wizard.line_ids.import_column = "serial"
        wizard.action_allocate()
        self.assertEqual(
            sorted(production.lot_producing_ids.mapped("name")), ["F-1", "F-2"]
        )

    def test_every_error_at_once(self):
        first = self._create_mo(2)
        second = self._create_mo(2)
        wizard = self._open_wizard(first + second)
        first_line = wizard.line_ids.filtered(lambda line: line.production_id == first)
        second_line = wizard.line_ids - first_line
        first_line.quantity = 5
        second_line.write({"method": "enter", "serials_text": "S-1\nS-1"})
        self._assert_refused(
            wizard,
            first + second,
            "%s - %s: 5 serials asked, but only 2 units lack one."
            % (first.name, self.product.display_name),
            "%s - %s: line 2 repeats S-1 (line 1)"
            % (second.name, self.product.display_name),
        )

    def test_by_product_above_what_lacks(self):
        by_product = self._create_serial_product(
            "Spare Housing", generator=self._create_generator(prefix="BR-")
        )
        bom = self._create_bom(
            self.product,
            byproduct_ids=[
                Command.create({"product_id": by_product.id, "product_qty": 1})
            ],
        )
        production = self._create_mo(2, bom=bom)
        wizard = self._open_wizard(production)
        wizard.line_ids.filtered("move_id").quantity = 3
        self._assert_refused(
            wizard, production, "3 serials asked, but only 2 units lack one"
        )

    def test_register_protected(self):
        production = self._create_mo(1)
        self._allocate(production)
        allocation = production.serial_allocation_ids
        with self.assertRaises(UserError):
            allocation.production_id = False
        with self.assertRaises(UserError):
            self.env["stock.serial.allocation"].create(
                {
                    "source": "manufacture",
                    "method": "generate",
                    "product_id": self.product.id,
                    "production_id": production.id,
                }
            )

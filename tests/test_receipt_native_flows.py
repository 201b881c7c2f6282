# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import Form

from .receipt_common import ReceiptFlowCommon


class TestReceiptNativeFlows(ReceiptFlowCommon):
    """Odoo's own flows (Generate Serials dialog, detailed operations,
    returns) on a receipt whose serials come from our allocation."""

    def _generate_dialog_vals(self, move, first_lot, count):
        """What Odoo's Generate Serials dialog asks the server for."""
        context = {
            "default_company_id": move.company_id.id,
            "default_picking_id": move.picking_id.id,
            "default_picking_type_id": move.picking_type_id.id,
            "default_move_id": move.id,
            "default_product_id": move.product_id.id,
            "default_location_dest_id": move.location_dest_id.id,
            "default_location_id": move.location_id.id,
            "default_tracking": "serial",
            "default_quantity": move.product_qty,
        }
        return self.env["stock.move"].action_generate_lot_line_vals(
            context, "generate", first_lot, count, ""
        )

    def _write_dialog_lines(self, move, vals_list):
        """Save the dialog's lines on the move as the web client does."""
        commands = [Command.clear()]
        for vals in vals_list:
            vals = {
                key: value["id"] if isinstance(value, dict) else value
                for key, value in vals.items()
                if key in self.env["stock.move.line"]._fields
            }
            commands.append(Command.create(vals))
        move.move_line_ids = commands

    def test_native_generate_dialog_with_the_generator(self):
        """The dialog's "New" button draws the first serial from the
        generator's counter; the following ones continue the counter."""
        sequence = self.laptop.lot_sequence_id
        self.assertEqual(sequence, self.generator.sequence_id)
        first = sequence.with_context(serial_product_id=self.laptop.id).next_by_id()
        self.assertEqual(first, "RC-00001")
        vals_list = self._generate_dialog_vals(self.move_laptop, first, 5)
        names = [vals["lot_name"] for vals in vals_list]
        self.assertEqual(names, ["RC-%05d" % number for number in range(1, 6)])
        self.assertEqual(self.generator.number_next, 6, "the five numbers are taken")
        self._write_dialog_lines(self.move_laptop, vals_list)
        # Our allocation on the other line of the same receipt goes on.
        wizard = self._open_wizard(self.receipt.action_allocate_serials())
        self.assertEqual(wizard.line_ids.move_id, self.move_router)
        Form(wizard).save().action_allocate()
        self.assertEqual(
            sorted(self.move_router.move_line_ids.lot_id.mapped("name")),
            ["RC-00006", "RC-00007", "RC-00008"],
        )
        self.receipt.button_validate()
        self.assertEqual(self.receipt.state, "done")
        lots = self.move_laptop.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), names)
        # The numbers Odoo's dialog drew are accounted for in the register.
        self.assertRecordValues(
            lots.serial_allocation_id,
            [
                {
                    "source": "purchase",
                    "method": "generate",
                    "count": 5,
                    "first_serial": "RC-00001",
                    "last_serial": "RC-00005",
                    "state": "done",
                    "generator_id": self.generator.id,
                    "product_id": self.laptop.id,
                }
            ],
        )

    def test_native_generate_dialog_typed_from_the_preview(self):
        """A first serial typed from the product's preview (no number taken
        yet) reserves all the numbers."""
        first = self.laptop.serial_preview
        self.assertEqual(first, "RC-00001")
        names = [
            vals["lot_name"]
            for vals in self._generate_dialog_vals(self.move_laptop, first, 3)
        ]
        self.assertEqual(names, ["RC-00001", "RC-00002", "RC-00003"])
        self.assertEqual(self.generator.number_next, 4)
        # An allocation afterwards cannot clash with them.
        self._allocate_receipt(self.receipt)
        self.assertEqual(
            sorted(self.receipt.serial_allocation_ids.lot_ids.mapped("name")),
            ["RC-%05d" % number for number in range(4, 12)],
        )

    def test_native_generate_dialog_keeps_check_digits_and_codes(self):
        """Core increments the last digits of the first serial, which would
        break the check digit and the pattern's suffix: the generator renders
        the following serials instead."""
        generator = self._create_generator(
            prefix="%(product_code)s/%(source)s/",
            suffix="/%(year)s",
            padding=4,
            check_digit="mod_37_36",
        )
        self.laptop.serial_generator_id = generator
        sequence = self.laptop.lot_sequence_id
        self.assertEqual(sequence, generator.sequence_id)
        first = sequence.with_context(
            serial_product_id=self.laptop.id, serial_source="purchase"
        ).next_by_id()
        year = str(fields.Date.today().year)
        self.assertEqual(first[:-1], "LAP14/P/0001/%s" % year)
        names = [
            vals["lot_name"]
            for vals in self._generate_dialog_vals(self.move_laptop, first, 5)
        ]
        self.assertEqual(
            [name[:-1] for name in names],
            ["LAP14/P/%04d/%s" % (n, year) for n in range(1, 6)],
        )
        self.assertTrue(
            all(generator._is_valid_check_digit(name) for name in names), names
        )
        self.assertEqual(generator.number_next, 6)
        self.assertEqual(generator.last_serial, names[-1])

    def test_native_generate_dialog_luhn(self):
        generator = self._create_generator(prefix="77", padding=6, check_digit="luhn")
        self.router.serial_generator_id = generator
        first = self.router.lot_sequence_id.with_context(
            serial_product_id=self.router.id
        ).next_by_id()
        names = [
            vals["lot_name"]
            for vals in self._generate_dialog_vals(self.move_router, first, 3)
        ]
        self.assertEqual(
            names, [generator._add_check_digit("77%06d" % n) for n in (1, 2, 3)]
        )
        self._write_dialog_lines(
            self.move_router,
            self._generate_dialog_vals(
                self.move_router, generator._preview_serials(1)[0], 3
            ),
        )
        self.assertEqual(generator.number_next, 7)
        self.assertEqual(
            self.move_router.move_line_ids.mapped("lot_name"),
            [generator._add_check_digit("77%06d" % n) for n in (4, 5, 6)],
        )

    def test_native_generate_dialog_other_first_serial(self):
        """A first serial that is not the generator's keeps Odoo's behaviour
        and takes no number."""
        names = [
            vals["lot_name"]
            for vals in self._generate_dialog_vals(self.move_laptop, "VEND-0098", 3)
        ]
        self.assertEqual(names, ["VEND-0098", "VEND-0099", "VEND-0100"])
        self.assertEqual(self.generator.number_next, 1)

    def test_native_detailed_operations_and_partial_allocation(self):
        """Serials typed in the detailed operations and allocated ones live
        together on one move."""
        self._allocate_receipt(self.receipt, quantity=2)
        self.assertEqual(self.move_laptop.serial_to_allocate_qty, 3)
        self.move_laptop.move_line_ids = [
            Command.create(
                {
                    "product_id": self.laptop.id,
                    "lot_name": name,
                    "quantity": 1,
                    "location_id": self.move_laptop.location_id.id,
                    "location_dest_id": self.move_laptop.location_dest_id.id,
                }
            )
            for name in ("HAND-1", "HAND-2", "HAND-3")
        ]
        self.assertEqual(self.move_laptop.serial_to_allocate_qty, 0)
        self.assertEqual(self.move_laptop.serial_allocated_qty, 5)
        self._allocate_receipt(self.receipt)
        self.receipt.button_validate()
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(self.laptop.qty_available, 5)
        self.assertEqual(
            len(
                self.env["stock.lot"].search(
                    [("name", "in", ["HAND-1", "HAND-2", "HAND-3"])]
                )
            ),
            3,
        )

    def test_return_of_allocated_serials(self):
        self._allocate_receipt(self.receipt, validate=True)
        lots = self.move_laptop.move_line_ids.lot_id
        return_form = Form(
            self.env["stock.return.picking"].with_context(
                active_id=self.receipt.id,
                active_ids=self.receipt.ids,
                active_model="stock.picking",
            )
        )
        wizard = return_form.save()
        wizard.product_return_moves.filtered(
            lambda line: line.product_id == self.router
        ).unlink()
        wizard.product_return_moves.quantity = 2
        action = wizard.action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        return_move = return_picking.move_ids
        self.assertEqual(return_move.product_id, self.laptop)
        self.assertFalse(
            return_picking.show_allocate_serials, "returns are not receipts"
        )
        returned = return_move.move_line_ids.lot_id
        self.assertEqual(len(returned), 2)
        self.assertLessEqual(returned, lots)
        return_move.picked = True
        return_picking.button_validate()
        self.assertEqual(return_picking.state, "done")
        self.assertEqual(self.laptop.qty_available, 3)
        self.assertFalse(any(lots.mapped("serial_voided")))

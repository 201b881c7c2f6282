# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from .block_common import SerialBlockCommon


class TestSerialBlockAllocation(SerialBlockCommon):
    def test_receipt_from_block(self):
        block = self._reserve(10, partner_id=self.vendor.id)
        serials = list(block._iter_serials())
        picking = self._create_receipt(self.product, 3)
        action = picking.action_allocate_serials()
        self._allocate_from_block(action, block)
        move = picking.move_ids
        self.assertEqual(move.move_line_ids.lot_id.mapped("name"), serials[:3])
        self.assertEqual(
            (block.used_count, block.next_offset, block.state), (3, 3, "in_use")
        )
        self.assertEqual(block.remaining_count, 7)
        allocation = move.serial_allocation_ids
        self.assertRecordValues(
            allocation,
            [
                {
                    "method": "block",
                    "source": "purchase",
                    "block_id": block.id,
                    "generator_id": self.generator.id,
                    "count": 3,
                    "first_serial": serials[0],
                    "last_serial": serials[2],
                }
            ],
        )
        # The next receipt continues in the block; the counter did not move.
        picking2 = self._create_receipt(self.product, 7)
        self._allocate_from_block(picking2.action_allocate_serials(), block)
        self.assertEqual(
            picking2.move_ids.move_line_ids.lot_id.mapped("name"), serials[3:]
        )
        self.assertEqual(
            (block.used_count, block.state, block.remaining_count), (10, "exhausted", 0)
        )
        self.assertEqual(self.generator.number_next_actual, 11)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_wizard_preview_and_domain(self):
        block = self._reserve(10)
        other = self._reserve(10, generator=self.plain_generator)
        picking = self._create_receipt(self.product, 2)
        wizard = self._wizard_from_action(picking.action_allocate_serials())
        with Form(wizard) as form:
            with form.line_ids.edit(0) as line:
                line.method = "block"
                line.block_id = block
                serials = list(block._iter_serials(0, 2))
                self.assertEqual(line.preview, "%s … %s" % tuple(serials))
        # The block field offers the open blocks of the product's generator.
        line = wizard.line_ids
        domain = safe_eval(
            line._fields["block_id"].domain,
            {
                "product_id": line.product_id.id,
                "generator_id": line.generator_id.id,
                "block_company_id": line.block_company_id.id,
            },
        )
        for_product = self._reserve(
            5, generator=self.plain_generator, product_id=self.product.id
        )
        released = self._reserve(5)
        released.action_release("Broken printer")
        candidates = self.Block.search(domain)
        self.assertIn(block, candidates)
        self.assertIn(for_product, candidates)
        self.assertNotIn(other, candidates)
        self.assertNotIn(released, candidates)

    def test_block_allocation_errors_write_nothing(self):
        """Every problem of a from-block allocation is listed at once."""
        company2 = self.env["res.company"].create(
            {"name": "Other Co", "serial_company_code": "OC"}
        )
        self.generator.company_id = False  # shared by both companies
        foreign = self._reserve(10, company_id=company2.id)
        wrong_generator = self._reserve(10, generator=self.plain_generator)
        for_other_product = self._reserve(10, product_id=self.plain_product.id)
        small = self._reserve(2)
        released = self._reserve(5)
        released.action_release("Printer scrapped")
        pickings = [self._create_receipt(self.product, 3) for _i in range(5)]
        moves = self.env["stock.move"].union(*(p.move_ids for p in pickings))
        wizard = self._wizard_from_action(moves._action_generate_allocation_wizard())
        blocks = [foreign, wrong_generator, for_other_product, small, released]
        for line, block in zip(wizard.line_ids, blocks, strict=True):
            line.write({"method": "block", "block_id": block.id})
        before = self._snapshot(*blocks)
        with self.assertRaises(UserError) as error:
            wizard.action_allocate()
        message = str(error.exception)
        self.assertIn("No serial was allocated", message)
        self.assertIn(
            "serial block %s belongs to Other Co, not %s"
            % (foreign.display_name, self.company.name),
            message,
        )
        self.assertIn(
            "Scanner S1 takes its serials from Label Printer, but serial block %s is a "
            "range of Plain" % wrong_generator.display_name,
            message,
        )
        self.assertIn(
            "serial block %s is reserved for [RTX] Router X, not [SCN1] Scanner S1"
            % for_other_product.display_name,
            message,
        )
        self.assertIn(
            "serial block %s has 2 unused serial(s) left, 3 asked" % small.display_name,
            message,
        )
        self.assertIn(
            "serial block %s was released; its unused serials were voided"
            % released.display_name,
            message,
        )
        self.assertEqual(self._snapshot(*blocks), before)
        # A line with method From Block but no block.
        wizard.line_ids[0].write({"block_id": False})
        request = wizard.line_ids[0]._prepare_serial_request()
        with self.assertRaisesRegex(UserError, "no serial block given"):
            self.env["stock.serial.allocator"]._allocate([request], "purchase")
        self.assertEqual(self._snapshot(*blocks), before)

    def test_block_for_product_with_other_generator(self):
        """A block reserved for a product may serve it whatever its generator."""
        block = self._reserve(
            5, generator=self.plain_generator, product_id=self.product.id
        )
        picking = self._create_receipt(self.product, 2)
        self._allocate_from_block(picking.action_allocate_serials(), block)
        self.assertEqual(
            picking.move_ids.move_line_ids.lot_id.mapped("name"),
            ["PL-00001", "PL-00002"],
        )
        self.assertEqual(
            picking.move_ids.serial_allocation_ids.generator_id, self.plain_generator
        )

    def test_take_skips_serials_reported_used(self):
        block = self._reserve(6, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[0]), (2, serials[2])])
        picking = self._create_receipt(self.product, 3)
        self._allocate_from_block(picking.action_allocate_serials(), block)
        self.assertEqual(
            picking.move_ids.move_line_ids.lot_id.mapped("name"),
            [serials[1], serials[3], serials[4]],
        )
        self.assertEqual((block.used_count, block.remaining_count), (5, 1))
        self.assertEqual(block._take_serials(1), [serials[5]])
        self.assertEqual(block.state, "exhausted")

    def test_opening_stock_from_block(self):
        """Stock on hand without serials gets serials from a block."""
        block = self._reserve(10)
        quant = self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock_location, 3
        )
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(quant.quantity, 3)
        self._allocate_from_block(quant.action_allocate_serials(), block)
        serials = list(block._iter_serials(0, 3))
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(sorted(quants.lot_id.mapped("name")), sorted(serials))
        self.assertEqual(sum(quants.mapped("quantity")), 3)
        allocation = quants.lot_id.serial_allocation_id
        self.assertEqual(
            (allocation.source, allocation.method, allocation.block_id),
            ("opening", "block", block),
        )
        self.assertEqual(block.used_count, 3)

    def test_initial_stock_from_block(self):
        """New stock entered at a location takes its serials from a block."""
        block = self._reserve(10)
        action = self.env["stock.serial.allocation.wizard"]._action_open(
            "opening",
            [
                {
                    "location_id": self.stock_location.id,
                    "product_id": self.product.id,
                    "quantity": 2,
                }
            ],
        )
        self._allocate_from_block(action, block, quantity=2)
        serials = list(block._iter_serials(0, 2))
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.stock_location.id),
            ]
        )
        self.assertEqual(sorted(quants.lot_id.mapped("name")), serials)
        self.assertEqual(block.used_count, 2)

    def test_manufacturing_order_from_block(self):
        block = self._reserve(10)
        production = self.env["mrp.production"].create(
            {"product_id": self.product.id, "product_qty": 2}
        )
        production.action_confirm()
        self._allocate_from_block(production.action_allocate_serials(), block)
        serials = list(block._iter_serials(0, 2))
        self.assertEqual(sorted(production.lot_producing_ids.mapped("name")), serials)
        allocation = production.serial_allocation_ids
        self.assertEqual(
            (allocation.source, allocation.method, allocation.block_id),
            ("manufacture", "block", block),
        )
        self.assertEqual(block.used_count, 2)

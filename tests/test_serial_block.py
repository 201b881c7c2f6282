# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
import logging
import threading
import time
import uuid
import xmlrpc.client
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.stock_serial_allocation.models.stock_serial_format import (
    add_check_characters,
)

from .common import SerialAllocationCommon

_logger = logging.getLogger(__name__)


class SerialBlockCommon(SerialAllocationCommon):
    """Generators, products, users and helpers of the serial block tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.Block = cls.env["stock.serial.block"]
        # "LPB-" for blocks; mod 37-36 takes the letters of the prefix.
        cls.generator = cls._create_generator(
            name="Label Printer",
            prefix="LP%(source)s-",
            padding=6,
            check_digit="mod_37_36",
        )
        cls.plain_generator = cls._create_generator(
            name="Plain", prefix="PL-", padding=5
        )
        cls.product = cls._create_serial_product(
            "Scanner S1", generator=cls.generator, default_code="SCN1"
        )
        cls.plain_product = cls._create_serial_product(
            "Router X", generator=cls.plain_generator, default_code="RTX"
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Subcontractor Ltd"})
        cls.manager = new_test_user(
            cls.env, "blk_manager", groups="stock.group_stock_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, "blk_user", groups="stock.group_stock_user"
        )
        holder_groups = (
            "base.group_user,stock_serial_allocation.group_serial_block_holder"
        )
        cls.holder = new_test_user(cls.env, "blk_holder", groups=holder_groups)
        cls.other_holder = new_test_user(cls.env, "blk_holder2", groups=holder_groups)

    @classmethod
    def _reserve(cls, size=10, generator=None, **vals):
        values = {
            "generator_id": (generator or cls.generator).id,
            "size": size,
            "holder_name": "Line 2 label printer",
        }
        values.update(vals)
        return cls.Block.create(values)

    def _snapshot(self, *blocks):
        """What an allocation or a usage report writes."""
        self.env.invalidate_all()
        return {
            "lots": self.env["stock.lot"].search_count([]),
            "allocations": self.env["stock.serial.allocation"].search_count([]),
            "move_lines": self.env["stock.move.line"].search_count([]),
            "quants": self.env["stock.quant"].search_count([]),
            "blocks": [
                (block.used_count, block.next_offset, block.voided_count, block.state)
                for block in blocks
            ],
            "counter": self.generator.number_next_actual,
        }

    def _create_receipt(self, product, quantity, partner=None):
        supplier_location = self.env.ref("stock.stock_location_suppliers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": supplier_location.id,
                "location_dest_id": self.stock_location.id,
                "partner_id": (partner or self.vendor).id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _wizard_from_action(self, action):
        return self.env[action["res_model"]].browse(action["res_id"])

    def _allocate_from_block(self, action, block, quantity=None):
        """Drive the allocation wizard: method From Block on every line."""
        wizard = self._wizard_from_action(action)
        with Form(wizard) as form:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    line.method = "block"
                    line.block_id = block
                    if quantity is not None:
                        line.quantity = quantity
        return wizard.action_allocate()


@tagged("post_install", "-at_install")
class TestSerialBlockReservation(SerialBlockCommon):
    def test_reserve_million_fast_without_rows(self):
        """1,000,000 serials are reserved in one locked update, under 50 ms,
        and no row is stored per serial."""
        generator = self._create_generator(name="Big", prefix="BG-", padding=8)
        lots_before = self.env["stock.lot"].search_count([])
        attachments_before = self.env["ir.attachment"].search_count([])
        # The counter alone: one UPDATE ... RETURNING whatever the count.
        start = time.perf_counter()
        draw = generator._draw_numbers(1_000_000)
        elapsed_range = time.perf_counter() - start
        self.assertEqual((draw.first, draw.step, draw.count), (1, 1, 1_000_000))
        self.assertEqual(generator.number_next, 1_000_001)
        self.assertLess(elapsed_range, 0.05)
        # A whole block reservation, as a manager with chatter and tracking.
        Block = self.Block.with_user(self.manager).with_context(tracking_disable=False)
        Block.create(
            {"generator_id": generator.id, "size": 1, "holder_name": "warm-up"}
        )
        start = time.perf_counter()
        block = Block.create(
            {"generator_id": generator.id, "size": 1_000_000, "holder_name": "Site B"}
        )
        block.flush_recordset()
        elapsed_block = time.perf_counter() - start
        _logger.info(
            "Reserving 1,000,000 serials: counter %.1f ms, whole block %.1f ms",
            elapsed_range * 1000,
            elapsed_block * 1000,
        )
        self.assertLess(
            elapsed_block, 0.05, "reserving 1,000,000 serials took too long"
        )
        self.assertEqual(
            (block.first_number, block.last_number, block.size),
            (1_000_002, 2_000_001, 1_000_000),
        )
        self.assertEqual(block.first_serial, "BG-01000002")
        self.assertEqual(block.last_serial, "BG-02000001")
        self.assertEqual(block.state, "reserved")
        self.assertEqual(block.remaining_count, 1_000_000)
        self.assertEqual(generator.number_next_actual, 2_000_002)
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)

    def test_blocks_are_contiguous_and_never_overlap(self):
        first = self._reserve(10)
        second = self._reserve(5)
        self.assertEqual((first.first_number, first.last_number), (1, 10))
        self.assertEqual((second.first_number, second.last_number), (11, 15))
        self.assertEqual(
            first.first_serial, add_check_characters(["LPB-000001"], "mod_37_36")[0]
        )
        # The generator goes on after the blocks.
        serials = self.generator._next_serials(1, self.product, source="purchase")
        self.assertEqual(serials, add_check_characters(["LPP-000016"], "mod_37_36"))

    def test_step_is_kept(self):
        generator = self._create_generator(prefix="ST-", padding=4, number_increment=10)
        block = self._reserve(3, generator=generator)
        self.assertEqual(
            (block.first_number, block.last_number, block.step), (1, 21, 10)
        )
        self.assertEqual(list(block._iter_serials()), ["ST-0001", "ST-0011", "ST-0021"])
        self.assertEqual(generator.number_next_actual, 31)

    def test_pattern_is_frozen_at_reservation(self):
        """Dates, company, warehouse and product codes are rendered once."""
        generator = self._create_generator(
            prefix="%(company_code)s%(y)s%(warehouse_code)s-%(product_code)s-",
            padding=4,
        )
        with self.assertRaisesRegex(UserError, r"%\(product_code\)s needs a product"):
            self._reserve(5, generator=generator, warehouse_id=self.warehouse.id)
        self.assertEqual(generator.number_next_actual, 1, "no number taken")
        with freeze_time("2026-12-31 10:00:00"):
            block = self._reserve(
                5,
                generator=generator,
                product_id=self.plain_product.id,
                warehouse_id=self.warehouse.id,
            )
        code = self.warehouse.code
        self.assertEqual(block.prefix, "YC26%s-RTX-" % code)
        self.assertEqual(block.first_serial, "YC26%s-RTX-0001" % code)
        self.company.serial_company_code = "ZZ"
        self.plain_product.default_code = "NEW"
        with freeze_time("2027-02-01 10:00:00"):
            self.assertEqual(
                list(block._iter_serials(3)),
                ["YC26%s-RTX-0004" % code, "YC26%s-RTX-0005" % code],
            )
            self.assertEqual(
                block._take_serials(2),
                ["YC26%s-RTX-0001" % code, "YC26%s-RTX-0002" % code],
            )
        # Padding and check digit are frozen too.
        generator.write({"padding": 8})
        self.assertEqual(block._render([4]), ["YC26%s-RTX-0005" % code])

    def test_reservation_errors_take_no_number(self):
        cases = [
            ({"size": 0}, r"size must be a whole number of at least 1, not 0\."),
            ({"size": -5}, r"size must be a whole number of at least 1, not -5\."),
            ({"size": 2.5}, r"size must be a whole number of at least 1, not 2\.5\."),
            ({"size": "3"}, r"size must be a whole number of at least 1, not '3'\."),
            ({"holder_name": "  "}, "Name the holder"),
            (
                {
                    "product_id": self.env["product.product"]
                    .create({"name": "Plain"})
                    .id
                },
                "is not a serial product",
            ),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, message):
                self._reserve(**vals)
        luhn = self._create_generator(prefix="%(company_code)s-", check_digit="luhn")
        with self.assertRaisesRegex(UserError, "has letters"):
            self._reserve(3, generator=luhn)
        self.assertEqual(luhn.number_next_actual, 1)
        self.assertEqual(self.generator.number_next_actual, 1)
        self.assertFalse(
            self.Block.search([("generator_id", "in", (self.generator | luhn).ids)])
        )

    def test_block_facts_are_protected(self):
        block = self._reserve(10)
        block.holder_name = "Line 3 label printer"
        for vals in (
            {"size": 20},
            {"first_number": 5},
            {"prefix": "X"},
            {"state": "released"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "fixed at reservation"),
            ):
                block.write(vals)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            block.unlink()
        # Duplicating reserves a new range for the same holder.
        copy = block.copy()
        self.assertEqual((copy.first_number, copy.size), (11, 10))
        self.assertEqual(copy.holder_name, "Line 3 label printer")
        self.assertEqual(copy.state, "reserved")

    def test_parse_serials_back(self):
        block = self._reserve(10)
        serials = list(block._iter_serials())
        self.assertEqual(len(serials), 10)
        for offset, serial in enumerate(serials):
            self.assertEqual(block._get_serial_offset(serial), (offset, None))
        body = serials[3][:-1]
        wrong = body + ("A" if serials[3][-1] != "A" else "B")
        self.assertEqual(block._get_serial_offset(wrong), (None, "check_digit"))
        outside = add_check_characters(["LPB-000011"], "mod_37_36")[0]
        self.assertEqual(block._get_serial_offset(outside), (None, "outside"))
        unpadded = add_check_characters(["LPB-1"], "mod_37_36")[0]
        self.assertEqual(block._get_serial_offset(unpadded), (None, "outside"))
        self.assertEqual(block._get_serial_offset("XYZ"), (None, "outside"))

    def test_export_csv(self):
        block = self._reserve(5)
        csv_text = "".join(block._iter_csv())
        self.assertEqual(
            csv_text.split("\r\n")[:-1], ["serial"] + list(block._iter_serials())
        )
        action = block.action_export_csv()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(
            action["url"], "/stock_serial_allocation/block/%s/serials.csv" % block.id
        )
        # The CSV can be read back by the usage report's file reader.
        rows = self.env["stock.serial.file"]._read_serial_file(
            base64.b64encode(csv_text.encode()), "block.csv", "serial"
        )
        self.assertEqual([value for _line, value in rows], list(block._iter_serials()))

    def test_export_million_streams_without_records(self):
        generator = self._create_generator(prefix="EX-", padding=7)
        block = self._reserve(1_000_000, generator=generator)
        attachments = self.env["ir.attachment"].search_count([])
        count = 0
        last = None
        for chunk in block._iter_csv():
            count += chunk.count("\r\n")
            last = chunk
        self.assertEqual(count, 1_000_001)  # the header and every serial
        self.assertTrue(last.endswith("EX-1000000\r\n"))
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    def test_demo_like_block_display(self):
        block = self._reserve(1000, warehouse_id=self.warehouse.id)
        self.assertTrue(block.name.startswith("BLK/"))
        self.assertEqual(block.display_name, "%s (Line 2 label printer)" % block.name)
        self.assertIn(
            block, self.Block.search([("display_name", "ilike", "label printer")])
        )


@tagged("post_install", "-at_install")
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


@tagged("post_install", "-at_install")
class TestSerialBlockUsage(SerialBlockCommon):
    def _usage_wizard(self, block, text=None, **vals):
        wizard = (
            self.env["stock.serial.block.usage"]
            .with_context(active_id=block.id)
            .create(dict({"serials_text": text}, **vals))
        )
        return wizard

    def test_report_usage_creates_lots(self):
        block = self._reserve(10, product_id=self.product.id, partner_id=self.vendor.id)
        serials = list(block._iter_serials())
        wizard = self._usage_wizard(
            block, "%s\n  %s \n%s\n" % (serials[0], serials[5], serials[9])
        )
        self.assertEqual(wizard.product_id, self.product)
        wizard.action_report()
        lots = self.env["stock.lot"].search([("name", "in", serials)])
        self.assertEqual(
            sorted(lots.mapped("name")), [serials[0], serials[5], serials[9]]
        )
        self.assertEqual(lots.product_id, self.product)
        self.assertEqual(lots.serial_vendor_id, self.vendor)
        allocation = lots.serial_allocation_id
        self.assertRecordValues(
            allocation,
            [
                {
                    "source": "block",
                    "method": "block",
                    "block_id": block.id,
                    "count": 3,
                    "state": "done",
                    "partner_id": self.vendor.id,
                    "document_ref": block,
                }
            ],
        )
        self.assertEqual(lots.mapped("serial_source"), ["block"] * 3)
        self.assertEqual(
            (block.used_count, block.remaining_count, block.state), (3, 7, "in_use")
        )
        self.assertEqual(
            block.next_offset, 0, "reported serials do not move the take position"
        )
        self.assertEqual(block.allocation_count, 1)
        self.assertEqual(self.generator.number_next_actual, 11)

    def test_report_usage_needs_a_product(self):
        block = self._reserve(10)
        serials = list(block._iter_serials(0, 2))
        with self.assertRaisesRegex(UserError, "not reserved for a product"):
            block._report_usage([(1, serials[0])])
        wizard = self._usage_wizard(block, serials[0], product_id=self.product.id)
        wizard.action_report()
        self.assertEqual(block.used_count, 1)
        # A product of another generator is refused.
        with self.assertRaisesRegex(UserError, "takes its serials from Plain"):
            self._usage_wizard(
                block, serials[1], product_id=self.plain_product.id
            ).action_report()

    def test_report_usage_by_file(self):
        block = self._reserve(10, product_id=self.product.id)
        serials = list(block._iter_serials())
        content = "serial,applied on\n%s,2026-01-02\n%s,2026-01-03\n" % (
            serials[1],
            serials[2],
        )
        wizard = self._usage_wizard(
            block,
            input_method="import",
            import_file=base64.b64encode(content.encode()),
            import_filename="usage.csv",
        )
        wizard.action_report()
        self.assertEqual(block.used_count, 2)
        self.assertTrue(self.env["stock.lot"].search([("name", "=", serials[2])]))

    def test_report_usage_every_bad_input(self):
        """Outside the block, already used, wrong check digit, repeated and
        blank serials are each listed; nothing is written."""
        block = self._reserve(10, product_id=self.product.id)
        neighbour = self._reserve(10, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[0])])
        outside = next(neighbour._iter_serials())
        wrong_check = serials[4][:-1] + ("0" if serials[4][-1] != "0" else "1")
        cases = {
            "outside": (
                [outside],
                "line 1: %s is not a serial of this block (%s … %s)"
                % (outside, serials[0], serials[-1]),
            ),
            "used": (
                [serials[0]],
                "line 1: %s is already used ([SCN1] Scanner S1, " % serials[0],
            ),
            "check digit": (
                [wrong_check],
                "line 1: %s has a wrong check digit (mod_37_36)" % wrong_check,
            ),
            "repeated": (
                [serials[1], serials[1]],
                "line 2 repeats %s (line 1)" % serials[1],
            ),
            "blank": ([serials[1], "  ", serials[2]], "line 2 is blank"),
        }
        before = self._snapshot(block, neighbour)
        for name, (lines, message) in cases.items():
            with self.subTest(case=name):
                with self.assertRaises(UserError) as error:
                    self._usage_wizard(block, "\n".join(lines)).action_report()
                self.assertIn("No serial was allocated", str(error.exception))
                self.assertIn(message, str(error.exception))
                self.assertEqual(self._snapshot(block, neighbour), before)
        # All at once: every offending line is listed.
        text = "\n".join(
            [
                serials[2],
                outside,
                serials[0],
                wrong_check,
                serials[3],
                serials[3],
                "",
                serials[5],
            ]
        )
        with self.assertRaises(UserError) as error:
            self._usage_wizard(block, text).action_report()
        message = str(error.exception)
        for expected in (
            "line 2: %s is not a serial of this block" % outside,
            "line 3: %s is already used" % serials[0],
            "line 4: %s has a wrong check digit" % wrong_check,
            "line 6 repeats %s (line 5)" % serials[3],
            "line 7 is blank",
        ):
            self.assertIn(expected, message)
        for good in (serials[2], serials[5]):
            self.assertNotIn(good, message)
        self.assertEqual(self._snapshot(block, neighbour), before)
        with self.assertRaisesRegex(UserError, "Report at least one serial"):
            self._usage_wizard(block, "\n\n").action_report()
        self.assertEqual(self._snapshot(block, neighbour), before)

    def test_report_usage_on_closed_blocks(self):
        block = self._reserve(3, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[0]), (2, serials[1]), (3, serials[2])])
        self.assertEqual(block.state, "exhausted")
        with self.assertRaisesRegex(UserError, "is already used"):
            block._report_usage([(1, serials[1])])
        released = self._reserve(3, product_id=self.product.id)
        released.action_release("Contract ended")
        before = self._snapshot(released)
        with self.assertRaisesRegex(
            UserError, "was released; its unused serials were voided"
        ):
            released._report_usage([(1, next(released._iter_serials()))])
        self.assertEqual(self._snapshot(released), before)


@tagged("post_install", "-at_install")
class TestSerialBlockRelease(SerialBlockCommon):
    def test_release_voids_the_remainder(self):
        block = self._reserve(10, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[9])])
        self.assertEqual(block._take_serials(2), serials[:2])
        wizard = (
            self.env["stock.serial.block.release"]
            .with_user(self.manager)
            .with_context(active_ids=block.ids)
            .create({"reason": "Printer replaced"})
        )
        wizard.action_release()
        self.assertRecordValues(
            block,
            [
                {
                    "state": "released",
                    "used_count": 3,
                    "voided_count": 7,
                    "remaining_count": 0,
                    "release_reason": "Printer replaced",
                }
            ],
        )
        voided = self.env["stock.serial.allocation"].search(
            [("block_id", "=", block.id), ("state", "=", "voided")]
        )
        self.assertRecordValues(
            voided,
            [
                {
                    "method": "block",
                    "source": "block",
                    "count": 7,
                    "voided_count": 7,
                    "first_serial": serials[2],
                    "last_serial": serials[8],
                    "void_reason": "Printer replaced",
                    "product_id": self.product.id,
                    "generator_id": self.generator.id,
                }
            ],
        )
        self.assertFalse(voided.lot_ids)
        # Never reissued: the block refuses to give any, the counter is past them.
        with self.assertRaisesRegex(UserError, "only 0 unused serial"):
            block._take_serials(1)
        next_serial = self.generator._next_serials(1, self.product, source="block")[0]
        self.assertEqual(block._get_serial_offset(next_serial), (None, "outside"))
        self.assertEqual(self.generator.number_next_actual, 12)
        with self.assertRaisesRegex(UserError, "not open and cannot be released"):
            block.with_user(self.manager).action_release("again")

    def test_release_without_product_or_usage(self):
        block = self._reserve(5)
        serials = list(block._iter_serials())
        block.action_release("Never used")
        voided = block.allocation_ids
        self.assertRecordValues(
            voided,
            [
                {
                    "state": "voided",
                    "count": 5,
                    "first_serial": serials[0],
                    "last_serial": serials[-1],
                    "product_id": False,
                }
            ],
        )
        # The register lists the voided remainder.
        self.assertIn(
            voided,
            self.env["stock.serial.allocation"].search([("state", "=", "voided")]),
        )

    def test_release_needs_a_reason_and_a_manager(self):
        block = self._reserve(5)
        with self.assertRaisesRegex(UserError, "Give a reason"):
            block.action_release("  ")
        with self.assertRaisesRegex(AccessError, "Only serial allocation managers"):
            block.with_user(self.stock_user).action_release("because")
        self.assertEqual(block.state, "reserved")
        self.assertFalse(block.allocation_ids)

    def test_release_exhausted_block_refused(self):
        block = self._reserve(2)
        block._take_serials(2)
        self.assertEqual(block.state, "exhausted")
        with self.assertRaisesRegex(UserError, r"Exhausted"):
            block.action_release("late")


@tagged("post_install", "-at_install")
class TestSerialBlockAccess(SerialBlockCommon):
    def test_only_managers_reserve(self):
        for user in (self.stock_user, self.holder):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Block.with_user(user).create(
                    {"generator_id": self.generator.id, "size": 5, "holder_name": "x"}
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Block.with_user(user).api_reserve(self.generator.id, 5, "x")
        self.assertEqual(self.generator.number_next_actual, 1)
        result = self.Block.with_user(self.manager).api_reserve(
            self.generator.id,
            5,
            "Field app",
            partner_id=self.vendor.id,
            product_id=self.product.id,
        )
        block = self.Block.browse(result["id"])
        self.assertEqual(
            result,
            {
                "id": block.id,
                "name": block.name,
                "first_serial": block.first_serial,
                "last_serial": block.last_serial,
                "size": 5,
                "used": 0,
                "remaining": 5,
                "state": "reserved",
            },
        )
        self.assertEqual(
            (block.partner_id, block.product_id), (self.vendor, self.product)
        )

    def test_users_read_and_allocate(self):
        block = self._reserve(5, product_id=self.product.id)
        Block = self.Block.with_user(self.stock_user)
        self.assertIn(block, Block.search([]))
        self.assertEqual(
            Block.api_get_serials(block.id, 0, 2), list(block._iter_serials(0, 2))
        )
        with self.assertRaises(AccessError):
            block.with_user(self.stock_user).write({"holder_name": "x"})
        # Users report usage (they create lots anyway).
        serial = next(block._iter_serials())
        block.with_user(self.stock_user)._report_usage([(1, serial)])
        self.assertEqual(block.used_count, 1)

    def test_holder_limited_to_its_blocks(self):
        mine = self._reserve(
            10, product_id=self.product.id, holder_user_id=self.holder.id
        )
        theirs = self._reserve(
            10, product_id=self.product.id, holder_user_id=self.other_holder.id
        )
        Block = self.Block.with_user(self.holder)
        self.assertEqual(Block.search([]), mine)
        self.assertEqual(Block.api_get_block(mine.id)["id"], mine.id)
        self.assertEqual(
            Block.api_get_serials(mine.id, 8, 5), list(mine._iter_serials(8))
        )
        serials = list(mine._iter_serials(0, 2))
        result = Block.api_report_usage(mine.id, serials)
        self.assertEqual(result["serials"], serials)
        self.assertEqual((result["used"], result["remaining"]), (2, 8))
        allocation = self.env["stock.serial.allocation"].search(
            [("name", "=", result["allocation"])]
        )
        self.assertEqual(allocation.user_id, self.holder)
        self.assertEqual(sorted(allocation.lot_ids.ids), sorted(result["lots"]))
        before = self._snapshot(mine, theirs)
        message = (
            "You may not use serial block %s: it is not held by your user." % theirs.id
        )
        with self.assertRaisesRegex(AccessError, message):
            Block.api_get_serials(theirs.id)
        with self.assertRaisesRegex(AccessError, message):
            Block.api_report_usage(theirs.id, list(theirs._iter_serials(0, 1)))
        with self.assertRaisesRegex(AccessError, "Only serial allocation managers"):
            theirs.with_user(self.holder).action_release("mine now")
        with self.assertRaises(AccessError):
            theirs.with_user(self.holder).read(["first_serial"])
        self.assertEqual(self._snapshot(mine, theirs), before)

    def test_api_errors_are_clear(self):
        block = self._reserve(
            10, product_id=self.product.id, holder_user_id=self.holder.id
        )
        Block = self.Block.with_user(self.holder)
        Manager = self.Block.with_user(self.manager)
        cases = [
            (
                lambda: Manager.api_reserve(999999, 5, "x"),
                "Serial generator 999999 does not exist",
            ),
            (
                lambda: Manager.api_reserve(self.generator.id, 0, "x"),
                "size must be a whole number of at least 1, not 0",
            ),
            (
                lambda: Manager.api_reserve(self.generator.id, 2.5, "x"),
                r"size must be a whole number of at least 1, not 2\.5",
            ),
            (
                lambda: Block.api_get_serials(999999),
                "Serial block 999999 does not exist",
            ),
            (lambda: Block.api_get_serials("abc"), "'abc' is not a serial block id"),
            (
                lambda: Block.api_get_serials(block.id, 0, 100001),
                "Ask for 1 to 100000 serials",
            ),
            (
                lambda: Block.api_get_serials(block.id, -1),
                "Ask for 1 to 100000 serials",
            ),
            (lambda: Block.api_report_usage(block.id, "LPB-1"), "as a list of strings"),
            (
                lambda: Block.api_report_usage(block.id, []),
                "Report at least one serial",
            ),
            (
                lambda: Block.api_report_usage(block.id, ["NOPE"]),
                "line 1: NOPE is not a serial of this block",
            ),
            (
                lambda: Block.api_report_usage(block.id, ["x"], product_id=999999),
                "Product 999999 does not exist",
            ),
        ]
        before = self._snapshot(block)
        for call, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                call()
        self.assertEqual(self._snapshot(block), before)


@tagged("post_install", "-at_install")
class TestSerialBlockConcurrency(TransactionCase):
    """Two database cursors reserve blocks and allocate from the same
    generator at the same time: ranges never overlap, no serial is issued
    twice. The records they share are committed in a separate cursor first
    (the test's own transaction is invisible to them) and removed after."""

    LOCK_TIMEOUT = "5s"

    def setUp(self):
        super().setUp()
        name = "Concurrency %s" % uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = self._env(cr)
            generator = env["stock.serial.generator"].create(
                {"name": name, "prefix": "CC-", "padding": 8}
            )
            block = env["stock.serial.block"].create(
                {
                    "generator_id": generator.id,
                    "size": 100,
                    "holder_name": "Shared block",
                }
            )
            self.generator_id, self.block_id = generator.id, block.id
        self.addCleanup(self._cleanup, self.generator_id)

    def _env(self, cr):
        return api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "tz": "UTC"},
        )

    def _cleanup(self, generator_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM stock_serial_block WHERE generator_id = %s",
                [generator_id],
            )
            block_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            cr.execute(
                "DELETE FROM mail_message "
                "WHERE model = 'stock.serial.block' AND res_id IN %s",
                [block_ids],
            )
            cr.execute(
                "DELETE FROM mail_followers "
                "WHERE res_model = 'stock.serial.block' AND res_id IN %s",
                [block_ids],
            )
            cr.execute("DELETE FROM stock_serial_block WHERE id IN %s", [block_ids])
            # The draws of a test generator go with it (the model refuses).
            cr.execute(
                "DELETE FROM stock_serial_draw WHERE generator_id = %s", [generator_id]
            )
            self._env(cr)["stock.serial.generator"].browse(generator_id).unlink()

    def _cursor(self):
        cr = self.registry.cursor()
        cr.execute("SET LOCAL lock_timeout = %s", [self.LOCK_TIMEOUT])
        return cr

    def _run_with_retries(self, env, action, hold=0.0):
        """Run `action(env)` and commit, retrying like Odoo does when
        PostgreSQL refuses a concurrent update. `hold` keeps the transaction
        (and its row locks) open a while before committing."""
        for _attempt in range(20):
            env.cr.execute("SET LOCAL lock_timeout = %s", [self.LOCK_TIMEOUT])
            try:
                result = action(env)
                time.sleep(hold)
                env.cr.commit()
                return result
            except (errors.SerializationFailure, errors.LockNotAvailable):
                env.cr.rollback()
                time.sleep(0.05)
        raise AssertionError("too many retries")

    def _in_threads(self, *actions):
        """Start `actions` together, each in a thread with its own cursor.
        The cursors and environments are opened here, in the test's thread
        (which holds the registry lock during the tests)."""
        envs = [self._env(self.registry.cursor()) for _action in actions]
        barrier = threading.Barrier(len(actions))
        results = [None] * len(actions)
        failures = []

        def run(index, action, hold):
            try:
                barrier.wait(timeout=10)
                results[index] = self._run_with_retries(envs[index], action, hold)
            except Exception as error:  # reported below, in the test's thread
                failures.append(error)

        threads = [
            threading.Thread(target=run, args=(index, action, 0.3 * (index == 0)))
            for index, action in enumerate(actions)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            for env in envs:
                env.cr.close()
        self.assertFalse([thread for thread in threads if thread.is_alive()])
        self.assertFalse(failures, failures)
        return results

    def _reserve_action(self, size):
        def action(env):
            block = env["stock.serial.block"].create(
                {
                    "generator_id": self.generator_id,
                    "size": size,
                    "holder_name": "Thread",
                }
            )
            return (block.first_number, block.last_number, list(block._iter_serials()))

        return action

    def _generate_action(self, count):
        def action(env):
            generator = env["stock.serial.generator"].browse(self.generator_id)
            return generator._next_serials(count, source="purchase")

        return action

    def _take_action(self, count):
        def action(env):
            return env["stock.serial.block"].browse(self.block_id)._take_serials(count)

        return action

    @mute_logger("odoo.sql_db")
    def test_second_cursor_does_not_wait_for_the_first(self):
        """A reservation takes its range in a moment of its own: another one
        goes on while the first transaction is still open, after its range,
        and a range whose transaction failed is never given again."""
        cr1, cr2 = self._cursor(), self._cursor()
        try:
            first = self._reserve_action(1000)(self._env(cr1))
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            second = self._reserve_action(500)(self._env(cr2))
            cr2.commit()
            cr1.rollback()
            cr1.execute("SET LOCAL lock_timeout = %s", [self.LOCK_TIMEOUT])
            third = self._reserve_action(10)(self._env(cr1))
            cr1.commit()
        finally:
            cr1.close()
            cr2.close()
        self.assertEqual(first[:2], (101, 1100))
        self.assertEqual(second[:2], (1101, 1600))
        self.assertEqual(third[:2], (1601, 1610))

    @mute_logger("odoo.sql_db")
    def test_concurrent_take_from_one_block(self):
        cr1, cr2 = self._cursor(), self._cursor()
        try:
            taken1 = self._take_action(10)(self._env(cr1))
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            with self.assertRaises(errors.LockNotAvailable):
                self._take_action(10)(self._env(cr2))
            cr2.rollback()
            cr1.commit()
            taken2 = self._take_action(10)(self._env(cr2))
            cr2.commit()
        finally:
            cr1.close()
            cr2.close()
        self.assertEqual(len(set(taken1) | set(taken2)), 20)
        self.assertEqual(taken1[0], "CC-00000001")
        self.assertEqual(taken2[0], "CC-00000011")

    @mute_logger("odoo.sql_db")
    def test_concurrent_reservations_and_allocations(self):
        """Threads reserve blocks, generate serials and take from a block of
        the same generator simultaneously: nothing overlaps."""
        results = self._in_threads(
            self._reserve_action(1000),
            self._reserve_action(2000),
            self._generate_action(50),
            self._take_action(30),
            self._take_action(30),
        )
        ranges = sorted(result[:2] for result in results[:2])
        self.assertLess(ranges[0][1], ranges[1][0], "block ranges overlap")
        serials = results[0][2] + results[1][2] + results[2] + results[3] + results[4]
        self.assertEqual(len(serials), 1000 + 2000 + 50 + 30 + 30)
        self.assertEqual(len(set(serials)), len(serials), "a serial was issued twice")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            generator = env["stock.serial.generator"].browse(self.generator_id)
            self.assertEqual(generator.number_next_actual, 101 + 1000 + 2000 + 50)
            block = env["stock.serial.block"].browse(self.block_id)
            self.assertEqual((block.used_count, block.next_offset), (60, 60))


@tagged("post_install", "-at_install")
class TestSerialBlockHttp(HttpCase):
    """The browser tour, the CSV download and the RPC interface over real
    XML-RPC, as a holder's API user with a password."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls.env["stock.serial.generator"].create(
            {"name": "Tour Block Generator", "prefix": "TB-", "padding": 4}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Block Product",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": cls.generator.id,
            }
        )
        cls.holder = new_test_user(
            cls.env,
            "blk_api_holder",
            groups="base.group_user,stock_serial_allocation.group_serial_block_holder",
            password="blk-api-holder-pw",
        )

    def test_tour_reserve_and_allocate_on_receipt(self):
        warehouse = self.env.ref("stock.warehouse0")
        supplier = self.env.ref("stock.stock_location_suppliers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "origin": "TOURBLK",
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": supplier.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_block",
            "stock_serial_allocation_block_tour",
            login="admin",
            timeout=180,
        )
        block = self.env["stock.serial.block"].search(
            [("holder_name", "=", "Tour Label Printer")]
        )
        self.assertRecordValues(
            block,
            [
                {
                    "generator_id": self.generator.id,
                    "size": 50,
                    "first_serial": "TB-0001",
                    "last_serial": "TB-0050",
                    "used_count": 2,
                    "state": "in_use",
                }
            ],
        )
        self.assertEqual(
            picking.move_ids.move_line_ids.lot_id.mapped("name"), ["TB-0001", "TB-0002"]
        )
        self.assertEqual(picking.move_ids.serial_allocation_ids.block_id, block)
        self.assertEqual(self.generator.number_next_actual, 51)

    def test_csv_download(self):
        block = self.env["stock.serial.block"].create(
            {"generator_id": self.generator.id, "size": 2500, "holder_name": "Site B"}
        )
        self.authenticate("admin", "admin")
        response = self.url_open(
            "/stock_serial_allocation/block/%s/serials.csv" % block.id
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response.headers["Content-Type"])
        self.assertIn(
            block._get_csv_filename(), response.headers["Content-Disposition"]
        )
        lines = response.text.split("\r\n")
        self.assertEqual(lines[0], "serial")
        self.assertEqual(lines[1:-1], list(block._iter_serials()))
        self.assertEqual(len(lines[1:-1]), 2500)
        # A holder downloads only its own blocks.
        self.authenticate("blk_api_holder", "blk-api-holder-pw")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/stock_serial_allocation/block/%s/serials.csv" % block.id
            )
        self.assertNotEqual(response.status_code, 200)

    def test_xmlrpc_holder_session(self):
        """An external system reserves nothing itself (a manager does), then
        fetches and reports its block's serials over XML-RPC."""
        db = get_db_name()
        password = "blk-api-holder-pw"
        block = self.env["stock.serial.block"].create(
            {
                "generator_id": self.generator.id,
                "size": 100,
                "holder_name": "Field app",
                "product_id": self.product.id,
                "holder_user_id": self.holder.id,
            }
        )
        other = self.env["stock.serial.block"].create(
            {"generator_id": self.generator.id, "size": 10, "holder_name": "Another"}
        )
        uid = self.xmlrpc_common.authenticate(db, "blk_api_holder", password, {})
        self.assertEqual(uid, self.holder.id)

        def call(method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                db, uid, password, "stock.serial.block", method, list(args), kwargs
            )

        summary = call("api_get_block", block.id)
        self.assertEqual(summary["first_serial"], "TB-0001")
        serials = call("api_get_serials", block.id, offset=0, limit=3)
        self.assertEqual(serials, ["TB-0001", "TB-0002", "TB-0003"])
        result = call("api_report_usage", block.id, ["TB-0002", "TB-0003"])
        self.assertEqual(result["serials"], ["TB-0002", "TB-0003"])
        self.assertEqual((result["used"], result["remaining"]), (2, 98))
        lots = self.env["stock.lot"].browse(result["lots"])
        self.assertEqual(lots.product_id, self.product)
        self.assertEqual(lots.serial_allocation_id.user_id, self.holder)
        # Errors come back as clear messages; nothing is written.
        faults = [
            (
                ("api_report_usage", block.id, ["TB-0002", "TB-0200", " "]),
                [
                    "line 1: TB-0002 is already used",
                    "line 2: TB-0200 is not a serial of this block (TB-0001 … TB-0100)",
                    "line 3 is blank",
                ],
            ),
            (
                ("api_get_serials", other.id),
                [
                    "You may not use serial block %s: it is not held by your user."
                    % other.id
                ],
            ),
            (
                ("api_reserve", self.generator.id, 10, "Mine"),
                ["Only serial allocation managers can reserve blocks."],
            ),
        ]
        for args, messages in faults:
            with self.subTest(method=args[0]), mute_logger("odoo.http"):
                with self.assertRaises(xmlrpc.client.Fault) as error:
                    call(*args)
                for message in messages:
                    self.assertIn(message, str(error.exception))
        block.invalidate_recordset()
        self.assertEqual(block.used_count, 2)
        self.assertEqual(self.generator.number_next_actual, 111)

    def test_json2_holder_session(self):
        """The same methods over Odoo 19's JSON-2 API with the holder's API key."""
        block = self.env["stock.serial.block"].create(
            {
                "generator_id": self.generator.id,
                "size": 20,
                "holder_name": "Other site",
                "product_id": self.product.id,
                "holder_user_id": self.holder.id,
            }
        )
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.holder)
            ._generate("rpc", "block api", datetime.now() + timedelta(days=0.5))
        )
        headers = {
            "Authorization": "Bearer %s" % key,
            "Content-Type": "application/json",
            "X-Odoo-Database": get_db_name(),
        }

        def call(method, **params):
            return self.url_open(
                "/json/2/stock.serial.block/%s" % method,
                data=json.dumps(params),
                headers=headers,
            )

        response = call("api_get_serials", block_id=block.id, offset=18, limit=5)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), ["TB-0019", "TB-0020"])
        response = call("api_report_usage", block_id=block.id, serials=["TB-0019"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["serials"], ["TB-0019"])
        with mute_logger("odoo.http"):
            response = call("api_report_usage", block_id=block.id, serials=["TB-0019"])
        self.assertNotEqual(response.status_code, 200)
        self.assertIn("line 1: TB-0019 is already used", response.json()["message"])
        block.invalidate_recordset()
        self.assertEqual(block.used_count, 1)

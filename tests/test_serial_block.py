# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
import time

from freezegun import freeze_time

from odoo.exceptions import UserError

from odoo.addons.stock_serial_allocation.models.stock_serial_format import (
    add_check_characters,
)

from .block_common import SerialBlockCommon

_logger = logging.getLogger(__name__)


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

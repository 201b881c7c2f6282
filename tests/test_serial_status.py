# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError

from ..hooks import post_init_hook
from .lifecycle_common import STATUS_UPDATE, SerialLifecycleCommon, SerialStatusMixin
from .mrp_common import MrpAllocationCommon


class TestSerialStatus(SerialLifecycleCommon):
    def test_allocated_then_in_stock(self):
        self._allocate_receipt(self.receipt)
        lots = self.receipt.move_line_ids.lot_id
        self.assertEqual(len(lots), 8)
        self.assertStatus(lots, "allocated")
        self.assertTrue(all(lots.mapped("serial_status_date")))
        with self._capture_queries() as queries:
            self.receipt.move_ids.picked = True
            self.receipt.button_validate()
        self.assertStatus(lots, "in_stock")
        self.assertEqual(
            len(
                [
                    query
                    for query in queries
                    if " ".join(query.split()).startswith(STATUS_UPDATE)
                ]
            ),
            1,
            "one write for the eight serials that came into stock",
        )
        self.assertFalse(
            [
                query
                for query in queries
                if query.startswith('UPDATE "stock_lot"') and "serial_status" in query
            ],
            "no write of the status through the ORM",
        )
        self.assertEqual(set(lots.mapped("location_id")), {self.stock_location})

    def test_internal_move_keeps_status_and_date(self):
        lots = self._received_laptops()
        dated = fields.Datetime.now() - timedelta(days=2)
        lots.with_context(stock_serial_status_update=True).write(
            {"serial_status_date": dated}
        )
        shelf = self.env["stock.location"].create(
            {"name": "Shelf 9", "location_id": self.stock_location.id}
        )
        self._move(lots[:2], self.stock_location, shelf)
        self.assertStatus(lots, "in_stock")
        self.assertEqual(set(lots.mapped("serial_status_date")), {dated})
        self.assertEqual(lots[:2].mapped("location_id"), shelf)

    def test_in_transit(self):
        lots = self._received_laptops()
        self._move(lots[:1], self.stock_location, self.transit)
        self.assertStatus(lots[:1], "in_transit")
        self.assertStatus(lots[1:], "in_stock")
        self._move(lots[:1], self.transit, self.stock_location)
        self.assertStatus(lots[:1], "in_stock")

    def test_delivered_and_returned(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:2])
        self.assertStatus(lots[:2], "delivered", self.customer)
        self.assertStatus(lots[2:], "in_stock")
        self._return(delivery, lots[:1])
        self.assertStatus(lots[:1], "returned")
        self.assertStatus(lots[1:2], "delivered", self.customer)
        # A returned unit moved inside the warehouse is still a returned one;
        # delivered again, it is at its new customer.
        other = self.env["res.partner"].create({"name": "Second Customer"})
        self._deliver(lots[:1], other)
        self.assertStatus(lots[:1], "delivered", other)

    def test_returned_to_vendor(self):
        lots = self._received_laptops()
        self._return(self.receipt, lots[:2])
        self.assertStatus(lots[:2], "vendor_returned", self.vendor)
        self.assertStatus(lots[2:], "in_stock")

    def test_scrapped(self):
        lots = self._received_laptops()
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.laptop.id,
                "lot_id": lots[0].id,
                "scrap_qty": 1,
                "location_id": self.stock_location.id,
            }
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertStatus(lots[:1], "scrapped")
        self.assertStatus(lots[1:], "in_stock")

    def test_inventory_adjustment_loss_and_found(self):
        lots = self._received_laptops()
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", lots[0].id), ("location_id", "=", self.stock_location.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 0
        quant.action_apply_inventory()
        self.assertStatus(lots[:1], "scrapped")
        found = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.laptop.id,
                    "lot_id": lots[0].id,
                    "location_id": self.stock_location.id,
                    "inventory_quantity": 1,
                }
            )
        )
        found.action_apply_inventory()
        self.assertStatus(lots[:1], "in_stock")

    def test_cancelled_receipt_voids(self):
        self._allocate_receipt(self.receipt)
        lots = self.receipt.move_line_ids.lot_id
        self.receipt.action_cancel()
        self.assertStatus(lots, "voided")
        self.assertTrue(all(lots.mapped("serial_voided")))

    def test_status_is_not_edited_by_hand(self):
        lots = self._received_laptops()
        for vals in (
            {"serial_status": "delivered"},
            {"serial_partner_id": self.customer.id},
            {"serial_status_date": fields.Datetime.now()},
        ):
            with self.assertRaisesRegex(UserError, "follows its stock moves"):
                lots[0].write(vals)
        with self.assertRaisesRegex(UserError, "follows its stock moves"):
            self.Lot.create(
                {
                    "name": "HAND-1",
                    "product_id": self.laptop.id,
                    "serial_status": "in_stock",
                }
            )
        self.assertStatus(lots, "in_stock")

    def test_lots_of_other_products_have_no_status(self):
        product = self.env["product.product"].create(
            {"name": "Batch Glue", "is_storable": True, "tracking": "lot"}
        )
        lot = self.Lot.create({"name": "GLUE-1", "product_id": product.id})
        self.assertFalse(lot.serial_status)
        self.env["stock.quant"]._update_available_quantity(
            product, self.stock_location, 5, lot_id=lot
        )
        self._move(lot, self.stock_location, self.customer_location)
        self.assertFalse(lot.serial_status)

    def test_migration_step_sets_existing_serials(self):
        """Serials that exist before the module (no status yet) get theirs
        from their quants and moves, dated by their last done move."""
        lots = self._received_laptops()
        self._deliver(lots[:1])
        self._move(lots[1:2], self.stock_location, self.transit)
        manual = self.Lot.create({"name": "NO-STOCK-1", "product_id": self.laptop.id})
        expected = self._status(lots | manual)
        last_moves = {
            lot: self.env["stock.move.line"]
            .search([("lot_id", "=", lot.id), ("state", "=", "done")])
            .sorted(lambda line: (line.date, line.id))[-1:]
            .date
            for lot in lots
        }
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_lot SET serial_status = NULL, serial_partner_id = NULL, "
            "serial_status_date = NULL WHERE id = ANY(%s)",
            [(lots | manual).ids],
        )
        self.env.invalidate_all()
        post_init_hook(self.env)
        self.assertEqual(self._status(lots | manual), expected)
        self.assertEqual(
            expected,
            {
                lots[0].name: ("delivered", self.customer),
                lots[1].name: ("in_transit", self.env["res.partner"]),
                **{lot.name: ("in_stock", self.env["res.partner"]) for lot in lots[2:]},
                manual.name: ("allocated", self.env["res.partner"]),
            },
        )
        for lot, date in last_moves.items():
            self.assertEqual(lot.serial_status_date, date)
        self.assertEqual(manual.serial_status_date, manual.create_date)
        # Run again, it changes nothing.
        self.assertEqual(self.Lot._init_serial_status(), 0)


class TestSerialStatusMrp(SerialStatusMixin, MrpAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.board = cls._create_serial_product(
            "Serial Board", generator=cls.generator, default_code="SB1"
        )
        cls.board_lots = cls.env["stock.lot"].create(
            [
                {"name": "BOARD-%s" % number, "product_id": cls.board.id}
                for number in (1, 2)
            ]
        )
        for lot in cls.board_lots:
            cls.env["stock.quant"]._update_available_quantity(
                cls.board, cls.stock_location, 1, lot_id=lot
            )
        cls.bom_with_board = cls._create_bom(
            cls.product,
            bom_line_ids=[
                Command.create({"product_id": cls.board.id, "product_qty": 1})
            ],
        )

    def test_consumed_and_produced(self):
        self.board_lots.invalidate_recordset()
        self.assertStatus(self.board_lots, "allocated")
        self.board_lots._update_serial_status()
        self.assertStatus(self.board_lots, "in_stock")
        production = self._create_mo(1, bom=self.bom_with_board)
        production.action_assign()
        self._allocate(production)
        finished = production.lot_producing_ids
        self.assertStatus(finished, "allocated")
        raw = production.move_raw_ids
        raw.move_line_ids.unlink()
        raw.move_line_ids = [
            Command.create(
                {
                    "product_id": self.board.id,
                    "lot_id": self.board_lots[0].id,
                    "quantity": 1,
                    "location_id": self.stock_location.id,
                    "location_dest_id": raw.location_dest_id.id,
                }
            )
        ]
        raw.picked = True
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertStatus(self.board_lots[:1], "consumed")
        self.assertStatus(self.board_lots[1:], "in_stock")
        self.assertStatus(finished, "in_stock")

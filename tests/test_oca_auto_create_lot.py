# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest import SkipTest

from odoo import Command

from .common import SerialAllocationCommon


class TestOcaAutoCreateLot(SerialAllocationCommon):
    """Side by side with OCA's stock_picking_auto_create_lot (installed in the
    test database by make test when it is importable): the lots it creates at
    validation take a product's serials from the product's generator; other
    products keep Odoo's global serial sequence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"]._get("stock_picking_auto_create_lot")
        if module.state != "installed":
            raise SkipTest("stock_picking_auto_create_lot is not installed")
        cls.generator = cls._create_generator(
            name="Auto Lots", prefix="AL-%(product_code)s-", padding=4
        )
        cls.product = cls._create_serial_product(
            "Auto Lot Drill", cls.generator, default_code="DR", auto_create_lot=True
        )
        cls.product_native = cls._create_serial_product(
            "Auto Lot Saw", auto_create_lot=True
        )
        cls.receipt_type = cls.warehouse.in_type_id
        cls.receipt_type.auto_create_lot = True

    def _receive(self, lines):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.receipt_type.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def test_auto_created_lots_take_the_generators_serials(self):
        global_sequence = self.env["ir.sequence"].search(
            [("code", "=", "stock.lot.serial")], limit=1
        )
        native_next = global_sequence.number_next_actual
        picking = self._receive([(self.product, 3), (self.product_native, 1)])
        lots = picking.move_line_ids.lot_id
        self.assertEqual(
            sorted(
                lots.filtered(lambda lot: lot.product_id == self.product).mapped("name")
            ),
            ["AL-DR-0001", "AL-DR-0002", "AL-DR-0003"],
        )
        self.assertEqual(self.generator.number_next, 4)
        self.assertEqual(self.generator.last_serial, "AL-DR-0003")
        native_lot = lots.filtered(lambda lot: lot.product_id == self.product_native)
        self.assertEqual(native_lot.name, global_sequence.get_next_char(native_next))
        self.assertEqual(self.product.qty_available, 3)

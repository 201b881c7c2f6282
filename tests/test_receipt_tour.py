# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReceiptAllocationTour(HttpCase):
    def test_receipt_allocation_tour(self):
        """In the browser: from a confirmed purchase order, open its receipt,
        allocate the serials and validate the receipt."""
        generator = self.env["stock.serial.generator"].create(
            {"name": "Tour Receipts", "prefix": "TL-", "padding": 5}
        )
        laptop, router = self.env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "serial_generator_id": generator.id,
                }
                for name in ("Tour Laptop", "Tour Router")
            ]
        )
        vendor = self.env["res.partner"].create({"name": "Tour Vendor"})
        order = self.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create({"product_id": laptop.id, "product_qty": 4}),
                    Command.create({"product_id": router.id, "product_qty": 2}),
                ],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids
        self.assertEqual(receipt.state, "assigned")
        self.assertTrue(receipt.show_allocate_serials)

        self.start_tour(
            "/odoo/action-purchase.purchase_form_action/%s" % order.id,
            "stock_serial_allocation_receipt_tour",
            login="admin",
            timeout=180,
        )

        self.assertEqual(receipt.state, "done")
        allocations = receipt.serial_allocation_ids
        self.assertEqual(len(allocations), 2)
        self.assertEqual(set(allocations.mapped("source")), {"purchase"})
        self.assertEqual(set(allocations.mapped("purchase_id")), {order})
        self.assertEqual(set(allocations.mapped("partner_id")), {vendor})
        lots = allocations.lot_ids
        self.assertEqual(
            sorted(lots.mapped("name")), ["TL-%05d" % n for n in range(1, 7)]
        )
        self.assertEqual(laptop.qty_available, 4)
        self.assertEqual(router.qty_available, 2)
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual(len(quants), 6)
        self.assertEqual(order.order_line.mapped("qty_received"), [4.0, 2.0])
        self.assertEqual(generator.number_next, 7)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAllocationScanTour(HttpCase):
    def test_allocation_scan_tour(self):
        """Scan ten serials one by one into the allocation wizard, a repeated
        one warned at once, GS1 codes of this product and of another."""
        env = self.env
        warehouse = env.ref("stock.warehouse0")
        meter = env["product.product"].create(
            {
                "name": "Tour Meter",
                "is_storable": True,
                "tracking": "serial",
                "barcode": "09506000134352",
                "serial_generator_id": env["stock.serial.generator"]
                .create({"name": "Tour Meters", "prefix": "TM-", "padding": 4})
                .id,
            }
        )
        receipt = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "partner_id": env["res.partner"].create({"name": "Tour Vendor"}).id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": meter.id,
                            "product_uom_qty": 10,
                            "location_id": env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % receipt.id,
            "stock_serial_allocation_scan_tour",
            login="admin",
            timeout=240,
        )
        self.assertEqual(
            receipt.move_ids.move_line_ids.lot_id.sorted("name").mapped("name"),
            ["SCN-%04d" % number for number in range(1, 11)],
        )
        allocation = receipt.serial_allocation_ids
        self.assertEqual(allocation.method, "enter")
        self.assertEqual(allocation.count, 10)

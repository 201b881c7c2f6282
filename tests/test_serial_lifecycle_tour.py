# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialLifecycleTour(HttpCase):
    def test_deliver_return_and_look_up(self):
        """In the browser: scan two serials into a delivery and validate it,
        return one through Odoo's return wizard, then look both up."""
        generator = self.env["stock.serial.generator"].create(
            {"name": "Tour Phones", "prefix": "TP-"}
        )
        phone = self.env["product.product"].create(
            {
                "name": "Tour Phone",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": generator.id,
            }
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        stock = warehouse.lot_stock_id
        lots = self.env["stock.lot"].create(
            [{"name": "TP-%s" % n, "product_id": phone.id} for n in (1, 2, 3)]
        )
        self.env["stock.quant"].with_context(inventory_mode=True).create(
            [
                {
                    "product_id": phone.id,
                    "location_id": stock.id,
                    "lot_id": lot.id,
                    "inventory_quantity": 1,
                }
                for lot in lots
            ]
        ).action_apply_inventory()
        self.assertEqual(set(lots.mapped("serial_status")), {"in_stock"})
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        customer_location = self.env.ref("stock.stock_location_customers")
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": stock.id,
                "location_dest_id": customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": phone.id,
                            "product_uom_qty": 2,
                            "location_id": stock.id,
                            "location_dest_id": customer_location.id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        self.assertEqual(delivery.state, "assigned")

        self.start_tour(
            "/odoo/action-stock.action_picking_tree_all/%s" % delivery.id,
            "stock_serial_allocation_lifecycle_tour",
            login="admin",
            timeout=180,
        )

        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, lots[1:])
        returned = delivery.return_ids
        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.move_ids.move_line_ids.lot_id, lots[2])
        lots.invalidate_recordset()
        self.assertEqual(
            [(lot.serial_status, lot.serial_partner_id) for lot in lots],
            [
                ("in_stock", self.env["res.partner"]),
                ("delivered", customer),
                ("returned", self.env["res.partner"]),
            ],
        )

        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_lookup",
            "stock_serial_allocation_lookup_tour",
            login="admin",
            timeout=120,
        )

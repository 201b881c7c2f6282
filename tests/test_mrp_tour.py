# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestMrpAllocationTour(HttpCase):
    def test_mrp_allocation_tour(self):
        """Allocate serials on a manufacturing order in the browser, then
        produce it."""
        env = self.env
        generator = env["stock.serial.generator"].create(
            {"name": "Tour MO Serials", "prefix": "TMO-", "padding": 4}
        )
        product = env["product.product"].create(
            {
                "name": "Tour Serial Assembly",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": generator.id,
            }
        )
        component = env["product.product"].create(
            {"name": "Tour Component", "type": "consu", "is_storable": True}
        )
        warehouse = env.ref("stock.warehouse0")
        env["stock.quant"]._update_available_quantity(
            component, warehouse.lot_stock_id, 10
        )
        bom = env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                ],
            }
        )
        production = env["mrp.production"].create(
            {
                "product_id": product.id,
                "bom_id": bom.id,
                "product_qty": 3,
                "picking_type_id": warehouse.manu_type_id.id,
                "origin": "TOUR-MO",
            }
        )
        production.action_confirm()
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_mrp_production_serial_allocation",
            "stock_serial_allocation_mrp_tour",
            login="admin",
            timeout=120,
        )
        production.invalidate_recordset()
        self.assertEqual(production.state, "done")
        self.assertEqual(
            production.lot_producing_ids.sorted("name").mapped("name"),
            ["TMO-0001", "TMO-0002", "TMO-0003"],
        )
        self.assertEqual(production.serial_allocation_ids.source, "manufacture")
        quants = env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", warehouse.lot_stock_id.id),
            ]
        )
        self.assertEqual(quants.lot_id, production.lot_producing_ids)

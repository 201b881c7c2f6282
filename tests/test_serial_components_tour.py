# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialComponentsTour(HttpCase):
    def test_components_per_unit_tour(self):
        """Produce an order of two gateways in the browser, giving each its
        component serials, then look one up."""
        env = self.env
        warehouse = env.ref("stock.warehouse0")
        generator = env["stock.serial.generator"].create(
            {"name": "Tour Gateway Serials", "prefix": "TGA-", "padding": 4}
        )
        gateway = env["product.product"].create(
            {
                "name": "Tour Gateway",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": generator.id,
            }
        )
        components = env["product.product"].create(
            [
                {"name": name, "is_storable": True, "tracking": "serial"}
                for name in ("Tour Board", "Tour Sensor")
            ]
        )
        for component, prefix in zip(components, ("TB", "TS"), strict=True):
            for number in (1, 2):
                lot = env["stock.lot"].create(
                    {"name": "%s-%s" % (prefix, number), "product_id": component.id}
                )
                env["stock.quant"]._update_available_quantity(
                    component, warehouse.lot_stock_id, 1, lot_id=lot
                )
        bom = env["mrp.bom"].create(
            {
                "product_tmpl_id": gateway.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                    for component in components
                ],
            }
        )
        production = env["mrp.production"].create(
            {
                "product_id": gateway.id,
                "bom_id": bom.id,
                "product_qty": 2,
                "picking_type_id": warehouse.manu_type_id.id,
            }
        )
        production.action_confirm()
        production.action_assign()
        self.start_tour(
            "/odoo/action-mrp.mrp_production_action/%s" % production.id,
            "stock_serial_allocation_components_tour",
            login="admin",
            timeout=180,
        )
        production.invalidate_recordset()
        self.assertEqual(production.state, "done")
        made_from = {
            lot.name: sorted(lot.component_lot_ids.mapped("name"))
            for lot in production.lot_producing_ids
        }
        self.assertEqual(
            made_from, {"TGA-0001": ["TB-1", "TS-2"], "TGA-0002": ["TB-2", "TS-1"]}
        )
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_lookup",
            "stock_serial_allocation_made_from_tour",
            login="admin",
            timeout=120,
        )

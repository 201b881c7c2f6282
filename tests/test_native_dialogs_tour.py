# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestNativeSerialDialogsTour(HttpCase):
    """Odoo's own serial dialogs, in the browser, on a product whose serial
    generator renders its internal reference into each serial."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's dialogs show serial columns with "Lots & Serial Numbers" on.
        cls.env["res.config.settings"].create(
            {"group_stock_production_lot": True}
        ).execute()
        cls.generator = cls.env["stock.serial.generator"].create(
            {"name": "Dialogs", "prefix": "GD-%(product_code)s-", "padding": 4}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Dialog Scanner",
                "default_code": "TGD",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": cls.generator.id,
            }
        )
        cls.warehouse = cls.env.ref("stock.warehouse0")

    def _assert_serials(self, lots):
        self.assertEqual(
            sorted(lots.mapped("name")), ["GD-TGD-0001", "GD-TGD-0002", "GD-TGD-0003"]
        )
        self.assertEqual(self.generator.number_next, 4)

    def test_generate_serials_dialog_on_a_receipt(self):
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 3,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        self.start_tour(
            "/odoo/action-stock.action_picking_tree_incoming/%s" % receipt.id,
            "stock_serial_allocation_generate_dialog_tour",
            login="admin",
            timeout=120,
        )
        self.assertEqual(receipt.state, "done")
        self._assert_serials(receipt.move_line_ids.lot_id)
        self.assertEqual(self.product.qty_available, 3)

    def test_serial_dialog_on_a_manufacturing_order(self):
        component = self.env["product.product"].create(
            {"name": "Dialog Board", "type": "consu", "is_storable": True}
        )
        self.env["stock.quant"]._update_available_quantity(
            component, self.warehouse.lot_stock_id, 3
        )
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                ],
            }
        )
        production = self.env["mrp.production"].create(
            {"product_id": self.product.id, "bom_id": bom.id, "product_qty": 3}
        )
        production.action_confirm()
        self.start_tour(
            "/odoo/action-mrp.mrp_production_action/%s" % production.id,
            "stock_serial_allocation_mo_serial_dialog_tour",
            login="admin",
            timeout=120,
        )
        self.assertEqual(production.state, "done")
        self._assert_serials(production.lot_producing_ids)
        self.assertEqual(self.product.qty_available, 3)

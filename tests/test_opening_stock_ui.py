# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestOpeningStockUi(HttpCase):
    def _create_product(self, name, generator):
        product = self.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": generator.id,
            }
        )
        return product

    def test_opening_stock_tour(self):
        """Give serials to opening stock from the pending list, in a browser."""
        self.env.company.serial_generator_id = False
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        generator_a = self.env["stock.serial.generator"].create(
            {"name": "Tour A", "prefix": "TA-", "padding": 5}
        )
        generator_b = self.env["stock.serial.generator"].create(
            {"name": "Tour B", "prefix": "TB-", "padding": 5}
        )
        product_a = self._create_product("Tour Scanner A", generator_a)
        product_b = self._create_product("Tour Scanner B", generator_b)
        # Pending too, but left out by the tour's search.
        decoy = self._create_product("Tour Decoy", generator_a)
        quants = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": product_a.id,
                        "location_id": stock.id,
                        "inventory_quantity": 5,
                    },
                    {
                        "product_id": product_b.id,
                        "location_id": stock.id,
                        "inventory_quantity": 3,
                    },
                    {
                        "product_id": decoy.id,
                        "location_id": stock.id,
                        "inventory_quantity": 1,
                    },
                ]
            )
        )
        quants.action_apply_inventory()
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_quant_serial_opening",
            "stock_serial_allocation_opening_stock_tour",
            login="admin",
            timeout=120,
        )
        lots_a = self.env["stock.lot"].search([("product_id", "=", product_a.id)])
        lots_b = self.env["stock.lot"].search([("product_id", "=", product_b.id)])
        self.assertEqual(
            sorted(lots_a.mapped("name")), ["TA-00001", "TA-00002", "TA-00003"]
        )
        self.assertEqual(
            sorted(lots_b.mapped("name")), ["TB-00001", "TB-00002", "TB-00003"]
        )
        quants_a = lots_a.quant_ids.filtered(
            lambda q: q.location_id.usage == "internal"
        )
        self.assertEqual(set(quants_a.mapped("quantity")), {1})
        self.assertEqual(quants_a.location_id, stock)
        quant_a = quants.filtered(lambda q: q.product_id == product_a)
        self.assertEqual(quant_a.quantity, 2)
        self.assertEqual(product_a.qty_available, 5)
        self.assertEqual(product_b.qty_available, 3)
        self.assertFalse(
            self.env["stock.lot"].search([("product_id", "=", decoy.id)]),
            "the decoy was not selected",
        )
        self.assertEqual(
            set((lots_a | lots_b).serial_allocation_id.mapped("source")), {"opening"}
        )

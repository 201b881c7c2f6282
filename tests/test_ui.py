# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialGeneratorUi(HttpCase):
    def test_serial_generator_tour(self):
        """Create a generator in the browser and give it to a serial product."""
        self.env.company.serial_generator_id = False
        product = self.env["product.product"].create(
            {
                "name": "Tour Serial Product",
                "default_code": "TSP",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        self.assertFalse(product.effective_serial_generator_id)
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_generator",
            "stock_serial_allocation_generator_tour",
            login="admin",
            timeout=120,
        )
        generator = self.env["stock.serial.generator"].search(
            [("name", "=", "Tour Serials")]
        )
        self.assertEqual(len(generator), 1)
        self.assertEqual((generator.prefix, generator.padding), ("TOUR-", 4))
        self.assertEqual(generator.implementation, "no_gap")
        product.invalidate_recordset()
        self.assertEqual(product.serial_generator_id, generator)
        self.assertEqual(product.lot_sequence_id, generator.sequence_id)
        # Previews took no number.
        self.assertEqual(generator.number_next, 1)
        self.assertFalse(generator.last_serial)

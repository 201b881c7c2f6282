# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError

from .lifecycle_common import SerialLifecycleCommon


class TestSerialDelivery(SerialLifecycleCommon):
    """Deliveries of serial products with a generator accept only serials in
    stock at their source location, never delivered already."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Delivery Shelf", "location_id": cls.stock_location.id}
        )
        cls.other_stock = cls.env["stock.location"].create(
            {"name": "Other Stock", "usage": "internal"}
        )

    def test_refused_serials_are_all_named(self):
        lots = self._received_laptops()
        # One delivered, one moved to a location outside the delivery's
        # source, one allocated without stock, one unknown.
        self._deliver(lots[:1])
        self._move(lots[1:2], self.stock_location, self.other_stock)
        self._allocate_receipt(
            self._create_receipt([(self.laptop, 1)], vendor=self.vendor_2)
        )
        allocated = self.Lot.search(
            [("product_id", "=", self.laptop.id), ("serial_status", "=", "allocated")]
        )
        self.assertEqual(len(allocated), 1)
        serials = lots[:2] | allocated
        self.warehouse.out_type_id.use_create_lots = True
        before = self._lifecycle_snapshot(lots | allocated)
        message = (
            "These serials cannot be delivered:\n"
            "%s: already delivered to Serial Customer\n"
            "%s: in stock at Other Stock, not at WH/Stock\n"
            "%s: not in stock (Allocated)\n"
            "UNKNOWN-1: unknown serial of %s"
            % (lots[0].name, lots[1].name, allocated.name, self.laptop.display_name)
        )
        with self.assertRaises(UserError) as caught:
            self._deliver(serials, unknown=["UNKNOWN-1"])
        self.assertEqual(caught.exception.args[0], message)
        self.assertEqual(self._lifecycle_snapshot(lots | allocated), before)
        self.assertFalse(self.Lot.search([("name", "=", "UNKNOWN-1")]))

    def test_each_refusal_alone(self):
        lots = self._received_laptops()
        self._deliver(lots[:1])
        self._move(lots[1:2], self.stock_location, self.other_stock)
        for lot, reason in (
            (lots[0], "already delivered to Serial Customer"),
            (lots[1], "in stock at Other Stock, not at WH/Stock"),
        ):
            before = self._lifecycle_snapshot(lots)
            with self.assertRaisesRegex(UserError, "%s: %s" % (lot.name, reason)):
                self._deliver(lot)
            self.assertEqual(self._lifecycle_snapshot(lots), before)

    def test_serial_in_a_child_location_is_delivered(self):
        lots = self._received_laptops()
        self._move(lots[:1], self.stock_location, self.shelf)
        with self.assertRaisesRegex(
            UserError, "in stock at WH/Stock/Delivery Shelf, not at WH/Stock"
        ):
            self._deliver(lots[:1])
        self._deliver(lots[:1], shelf=self.shelf)
        self.assertStatus(lots[:1], "delivered", self.customer)

    def test_returned_serial_is_delivered_again(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:1])
        self._return(delivery, lots[:1])
        self._deliver(lots[:1])
        self.assertStatus(lots[:1], "delivered", self.customer)

    def test_check_off_keeps_odoo_behaviour(self):
        lots = self._received_laptops()
        self._deliver(lots[:1])
        self.company.serial_delivery_check = False
        self.warehouse.out_type_id.use_create_lots = True
        self._deliver(self.Lot, unknown=["UNKNOWN-2"], product=self.laptop)
        unknown = self.Lot.search([("name", "=", "UNKNOWN-2")])
        self.assertEqual(unknown.product_qty, -1, "Odoo's negative stock")
        self.assertStatus(unknown, "delivered", self.customer)

    def test_products_without_generator_keep_odoo_behaviour(self):
        product = self._create_serial_product("Plain Serial Phone")
        self.assertFalse(product.product_tmpl_id.has_serial_generator)
        lot = self.Lot.create({"name": "PHONE-1", "product_id": product.id})
        self._deliver(lot)
        self.assertStatus(lot, "delivered", self.customer)

    def test_setting_is_for_managers(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.serial_delivery_check)
        view = self.env.ref(
            "stock_serial_allocation.res_config_settings_view_form_inherit_stock_serial_allocation"
        )
        self.assertIn("serial_delivery_check", view.arch_db)
        self.assertIn("group_serial_allocation_manager", view.arch_db)

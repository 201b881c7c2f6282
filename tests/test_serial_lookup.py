# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user

from .lifecycle_common import SerialLifecycleCommon


class TestSerialLookup(SerialLifecycleCommon):
    """Serial Lookup (Inventory > Operations > Serial Allocation)."""

    def _lookup(self, serial, user=None):
        lookup = self.env["stock.serial.lookup"]
        if user:
            lookup = lookup.with_user(user)
        form = Form(lookup)
        form.serial = serial
        # What the form shows before anything is saved.
        self.form_history = [line.reference for line in form.move_line_ids]
        return form.save()

    def test_lookup_shows_status_origin_and_history(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:1])
        lookup = self._lookup("  %s " % lots[0].name)
        self.assertFalse(lookup.message)
        self.assertEqual(lookup.display_name, lots[0].name, "the breadcrumb")
        self.assertEqual(lookup.lot_id, lots[0])
        self.assertEqual(lookup.product_id, self.laptop)
        self.assertEqual(lookup.serial_status, "delivered")
        self.assertEqual(lookup.serial_partner_id, self.customer)
        self.assertEqual(lookup.location_id, self.customer_location)
        self.assertEqual(lookup.serial_allocation_id, lots[0].serial_allocation_id)
        self.assertEqual(lookup.serial_source, "purchase")
        self.assertEqual(lookup.serial_vendor_id, self.vendor)
        self.assertEqual(lookup.serial_document_ref, self.receipt)
        self.assertEqual(lookup.serial_purchase_id, self.order)
        self.assertEqual(
            lookup.move_line_ids.mapped("reference"),
            [self.receipt.name, delivery.name],
            "the movement history, oldest first",
        )
        self.assertEqual(self.form_history, [self.receipt.name, delivery.name])
        action = lookup.action_traceability()
        self.assertEqual(action["tag"], "stock_report_generic")
        self.assertEqual(action["context"]["active_id"], lots[0].id)
        self.assertEqual(action["context"]["active_model"], "stock.lot")
        self.assertEqual(lookup.action_open_serial()["res_id"], lots[0].id)

    def test_serial_not_found(self):
        lookup = self._lookup("NOPE-404")
        self.assertEqual(lookup.message, "No serial NOPE-404 was found.")
        self.assertFalse(lookup.lot_id)
        with self.assertRaisesRegex(UserError, "No serial NOPE-404 was found."):
            lookup.action_traceability()
        with self.assertRaisesRegex(UserError, "Scan or type a serial"):
            self._lookup("").action_open_serial()

    def test_serial_of_several_products(self):
        """Per-product scope: one name, two products; both are shown."""
        lots = self._received_laptops()
        twin = self.Lot.create({"name": lots[0].name, "product_id": self.router.id})
        lookup = self._lookup(lots[0].name)
        self.assertEqual(lookup.lot_ids, lots[0] | twin)
        self.assertEqual(
            lookup.message,
            "Serial %s exists for 2 products: pick one." % lots[0].name,
        )
        form = Form(lookup)
        form.lot_id = twin
        lookup = form.save()
        self.assertEqual(lookup.product_id, self.router)
        self.assertEqual(lookup.serial_status, "allocated")
        self.assertFalse(lookup.move_line_ids)

    def test_scanned_gs1_code(self):
        lots = self._received_laptops()
        self.laptop.barcode = "09506000134352"
        twin = self.Lot.create({"name": lots[0].name, "product_id": self.router.id})
        lookup = self._lookup("(01)09506000134352(21)%s" % lots[0].name)
        self.assertEqual(lookup.lot_ids, lots[0], "the GTIN picks the product")
        self.assertNotIn(twin, lookup.lot_ids)
        self.assertEqual(lookup.serial_status, "in_stock")

    def test_accountant_reads_status_and_lookup(self):
        lots = self._received_laptops()
        self._deliver(lots[:1])
        accountant = new_test_user(
            self.env,
            login="ssa_lookup_accountant",
            groups="account.group_account_readonly",
        )
        lookup = self._lookup(lots[0].name, user=accountant)
        self.assertEqual(lookup.serial_status, "delivered")
        self.assertEqual(lookup.serial_partner_id, self.customer)
        self.assertEqual(len(lookup.move_line_ids), 2)
        lookup.move_line_ids.mapped("location_dest_id.display_name")
        lookup.lot_id.with_user(accountant).read(
            ["serial_status", "serial_status_date", "serial_partner_id"]
        )
        menus = self.env["ir.ui.menu"].with_user(accountant)._visible_menu_ids()
        self.assertIn(
            self.env.ref("stock_serial_allocation.menu_serial_lookup_accounting").id,
            menus,
        )

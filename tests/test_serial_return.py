# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError

from .lifecycle_common import SerialLifecycleCommon


class TestSerialReturn(SerialLifecycleCommon):
    """A return from a customer takes back only the serials delivered to
    that customer; a return to the vendor sends back only the serials its
    receipt brought in. Odoo's return wizard proposes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})
        cls.warehouse.in_type_id.use_create_lots = True

    def test_return_proposes_the_delivered_serials(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:3])
        self.assertStatus(lots[:3], "delivered", self.customer)
        return_picking = self._create_return(delivery, self.laptop, 2)
        proposed = return_picking.move_ids.move_line_ids.lot_id
        self.assertEqual(len(proposed), 2)
        self.assertLessEqual(proposed, lots[:3])
        return_picking.move_ids.picked = True
        return_picking.button_validate()
        self.assertEqual(return_picking.state, "done")
        self.assertStatus(proposed, "returned")
        self.assertStatus(lots[:3] - proposed, "delivered", self.customer)
        self.assertEqual(proposed.location_id, self.stock_location)

    def test_return_refuses_serials_not_delivered_to_the_customer(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:2])
        other_delivery = self._deliver(lots[2:3], customer=self.other_customer)
        self._return(delivery, lots[1:2])
        # Second return of the first delivery: one right serial, the other
        # customer's, one back in stock already, one in stock never
        # delivered, one unknown.
        return_picking = self._create_return(delivery, self.laptop, 4)
        self._set_lines(return_picking, lots[:4], unknown=["UNKNOWN-R"])
        before = self._lifecycle_snapshot(lots)
        with self.assertRaises(UserError) as caught:
            return_picking.button_validate()
        self.assertEqual(
            caught.exception.args[0],
            "These serials cannot be returned:\n"
            "%s: not at a customer (Returned)\n"
            "%s: not delivered by %s (delivered to Other Customer)\n"
            "%s: not at a customer (In Stock)\n"
            "UNKNOWN-R: unknown serial of %s"
            % (
                lots[1].name,
                lots[2].name,
                delivery.name,
                lots[3].name,
                self.laptop.display_name,
            ),
        )
        self.assertEqual(self._lifecycle_snapshot(lots), before)
        self.assertNotEqual(return_picking.state, "done")
        # The right serial alone is taken back, without backorder.
        self._set_lines(return_picking, lots[:1])
        return_picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=return_picking.ids
        ).button_validate()
        self.assertEqual(return_picking.state, "done")
        self.assertStatus(lots[:1], "returned")
        self.assertStatus(lots[2:3], "delivered", self.other_customer)
        self.assertTrue(other_delivery)

    def test_serial_delivered_again_to_another_customer_is_refused(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:1])
        self._return(delivery, lots[:1])
        self._deliver(lots[:1], customer=self.other_customer)
        return_picking = self._create_return(delivery, self.laptop, 1)
        self._set_lines(return_picking, lots[:1])
        with self.assertRaisesRegex(
            UserError,
            "%s: delivered to Other Customer, not to Serial Customer" % lots[0].name,
        ):
            return_picking.button_validate()
        self.assertStatus(lots[:1], "delivered", self.other_customer)

    def test_return_made_by_hand_checks_the_customer(self):
        lots = self._received_laptops()
        self._deliver(lots[:2])
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.other_customer.id,
                "location_id": self.customer_location.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.laptop.id,
                            "product_uom_qty": 1,
                            "location_id": self.customer_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self._set_lines(picking, lots[:1])
        with self.assertRaisesRegex(
            UserError,
            "%s: delivered to Serial Customer, not to Other Customer" % lots[0].name,
        ):
            picking.button_validate()
        picking.partner_id = self.customer
        picking.button_validate()
        self.assertStatus(lots[:1], "returned")

    def test_vendor_return_proposes_the_received_serials(self):
        first = self._received_laptops()
        receipt = self._create_receipt([(self.laptop, 2)], vendor=self.vendor_2)
        self._allocate_receipt(receipt, validate=True)
        second = receipt.move_ids.move_line_ids.lot_id
        self.assertEqual(len(second), 2)
        return_picking = self._create_return(receipt, self.laptop, 2)
        # Odoo reserves the oldest serials in stock, those of the first
        # receipt; the return proposes the ones this receipt brought in.
        self.assertEqual(return_picking.move_ids.move_line_ids.lot_id, second)
        self.assertEqual(return_picking.move_ids.quantity, 2)
        return_picking.move_ids.picked = True
        return_picking.button_validate()
        self.assertEqual(return_picking.state, "done")
        self.assertStatus(second, "vendor_returned", self.vendor_2)
        self.assertStatus(first, "in_stock")

    def test_vendor_return_refuses_serials_of_another_receipt(self):
        first = self._received_laptops()
        receipt = self._create_receipt([(self.laptop, 1)], vendor=self.vendor_2)
        self._allocate_receipt(receipt, validate=True)
        return_picking = self._create_return(receipt, self.laptop, 1)
        self._set_lines(return_picking, first[:1])
        before = self._lifecycle_snapshot(first)
        with self.assertRaises(UserError) as caught:
            return_picking.button_validate()
        self.assertEqual(
            caught.exception.args[0],
            "These serials cannot be returned:\n%s: not received by %s from %s"
            % (first[0].name, receipt.name, self.vendor_2.display_name),
        )
        self.assertEqual(self._lifecycle_snapshot(first), before)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import UserError
from odoo.tests import Form

from .lifecycle_common import SerialLifecycleCommon

GTIN = "09506000134352"


class TestSerialScan(SerialLifecycleCommon):
    """Scan Serials applies a scanned or pasted list of serials to a delivery
    or a return in one step, with the input rules of the allocation wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.laptop.barcode = GTIN

    def _scan(self, picking, text):
        action = picking.action_scan_serials()
        self.assertEqual(action["res_model"], "stock.serial.scan")
        form = Form(self.env["stock.serial.scan"].with_context(**action["context"]))
        form.serials_text = text
        return form.save()

    def _lines(self, picking):
        picking.invalidate_recordset()
        return [
            (line.lot_id.name, line.location_id, line.picked)
            for line in picking.move_ids.move_line_ids
        ]

    def test_scanned_list_is_applied_in_one_step(self):
        lots = self._received_laptops()
        delivery = self._create_delivery(self.laptop, 3)
        self.assertTrue(delivery.show_scan_serials)
        # Odoo reserved the first three serials; the scan gives the others
        # (one as a GS1 code with its GTIN), with a trailing newline.
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, lots[:3])
        scan = self._scan(
            delivery,
            "%s\r\n%s\n(01)%s(21)%s\n"
            % (lots[2].name, lots[3].name, GTIN, lots[4].name),
        )
        self.assertEqual(scan.expected_count, 3)
        self.assertEqual(scan.summary, "3 of 3 entered")
        action = scan.action_apply()
        self.assertEqual(
            action["params"]["next"]["type"], "ir.actions.act_window_close"
        )
        self.assertEqual(
            self._lines(delivery),
            [(lot.name, self.stock_location, True) for lot in lots[2:5]],
        )
        # The first serials are free again, the scanned ones reserved.
        quants = self.env["stock.quant"].search([("lot_id", "in", lots.ids)])
        self.assertEqual(
            {quant.lot_id.name: quant.reserved_quantity for quant in quants},
            {lot.name: float(lot in lots[2:5]) for lot in lots},
        )
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertStatus(lots[2:5], "delivered", self.customer)
        self.assertStatus(lots[:2], "in_stock")

    def test_every_wrong_line_is_listed_and_nothing_is_written(self):
        lots = self._received_laptops()
        self._deliver(lots[:1])
        delivery = self._create_delivery(self.laptop, 3)
        before = self._lines(delivery)
        text = "\n".join(
            [
                lots[1].name,
                lots[1].name,
                "",
                "AB\x07C",
                "NOPE-1",
                lots[0].name,
                "(01)%s(21)%s" % ("09501101530003", lots[2].name),
            ]
        )
        scan = self._scan(delivery, text)
        self.assertEqual(
            scan.summary,
            "4 of 3 entered, 6 problem(s): line 2 (%s) repeats line 1" % lots[1].name,
        )
        with self.assertRaises(UserError) as caught:
            scan.action_apply()
        self.assertEqual(
            caught.exception.args[0],
            "These serials cannot be applied to %s:\n"
            "- line 2 (%s) repeats line 1\n"
            "- line 3 is blank\n"
            "- line 4 ('AB\\x07C') has control characters\n"
            "- line 5: NOPE-1 is not a serial of the products of %s\n"
            "- line 7: %s is not a serial of the products of %s\n"
            "- %s: already delivered to Serial Customer"
            % (
                delivery.name,
                lots[1].name,
                delivery.name,
                lots[2].name,
                delivery.name,
                lots[0].name,
            ),
        )
        self.assertEqual(self._lines(delivery), before)

    def test_more_serials_than_the_delivery_takes(self):
        lots = self._received_laptops()
        delivery = self._create_delivery(self.laptop, 2)
        scan = self._scan(delivery, "\n".join(lots[:3].mapped("name")))
        with self.assertRaisesRegex(
            UserError,
            re.escape("%s: 3 serials scanned for 2 to move" % self.laptop.display_name),
        ):
            scan.action_apply()

    def test_serial_outside_the_source_location(self):
        lots = self._received_laptops()
        other = self.env["stock.location"].create(
            {"name": "Scan Elsewhere", "usage": "internal"}
        )
        self._move(lots[:1], self.stock_location, other)
        delivery = self._create_delivery(self.laptop, 1)
        with self.assertRaisesRegex(
            UserError, "%s: in stock at Scan Elsewhere, not at WH/Stock" % lots[0].name
        ):
            self._scan(delivery, lots[0].name).action_apply()

    def test_return_takes_only_the_customer_serials(self):
        lots = self._received_laptops()
        delivery = self._deliver(lots[:2])
        self._deliver(
            lots[2:3],
            customer=self.env["res.partner"].create({"name": "Scan Other Customer"}),
        )
        return_picking = self._create_return(delivery, self.laptop, 1)
        self.assertTrue(return_picking.show_scan_serials)
        with self.assertRaisesRegex(
            UserError,
            "%s: not delivered by %s \\(delivered to Scan Other Customer\\)"
            % (lots[2].name, delivery.name),
        ):
            self._scan(return_picking, lots[2].name).action_apply()
        self._scan(return_picking, lots[1].name).action_apply()
        self.assertEqual(
            self._lines(return_picking),
            [(lots[1].name, self.customer_location, True)],
        )
        return_picking.button_validate()
        self.assertStatus(lots[1:2], "returned")
        self.assertStatus(lots[:1], "delivered", self.customer)

    def test_not_shown_on_receipts(self):
        receipt = self._create_receipt([(self.laptop, 1)])
        self.assertFalse(receipt.show_scan_serials)

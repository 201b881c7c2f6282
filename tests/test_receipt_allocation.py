# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from .receipt_common import ReceiptFlowCommon


class TestReceiptAllocation(ReceiptFlowCommon):
    """Purchase receipts: the list of moves lacking serials, the wizard opened
    from a receipt or from several lines of that list, validation and
    backorders."""

    def _receipt_list(self):
        """The moves of Inventory > Operations > Serial Allocation > Receipts."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_stock_move_serial_receipt"
        )
        return self.env["stock.move"].search(safe_eval(action["domain"]))

    # ------------------------------------------------------------------
    # The list of receipts lacking serials
    # ------------------------------------------------------------------
    def test_receipt_list(self):
        screws = self._create_serial_product("Screws", tracking="none")
        self._create_purchase([(screws, 10)], vendor=self.vendor_2)
        late_order = self._create_purchase([(self.router, 2)], vendor=self.vendor_2)
        moves = self._receipt_list()
        self.assertIn(self.move_laptop, moves)
        self.assertIn(self.move_router, moves)
        self.assertNotIn(screws, moves.product_id, "only serial products lack serials")
        self.assertRecordValues(
            self.move_laptop,
            [
                {
                    "picking_id": self.receipt.id,
                    "serial_purchase_id": self.order.id,
                    "serial_vendor_id": self.vendor.id,
                    "product_qty": 5,
                    "serial_allocated_qty": 0,
                    "serial_to_allocate_qty": 5,
                }
            ],
        )
        # Filters and group-bys of the list.
        view = self.env["stock.move"].get_views(
            [
                (
                    self.env.ref(
                        "stock_serial_allocation.view_stock_move_serial_receipt_search"
                    ).id,
                    "search",
                )
            ]
        )["views"]["search"]["arch"]
        for name in ("late", "group_vendor", "group_purchase", "group_product"):
            self.assertIn('name="%s"' % name, view)
        late_order.picking_ids.scheduled_date = "2020-01-01 10:00:00"
        self.receipt.scheduled_date = fields.Datetime.add(fields.Datetime.now(), days=3)
        late = self.env["stock.move"].search(
            safe_eval(
                self.env["ir.actions.act_window"]._for_xml_id(
                    "stock_serial_allocation.action_stock_move_serial_receipt"
                )["domain"]
            )
            + [("date", "<", "now")]
        )
        self.assertEqual(late, late_order.picking_ids.move_ids)
        groups = self.env["stock.move"]._read_group(
            [("id", "in", (moves | late).ids)],
            ["serial_vendor_id", "serial_purchase_id"],
            ["serial_to_allocate_qty:sum"],
        )
        totals = defaultdict(float)
        for vendor, _order, quantity in groups:
            totals[vendor.id] += quantity
        self.assertEqual(totals[self.vendor.id], 8)
        self.assertEqual(totals[self.vendor_2.id], 2)
        # Once allocated, the receipt leaves the list.
        self._allocate_receipt(self.receipt)
        self.assertFalse(self._receipt_list() & self.receipt.move_ids)
        menu = self.env.ref("stock_serial_allocation.menu_serial_allocation_receipts")
        self.assertEqual(
            menu.action,
            self.env.ref("stock_serial_allocation.action_stock_move_serial_receipt"),
        )
        self.assertEqual(
            menu.parent_id,
            self.env.ref("stock_serial_allocation.menu_serial_allocation_operations"),
        )

    # ------------------------------------------------------------------
    # The wizard from a receipt
    # ------------------------------------------------------------------
    def test_allocate_from_the_receipt(self):
        self.assertTrue(self.receipt.show_allocate_serials)
        wizard = self._open_wizard(self.receipt.action_allocate_serials())
        self.assertEqual(wizard.source, "purchase")
        self.assertRecordValues(
            wizard.line_ids.sorted(lambda line: line.product_id.name),
            [
                {
                    "move_id": self.move_laptop.id,
                    "product_id": self.laptop.id,
                    "document": self.receipt.name,
                    "generator_id": self.generator.id,
                    "quantity_todo": 5,
                    "quantity": 5,
                    "method": "generate",
                    "partial": False,
                    "preview": "RC-00001 … RC-00005",
                },
                {
                    "move_id": self.move_router.id,
                    "product_id": self.router.id,
                    "document": self.receipt.name,
                    "generator_id": self.generator.id,
                    "quantity_todo": 3,
                    "quantity": 3,
                    "method": "generate",
                    "partial": False,
                    # The laptops take the first five numbers.
                    "preview": "RC-00006 … RC-00008",
                },
            ],
        )
        self.assertEqual(self.generator.number_next, 1, "a preview takes no number")
        wizard = Form(wizard).save()
        result = wizard.action_allocate()
        allocations = self.receipt.serial_allocation_ids.sorted("id")
        # Told at once: count, first and last serial, register entries, and
        # buttons to print the labels and open the entries.
        self.assertEqual(result["tag"], "stock_serial_allocation_result")
        params = result["params"]
        self.assertEqual(
            params["message"],
            "8 serial(s) allocated: RC-00001 … RC-00008 (%s)"
            % ", ".join(allocations.mapped("name")),
        )
        # Odoo's lot label report (behind its document layout step when the
        # company has none yet).
        report = params["print_action"]
        if report["type"] == "ir.actions.act_window":
            report = report["context"]["report_action"]
        self.assertEqual(report["report_name"], "stock.report_lot_label")
        self.assertEqual(
            set(report["context"]["active_ids"]), set(allocations.lot_ids.ids)
        )
        self.assertEqual(params["open_action"]["res_model"], "stock.serial.allocation")
        self.assertEqual(
            params["open_action"]["domain"], [("id", "in", allocations.ids)]
        )
        # The wizard's last step shows it too, with the same buttons.
        self.assertEqual(params["next"]["res_id"], wizard.id)
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.result_message, params["message"])
        self.assertEqual(wizard.action_print_labels(), params["print_action"])
        self.assertEqual(
            wizard.action_open_register()["domain"], [("id", "in", allocations.ids)]
        )
        self.assertEqual(len(allocations), 2)
        self.assertEqual(self.receipt.serial_allocation_count, 2)
        self.assertEqual(set(allocations.mapped("purchase_id")), {self.order})
        self.assertEqual(set(allocations.mapped("partner_id")), {self.vendor})
        self.assertEqual(sorted(allocations.mapped("count")), [3, 5])
        self.assertEqual(self.generator.number_next, 9)
        for move in self.receipt.move_ids:
            self.assertEqual(len(move.move_line_ids), move.product_uom_qty)
            self.assertTrue(all(move.move_line_ids.mapped("lot_id")))
            self.assertEqual(set(move.move_line_ids.mapped("quantity")), {1.0})
            self.assertEqual(move.serial_to_allocate_qty, 0)
        lots = allocations.lot_ids
        self.assertEqual(len(lots), 8)
        self.assertEqual(set(lots.mapped("serial_purchase_id")), {self.order})
        self.assertEqual(set(lots.mapped("serial_vendor_id")), {self.vendor})
        self.assertEqual(set(lots.mapped("serial_source")), {"purchase"})
        # Ready to validate, nothing left to allocate.
        self.assertEqual(self.receipt.state, "assigned")
        self.assertFalse(self.receipt.show_allocate_serials)
        self.assertIs(self.receipt.button_validate(), True)
        self.assertEqual(self.receipt.state, "done")
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual(len(quants), 8)
        self.assertEqual(set(quants.mapped("quantity")), {1.0})
        self.assertEqual(quants.location_id, self.stock_location)
        self.assertEqual(self.order.order_line.mapped("qty_received"), [5.0, 3.0])

    def test_preview_after_the_lines_above(self):
        """Lines drawing on one generator share its counter: each preview
        starts after the quantities of the generated lines above it, as the
        allocation does."""
        self.move_laptop.product_uom_qty = 2
        wizard = self._open_wizard(self.receipt.action_allocate_serials())
        self.assertEqual(
            wizard.line_ids.mapped("preview"),
            ["RC-00001 … RC-00002", "RC-00003 … RC-00005"],
        )
        form = Form(wizard)
        with form.line_ids.edit(0) as line:
            line.method = "enter"
            line.serials_text = "OWN-1\nOWN-2"
        wizard = form.save()
        wizard.line_ids.invalidate_recordset(["preview"])
        self.assertEqual(wizard.line_ids[1].preview, "RC-00001 … RC-00003")
        wizard.action_allocate()
        self.assertEqual(
            sorted(self.move_router.move_line_ids.lot_id.mapped("name")),
            ["RC-00001", "RC-00002", "RC-00003"],
        )

    def test_putaway_rules_apply(self):
        shelf = self.env["stock.location"].create(
            {
                "name": "Laptop Shelf",
                "location_id": self.stock_location.id,
                "usage": "internal",
            }
        )
        self.env["stock.putaway.rule"].create(
            {
                "product_id": self.laptop.id,
                "location_in_id": self.stock_location.id,
                "location_out_id": shelf.id,
            }
        )
        self._allocate_receipt(self.receipt)
        self.assertEqual(self.move_laptop.move_line_ids.location_dest_id, shelf)
        self.assertEqual(
            self.move_router.move_line_ids.location_dest_id, self.stock_location
        )
        self.receipt.button_validate()
        self.assertEqual(self.laptop.with_context(location=shelf.id).qty_available, 5)

    def test_putaway_fills_storage_capacities_unit_by_unit(self):
        """A shelf that holds two laptops takes two serials; the next shelf
        of the same storage category takes the rest."""
        category = self.env["stock.storage.category"].create(
            {
                "name": "Two Laptops",
                "capacity_ids": [
                    Command.create({"product_id": self.laptop.id, "quantity": 2})
                ],
            }
        )
        shelves = self.env["stock.location"].create(
            [
                {
                    "name": "Capacity Shelf %s" % index,
                    "location_id": self.stock_location.id,
                    "usage": "internal",
                    "storage_category_id": category.id,
                }
                for index in (1, 2, 3)
            ]
        )
        self.env["stock.putaway.rule"].create(
            {
                "product_id": self.laptop.id,
                "location_in_id": self.stock_location.id,
                "location_out_id": self.stock_location.id,
                "storage_category_id": category.id,
            }
        )
        self._allocate_receipt(self.receipt)
        lines = self.move_laptop.move_line_ids
        self.assertEqual(len(lines), 5)
        per_shelf = {
            shelf: len(lines.filtered(lambda line, s=shelf: line.location_dest_id == s))
            for shelf in shelves
        }
        self.assertEqual(sorted(per_shelf.values()), [1, 2, 2])
        self.assertEqual(sum(per_shelf.values()), 5)
        self.receipt.button_validate()
        for shelf, count in per_shelf.items():
            self.assertEqual(
                self.laptop.with_context(location=shelf.id).qty_available, count
            )

    def test_validate_at_once(self):
        self._allocate_receipt(self.receipt, validate=True)
        self.assertEqual(self.receipt.state, "done")
        self.assertEqual(self.laptop.qty_available, 5)
        self.assertEqual(self.router.qty_available, 3)

    def test_enter_serials_in_the_wizard(self):
        wizard = self._open_wizard(self.move_router.action_allocate_serials())
        form = Form(wizard)
        with form.line_ids.edit(0) as line:
            line.method = "enter"
            line.serials_text = "SCAN-1\nSCAN-2\r\nSCAN-3\n"
            self.assertEqual(line.preview, "SCAN-1 … SCAN-3 (3)")
        form.save().action_allocate()
        self.assertEqual(
            self.move_router.move_line_ids.lot_id.sorted("name").mapped("name"),
            ["SCAN-1", "SCAN-2", "SCAN-3"],
        )
        self.assertEqual(self.move_router.serial_allocation_ids.method, "enter")
        self.assertTrue(
            self.receipt.show_allocate_serials, "the laptops still lack serials"
        )

    def test_button_only_when_serials_are_missing(self):
        draft = self._create_purchase([(self.laptop, 1)], confirm=False)
        self.assertFalse(draft.picking_ids)
        screws = self._create_serial_product("Screws", tracking="none")
        plain = self._create_purchase([(screws, 4)]).picking_ids
        self.assertFalse(plain.show_allocate_serials)
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.laptop.id,
                            "product_uom_qty": 1,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        self.assertFalse(delivery.show_allocate_serials)
        with self.assertRaisesRegex(
            UserError, "No serial product of these receipts lacks serials."
        ):
            plain.action_allocate_serials()
        form_arch = self.env["stock.picking"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="action_allocate_serials"', form_arch)
        self.assertIn('name="action_print_serial_labels"', form_arch)

    def test_print_labels(self):
        self._allocate_receipt(self.receipt)
        action = self.receipt.with_context(
            discard_logo_check=True
        ).action_print_serial_labels()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "stock.report_lot_label")
        self.assertEqual(
            set(action["context"]["active_ids"]),
            set(self.receipt.serial_allocation_ids.lot_ids.ids),
        )
        content, report_type = self.env["ir.actions.report"]._render_qweb_html(
            "stock.action_report_lot_label",
            self.receipt.serial_allocation_ids.lot_ids.ids,
        )
        self.assertEqual(report_type, "html")
        self.assertIn(b"RC-00001", content)
        self.assertIn(b"RC-00008", content)

    # ------------------------------------------------------------------
    # Several receipts at once, from the list
    # ------------------------------------------------------------------
    def test_multi_receipt_allocation(self):
        order_2 = self._create_purchase([(self.laptop, 2)], vendor=self.vendor_2)
        receipt_2 = order_2.picking_ids
        moves = self._receipt_list().filtered(
            lambda m: m.picking_id in (self.receipt | receipt_2)
        )
        self.assertEqual(len(moves), 3)
        wizard = self._open_wizard(moves.action_allocate_serials())
        self.assertEqual(wizard.line_ids.move_id, moves)
        form = Form(wizard)
        form.validate = True
        form.save().action_allocate()
        self.assertEqual((self.receipt | receipt_2).mapped("state"), ["done", "done"])
        allocation_2 = receipt_2.serial_allocation_ids
        self.assertRecordValues(
            allocation_2,
            [{"partner_id": self.vendor_2.id, "purchase_id": order_2.id, "count": 2}],
        )
        self.assertEqual(
            set(allocation_2.lot_ids.mapped("serial_vendor_id")), {self.vendor_2}
        )
        # One counter reservation for the three lines: 10 consecutive serials.
        names = sorted(
            (self.receipt | receipt_2).serial_allocation_ids.lot_ids.mapped("name")
        )
        self.assertEqual(names, ["RC-%05d" % number for number in range(1, 11)])
        self.assertEqual(self.generator.number_next, 11)
        self.assertFalse(self._receipt_list() & moves)
        # The list's button works on moves that no longer lack serials: refused.
        with self.assertRaisesRegex(
            UserError, "None of the selected moves lacks serials."
        ):
            moves.action_allocate_serials()

    # ------------------------------------------------------------------
    # Partial allocation and backorders
    # ------------------------------------------------------------------
    def test_partial_allocation_with_backorder(self):
        self._allocate_receipt(
            self.receipt,
            lines={
                self.laptop: {
                    "method": "enter",
                    "partial": True,
                    "serials_text": "PA-1\nPA-2",
                },
                self.router: {"quantity": 2},
            },
        )
        self.assertEqual(self.move_laptop.serial_allocated_qty, 2)
        self.assertEqual(self.move_laptop.serial_to_allocate_qty, 3)
        self.assertEqual(self.move_router.serial_to_allocate_qty, 1)
        self.assertTrue(self.receipt.show_allocate_serials)
        self.assertIn(self.move_laptop, self._receipt_list())
        # Validate what carries serials; the rest goes to a backorder.
        action = self.receipt.button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        Form.from_action(self.env, action).save().process()
        self.assertEqual(self.receipt.state, "done")
        backorder = self.receipt.backorder_ids
        self.assertEqual(len(backorder), 1)
        self.assertEqual(
            sorted(backorder.move_ids.mapped("serial_to_allocate_qty")), [1, 3]
        )
        self.assertTrue(backorder.show_allocate_serials)
        self.assertEqual(self.laptop.qty_available, 2)
        # The backorder is allocated and received in its turn.
        self._allocate_receipt(backorder, validate=True)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self.laptop.qty_available, 5)
        self.assertEqual(self.router.qty_available, 3)
        self.assertEqual(backorder.serial_allocation_ids.purchase_id, self.order)
        self.assertEqual(self.order.order_line.mapped("qty_received"), [5.0, 3.0])

    def test_unpicked_serials_follow_the_backorder(self):
        """Allocated serials left unpicked at validation go with the backorder,
        not lost: the register keeps knowing where they are."""
        self._allocate_receipt(self.receipt)
        lines = self.move_laptop.move_line_ids.sorted("id")
        lines[:2].picked = True
        self.move_router.move_line_ids.picked = True
        left = lines[2:].lot_id
        action = self.receipt.button_validate()
        Form.from_action(self.env, action).save().process()
        backorder = self.receipt.backorder_ids
        self.assertEqual(backorder.move_ids.move_line_ids.lot_id, left)
        self.assertEqual(backorder.move_ids.serial_to_allocate_qty, 0)
        self.assertFalse(backorder.show_allocate_serials)
        self.assertFalse(any(left.mapped("serial_voided")))
        backorder.button_validate()
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self.laptop.qty_available, 5)

    def test_unpicked_serials_without_backorder_are_voided(self):
        self._allocate_receipt(self.receipt)
        lines = self.move_laptop.move_line_ids.sorted("id")
        lines[:2].picked = True
        self.move_router.move_line_ids.picked = True
        action = self.receipt.button_validate()
        Form.from_action(self.env, action).save().process_cancel_backorder()
        self.assertFalse(self.receipt.backorder_ids)
        left = self.move_laptop.serial_allocation_ids.lot_ids.filtered(
            lambda lot: not lot.quant_ids
        )
        self.assertEqual(len(left), 3)
        self.assertTrue(all(left.mapped("serial_voided")))
        self.assertIn(self.receipt.name, left[0].serial_void_reason)
        allocation = self.move_laptop.serial_allocation_ids
        self.assertEqual(allocation.voided_count, 3)
        self.assertEqual(allocation.state, "done", "two serials were received")

    # ------------------------------------------------------------------
    # Cancellation
    # ------------------------------------------------------------------
    def test_cancelled_receipt_voids_its_serials(self):
        self._allocate_receipt(self.receipt)
        allocations = self.receipt.serial_allocation_ids
        lots = allocations.lot_ids
        self.receipt.action_cancel()
        self.assertEqual(self.receipt.state, "cancel")
        self.assertEqual(set(allocations.mapped("state")), {"voided"})
        self.assertTrue(all(lots.mapped("serial_voided")))
        reason = "%s was cancelled before receiving these serials." % self.receipt.name
        self.assertEqual(set(lots.mapped("serial_void_reason")), {reason})
        self.assertEqual(set(allocations.mapped("void_reason")), {reason})
        # Voided, never reissued: the next allocation continues the counter.
        self.assertEqual(self.generator.number_next, 9)
        other = self._create_purchase([(self.laptop, 1)]).picking_ids
        self._allocate_receipt(other)
        self.assertEqual(other.move_ids.move_line_ids.lot_id.name, "RC-00009")
        # The voided allocations stay in the register.
        self.assertEqual(
            self.Allocation.search(
                [("picking_id", "=", self.receipt.id), ("state", "=", "voided")]
            ),
            allocations,
        )

    def test_cancelled_purchase_voids_its_serials(self):
        self._allocate_receipt(self.receipt)
        self.order.button_cancel()
        self.assertEqual(self.receipt.state, "cancel")
        self.assertEqual(
            set(self.receipt.serial_allocation_ids.mapped("state")), {"voided"}
        )

    def test_cancelled_backorder_voids_only_its_serials(self):
        self._allocate_receipt(self.receipt)
        self.move_laptop.move_line_ids.sorted("id")[:2].picked = True
        self.move_router.move_line_ids.picked = True
        Form.from_action(self.env, self.receipt.button_validate()).save().process()
        backorder = self.receipt.backorder_ids
        carried = backorder.move_ids.move_line_ids.lot_id
        backorder.action_cancel()
        self.assertTrue(all(carried.mapped("serial_voided")))
        self.assertIn(backorder.name, carried[0].serial_void_reason)
        received = self.move_laptop.serial_allocation_ids.lot_ids - carried
        self.assertEqual(len(received), 2)
        self.assertFalse(any(received.mapped("serial_voided")))
        self.assertEqual(self.move_laptop.serial_allocation_ids.state, "done")

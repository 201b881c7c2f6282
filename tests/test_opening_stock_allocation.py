# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from ..models.stock_serial_allocator import SerialRequest
from .opening_common import OpeningStockCommon


class TestOpeningStockAllocation(OpeningStockCommon):
    def test_pending_list(self):
        quant = self._put_untracked(self.product, 4)
        shelf_quant = self._put_untracked(self.product, 2, self.shelf)
        other = self._create_serial_product("Serialized Elsewhere")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_stock_quant_serial_opening"
        )
        Quant = self.env["stock.quant"]
        pending = Quant.search(safe_eval(action["domain"]))
        self.assertIn(quant, pending)
        self.assertIn(shelf_quant, pending)
        self.assertFalse(pending.filtered(lambda q: q.product_id == other))
        self.assertEqual(quant.serial_came_from, "On Hand")
        self.assertFalse(quant.serial_receipt_id)
        self.assertEqual(quant.serial_todo_qty, 4)
        self.assertIn(quant, Quant.search([("serial_receipt_id", "=", False)]))
        self.assertNotIn(quant, Quant.search([("serial_receipt_id", "!=", False)]))
        # Group-bys of the search view.
        domain = Quant._get_serial_pending_domain() & Domain(
            [("product_id", "=", self.product.id)]
        )
        for groupby in (
            "product_id",
            "location_id",
            "warehouse_id",
            "product_categ_id",
        ):
            groups = Quant._read_group(domain, [groupby], ["quantity:sum"])
            self.assertEqual(sum(qty for _group, qty in groups), 6, groupby)
        by_location = dict(Quant._read_group(domain, ["location_id"], ["quantity:sum"]))
        self.assertEqual(by_location[self.shelf], 2)
        by_warehouse = dict(
            Quant._read_group(domain, ["warehouse_id"], ["quantity:sum"])
        )
        self.assertEqual(by_warehouse[self.warehouse], 6)

    def test_serialize_existing_stock(self):
        """Serials for part of the stock: same quantity and value, one quant
        per serial, an inventory adjustment named after the allocation."""
        quant = self._put_untracked(self.product, 10)
        value = self._value(self.product)
        self.assertEqual(value, 500)
        wizard = self._wizard(quant.action_allocate_serials())
        self.assertEqual(wizard.source, "opening")
        line = wizard.line_ids
        self.assertEqual(line.quant_id, quant)
        self.assertEqual(line.location_id, self.stock_location)
        self.assertEqual(line.product_id, self.product)
        self.assertEqual(line.quantity_todo, 10)
        self.assertEqual(line.document, "On Hand")
        self.assertEqual(line.preview, "OP-00001 … OP-00010")
        with Form(wizard) as form, form.line_ids.edit(0) as line_form:
            line_form.quantity = 6
        wizard.action_allocate()
        self.assertEqual(self.product.qty_available, 10)
        self.assertEqual(self._value(self.product), value)
        self.assertEqual(quant.quantity, 4)
        serial_quants = self._serial_quants(self.product)
        self.assertEqual(len(serial_quants), 6)
        self.assertEqual(set(serial_quants.mapped("quantity")), {1})
        self.assertEqual(
            sorted(serial_quants.lot_id.mapped("name")),
            ["OP-%05d" % number for number in range(1, 7)],
        )
        allocation = serial_quants.lot_id.serial_allocation_id
        self.assertEqual(len(allocation), 1)
        self.assertEqual(allocation.source, "opening")
        self.assertEqual(allocation.method, "generate")
        self.assertEqual(allocation.count, 6)
        self.assertEqual(allocation.location_id, self.stock_location)
        self.assertEqual(allocation.document_ref, self.stock_location)
        self.assertFalse(allocation.picking_id)
        moves = self._allocation_moves(allocation)
        # One inventory adjustment out (without serial), one in (a line per serial).
        self.assertEqual(len(moves), 2)
        self.assertTrue(all(moves.mapped("is_inventory")))
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(
            set(moves.mapped("reference")), {"%s: Serial Allocation" % allocation.name}
        )
        out_move = moves.filtered(lambda m: m.location_id == self.stock_location)
        self.assertEqual(out_move.quantity, 6)
        self.assertFalse(out_move.move_line_ids.lot_id)
        in_move = moves - out_move
        self.assertEqual(in_move.quantity, 6)
        self.assertEqual(len(in_move.move_line_ids), 6)
        self.assertEqual(set(in_move.move_line_ids.mapped("quantity")), {1})
        self.assertEqual(in_move.move_line_ids.lot_id, serial_quants.lot_id)
        self.assertEqual(in_move.location_dest_id, self.stock_location)
        self.assertEqual(in_move.location_id, out_move.location_dest_id)
        self.assertEqual(in_move.value, out_move.value)
        # The serial units keep the in-date of the stock they replace.
        self.assertEqual(set(serial_quants.mapped("in_date")), {quant.in_date})
        # The rest can be serialized later; nothing is left pending then.
        wizard = self._wizard(quant.action_allocate_serials())
        self.assertEqual(wizard.line_ids.quantity, 4)
        wizard.action_allocate()
        self.assertFalse(self._untracked_quant(self.product))
        self.assertEqual(len(self._serial_quants(self.product)), 10)
        self.assertEqual(self.product.qty_available, 10)
        self.assertEqual(self._value(self.product), value)

    def test_serialize_several_lines_entered_serials(self):
        """Several pending lines at once, with typed legacy serials."""
        luhn = self._create_generator(prefix="9", padding=4, check_digit="luhn")
        router = self._create_serial_product("Opening Router", luhn, standard_price=80)
        quants = self._put_untracked(self.product, 3) | self._put_untracked(
            router, 2, self.shelf
        )
        wizard = self._wizard(quants.action_allocate_serials())
        self.assertEqual(len(wizard.line_ids), 2)
        router_line = wizard.line_ids.filtered(lambda line: line.product_id == router)
        self.assertEqual(router_line.location_id, self.shelf)
        # Legacy serials keep their format: no check digit is asked of them.
        router_line.write({"method": "enter", "serials_text": "LEGACY-A\nLEGACY-B\n"})
        wizard.action_allocate()
        self.assertEqual(
            sorted(self._serial_quants(router, self.shelf).lot_id.mapped("name")),
            ["LEGACY-A", "LEGACY-B"],
        )
        self.assertEqual(len(self._serial_quants(self.product)), 3)
        self.assertFalse(self._untracked_quant(self.product))
        self.assertFalse(self._untracked_quant(router, self.shelf))
        allocations = self.env["stock.serial.allocation"].search(
            [("product_id", "in", (self.product | router).ids)]
        )
        self.assertEqual(len(allocations), 2)
        self.assertEqual(set(allocations.mapped("source")), {"opening"})
        self.assertEqual(
            allocations.filtered(lambda a: a.product_id == router).location_id,
            self.shelf,
        )

    def test_serialize_fifo_stock_keeps_value(self):
        """FIFO stock received at two prices keeps its value when part of it
        gets serials (the serial units carry the value of the units out)."""
        category = self.env["product.category"].create(
            {"name": "FIFO Serials", "property_cost_method": "fifo"}
        )
        product = self._create_serial_product(
            "FIFO Scanner", self.generator, categ_id=category.id, standard_price=10
        )
        self._receive_without_serials(product, 5, 10.0)
        self._receive_without_serials(product, 5, 20.0)
        self.assertEqual(product.qty_available, 10)
        self.assertAlmostEqual(self._value(product), 150)
        quant = self._untracked_quant(product)
        wizard = self._wizard(quant.action_allocate_serials())
        wizard.line_ids.quantity = 7
        wizard.action_allocate()
        self.assertEqual(product.qty_available, 10)
        self.assertAlmostEqual(self._value(product), 150)
        self.assertEqual(len(self._serial_quants(product)), 7)
        wizard = self._wizard(quant.action_allocate_serials())
        wizard.action_allocate()
        self.assertEqual(len(self._serial_quants(product)), 10)
        self.assertAlmostEqual(self._value(product), 150)

    def test_serialize_average_cost_stock_keeps_value(self):
        category = self.env["product.category"].create(
            {"name": "AVCO Serials", "property_cost_method": "average"}
        )
        product = self._create_serial_product(
            "AVCO Scanner", self.generator, categ_id=category.id, standard_price=10
        )
        self._receive_without_serials(product, 4, 10.0)
        self._receive_without_serials(product, 4, 16.0)
        value = self._value(product)
        self.assertAlmostEqual(value, 104)
        wizard = self._wizard(self._untracked_quant(product).action_allocate_serials())
        wizard.line_ids.quantity = 5
        wizard.action_allocate()
        self.assertEqual(product.qty_available, 8)
        self.assertAlmostEqual(self._value(product), value)
        self.assertAlmostEqual(product.standard_price, 13)

    def test_received_without_serials_then_allocated(self):
        """Units received through an operation type that does not ask for
        serials are allocated later, with the link to their receipt."""
        order, picking = self._receive_without_serials(self.product, 4, 50.0)
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.move_line_ids.lot_id)
        quant = self._untracked_quant(self.product)
        self.assertEqual(quant.quantity, 4)
        self.assertEqual(quant.serial_receipt_id, picking)
        self.assertEqual(quant.serial_came_from, picking.name)
        Quant = self.env["stock.quant"]
        self.assertIn(quant, Quant.search([("serial_receipt_id", "=", picking.id)]))
        self.assertIn(quant, Quant.search([("serial_receipt_id", "!=", False)]))
        self.assertNotIn(quant, Quant.search([("serial_receipt_id", "=", False)]))
        wizard = self._wizard(quant.action_allocate_serials())
        self.assertEqual(wizard.line_ids.document, picking.name)
        wizard.action_allocate()
        lots = self._serial_quants(self.product).lot_id
        self.assertEqual(len(lots), 4)
        allocation = lots.serial_allocation_id
        self.assertEqual(allocation.source, "opening")
        self.assertEqual(allocation.document_ref, picking)
        self.assertEqual(allocation.picking_id, picking)
        self.assertEqual(allocation.purchase_id, order)
        self.assertEqual(allocation.partner_id, self.vendor)
        self.assertEqual(allocation.location_id, self.stock_location)
        self.assertEqual(lots.serial_vendor_id, self.vendor)
        self.assertEqual(lots.serial_purchase_id, order)
        self.assertEqual(set(lots.mapped("serial_source")), {"opening"})
        self.assertEqual(self.product.qty_available, 4)
        self.assertAlmostEqual(self._value(self.product), 200)

    def test_initial_stock_entry(self):
        """A serial product with nothing on hand: stock comes in with its
        serials through Odoo's inventory adjustment, valued at the product's
        cost and accounted on the accounting date."""
        category = self.env["product.category"].create(
            {"name": "Perpetual Serials", "property_valuation": "real_time"}
        )
        luhn = self._create_generator(prefix="7", padding=4, check_digit="luhn")
        product = self._create_serial_product(
            "New Scanner", luhn, categ_id=category.id, standard_price=30
        )
        company = self.env.company
        account = self.env["account.account"].create(
            {"name": "Opening Stock Equity", "code": "OPSE1", "account_type": "equity"}
        )
        if not company.account_stock_journal_id:
            company.account_stock_journal_id = self.env["account.journal"].create(
                {"name": "Stock Journal", "code": "OSTJ", "type": "general"}
            )
        if not company.account_stock_valuation_id:
            company.account_stock_valuation_id = self.env["account.account"].create(
                {
                    "name": "Stock Valuation",
                    "code": "OPSV1",
                    "account_type": "asset_current",
                }
            )
        category.property_stock_valuation_account_id = (
            company.account_stock_valuation_id
        )
        product.property_stock_inventory.valuation_account_id = account
        action = product.product_tmpl_id.action_allocate_opening_serials()
        wizard = self._wizard(action)
        line = wizard.line_ids
        self.assertFalse(line.quant_id)
        self.assertEqual(line.location_id, self.stock_location)
        self.assertEqual(line.product_id, product)
        self.assertEqual(line.quantity_todo, 0)
        self.assertEqual(line.document, "Initial Stock")
        with Form(wizard) as form, form.line_ids.edit(0) as line_form:
            line_form.location_id = self.shelf
            line_form.quantity = 3
            line_form.method = "enter"
            line_form.serials_text = "LEG-1\nLEG-2\nLEG-3"
            line_form.accounting_date = date(2025, 12, 31)
        wizard.action_allocate()
        quants = self._serial_quants(product, self.shelf)
        self.assertEqual(len(quants), 3)
        self.assertEqual(
            sorted(quants.lot_id.mapped("name")), ["LEG-1", "LEG-2", "LEG-3"]
        )
        self.assertEqual(product.qty_available, 3)
        self.assertAlmostEqual(self._value(product), 90)
        allocation = quants.lot_id.serial_allocation_id
        self.assertEqual(allocation.source, "opening")
        self.assertEqual(allocation.method, "enter")
        self.assertEqual(allocation.document_ref, self.shelf)
        self.assertEqual(allocation.location_id, self.shelf)
        moves = self._allocation_moves(allocation)
        self.assertEqual(len(moves), 1)
        self.assertTrue(moves.is_inventory)
        self.assertEqual(moves.location_id, product.property_stock_inventory)
        self.assertEqual(moves.location_dest_id, self.shelf)
        self.assertEqual(len(moves.move_line_ids), 3)
        self.assertEqual(moves.move_line_ids.lot_id, quants.lot_id)
        self.assertEqual(moves.value, 90)
        self.assertEqual(
            set(moves.mapped("reference")), {"%s: Serial Allocation" % allocation.name}
        )
        entries = moves.account_move_id
        self.assertTrue(entries)
        self.assertEqual(set(entries.mapped("date")), {date(2025, 12, 31)})
        self.assertAlmostEqual(sum(entries.line_ids.mapped("debit")), 90)
        # The accounting date is not left on the quants.
        self.assertFalse(any(quants.mapped("accounting_date")))

    def test_initial_stock_entry_generated(self):
        product = self._create_serial_product("Generated Scanner", self.generator)
        wizard = self._wizard(product.action_allocate_opening_serials())
        self.assertEqual(wizard.line_ids.method, "generate")
        wizard.line_ids.quantity = 2
        wizard.action_allocate()
        self.assertEqual(
            sorted(self._serial_quants(product).lot_id.mapped("name")),
            ["OP-00001", "OP-00002"],
        )
        # Stock without serial now? Then the product button serializes it.
        quant = self._put_untracked(product, 1)
        wizard = self._wizard(product.action_allocate_opening_serials())
        self.assertEqual(wizard.line_ids.quant_id, quant)

    def test_bad_inputs_write_nothing(self):
        quant = self._put_untracked(self.product, 5)
        other = self._create_serial_product("Other Scanner", self.generator)
        self._put_untracked(other, 2, self.shelf)
        existing = self.env["stock.lot"].create(
            {"name": "DUP-1", "product_id": self.product.id}
        )
        customer = self.env.ref("stock.stock_location_customers")
        Service = self.env["stock.serial.allocator"]
        cases = [
            (
                "more than without serial",
                [
                    SerialRequest(
                        self.product, 7, quant, **quant._get_serial_request_values()
                    )
                ],
                "7 units to serialize, only 5 without serial",
            ),
            (
                "serial already exists",
                [
                    SerialRequest(
                        self.product,
                        2,
                        quant,
                        method="enter",
                        serials=[(1, "DUP-1"), (2, "NEW-1")],
                        **quant._get_serial_request_values(),
                    )
                ],
                r"DUP-1 .*already exists",
            ),
            (
                "repeated serial",
                [
                    SerialRequest(
                        self.product,
                        2,
                        quant,
                        method="enter",
                        serials=[(1, "R-1"), (2, "R-1")],
                        **quant._get_serial_request_values(),
                    )
                ],
                r"line 2 repeats R-1 \(line 1\)",
            ),
            (
                "stock without serial at the location",
                [
                    SerialRequest(
                        other, 1, self.shelf, **self.shelf._get_serial_request_values()
                    )
                ],
                "already holds 2 Other Scanner without serial",
            ),
            (
                "not an internal location",
                [
                    SerialRequest(
                        other, 1, customer, **customer._get_serial_request_values()
                    )
                ],
                "is not an internal location",
            ),
            (
                "not a whole quantity",
                [
                    SerialRequest(
                        self.product, 1.5, quant, **quant._get_serial_request_values()
                    )
                ],
                "must be a positive whole number",
            ),
        ]
        for label, requests, message in cases:
            with self.subTest(label):
                before = self._counts()
                number_next = self.generator.number_next
                with self.assertRaises(UserError) as error:
                    Service._allocate(requests, "opening")
                self.assertRegex(str(error.exception), message)
                self.assertEqual(self._counts(), before)
                self.assertEqual(self.generator.number_next, number_next)
                self.assertEqual(quant.quantity, 5)
        # Every error at once (the quant is asked 12.5 units in all).
        before = self._counts()
        with self.assertRaises(UserError) as error:
            Service._allocate(
                [request for _l, requests, _m in cases for request in requests],
                "opening",
            )
        for _label, _requests, message in cases[1:]:
            self.assertRegex(str(error.exception), message)
        self.assertIn(
            "12.5 units to serialize, only 5 without serial", str(error.exception)
        )
        self.assertEqual(self._counts(), before)
        self.assertFalse(existing.quant_ids)

    def test_bad_inputs_from_the_wizard(self):
        quant = self._put_untracked(self.product, 5)
        wizard = self._wizard(quant.action_allocate_serials())
        before = self._counts()
        wizard.line_ids.quantity = 6
        with self.assertRaises(UserError) as error:
            wizard.action_allocate()
        self.assertIn(
            "6 units to serialize, only 5 without serial", str(error.exception)
        )
        self.assertEqual(self._counts(), before)
        # Reserved units are not given serials.
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
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
        delivery.action_assign()
        self.assertEqual(quant.reserved_quantity, 2)
        wizard = self._wizard(quant.action_allocate_serials())
        self.assertEqual(wizard.line_ids.quantity_todo, 3)
        wizard.line_ids.quantity = 4
        before = self._counts()
        with self.assertRaises(UserError) as error:
            wizard.action_allocate()
        self.assertIn(
            "4 units to serialize, only 3 without serial (2 reserved)",
            str(error.exception),
        )
        self.assertEqual(self._counts(), before)
        # A count in progress on that stock.
        quant.with_context(inventory_mode=True).inventory_quantity = 9
        wizard.line_ids.quantity = 1
        before = self._counts()
        with self.assertRaises(UserError) as error:
            wizard.action_allocate()
        self.assertIn("a count of this stock is in progress", str(error.exception))
        self.assertEqual(self._counts(), before)
        # Nothing selected that lacks serials.
        with self.assertRaises(UserError) as error:
            self.env["stock.quant"].browse().action_allocate_serials()
        self.assertIn("None of the selected quants lacks serials", str(error.exception))
        service = self.env["product.product"].create(
            {"name": "Service", "type": "service"}
        )
        with self.assertRaises(UserError) as error:
            service.action_allocate_opening_serials()
        self.assertIn("Only serial products", str(error.exception))


class TestLegacyCounter(OpeningStockCommon):
    def _enter(self, product, names):
        wizard = self._wizard(product.action_allocate_opening_serials())
        wizard.line_ids.write(
            {
                "quantity": len(names),
                "method": "enter",
                "serials_text": "\n".join(names),
            }
        )
        wizard.action_allocate()

    def test_move_counter_past_legacy_serials(self):
        generator = self._create_generator(prefix="SN-", padding=5)
        own = self._create_serial_product("Own Generator", generator)
        category = self.env["product.category"].create(
            {"name": "Legacy", "serial_generator_id": generator.id}
        )
        by_category = self._create_serial_product("By Category", categ_id=category.id)
        unrelated = self._create_serial_product("Unrelated", self.generator)
        self._enter(own, ["SN-00120", "SN-00007", "OLD-99999", "SN-ABC"])
        self._enter(by_category, ["SN-00300"])
        self._enter(unrelated, ["SN-09999"])
        self.assertEqual(generator.number_next, 1)
        action = generator.action_move_counter_past_legacy_serials()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("from 1 to 301", action["params"]["message"])
        self.assertEqual(generator.number_next, 301)
        self.assertEqual(generator._next_serials(1, own), ["SN-00301"])
        # Never backwards.
        action = generator.action_move_counter_past_legacy_serials()
        self.assertEqual(action["params"]["type"], "info")
        self.assertEqual(generator.number_next, 302)
        self.assertEqual(generator.action_move_counter_past(["SN-00010"]), 302)

    def test_move_counter_past_with_codes_and_check_digit(self):
        """Codes in the pattern match any value; the check digit is left out."""
        generator = self._create_generator(
            prefix="%(product_code)s-", padding=4, check_digit="luhn"
        )
        self.assertEqual(
            generator.action_move_counter_past(["12-00425", "77-0031x", "9-00017"]), 43
        )
        self.assertEqual(generator.number_next, 43)
        company_default = self._create_generator(prefix="%(company_code)s-X", padding=3)
        self.env.company.serial_generator_id = company_default
        product = self._create_serial_product("Company Default")
        self._enter(product, ["YC-X055", "YC-055"])
        company_default.action_move_counter_past_legacy_serials()
        self.assertEqual(company_default.number_next, 56)

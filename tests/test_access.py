# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .access_common import AccessMatrixCommon


class TestAccessMatrix(AccessMatrixCommon):
    def test_purchase_user_creates_and_confirms_an_order(self):
        with Form(
            self.env["purchase.order"].with_user(self.purchase_user)
        ) as order_form:
            order_form.partner_id = self.vendor
            for product in (self.serial_product, self.plain_product):
                with order_form.order_line.new() as line:
                    line.product_id = product
                    line.product_qty = 2
        order = order_form.record
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        # The purchase user opens the receipt from the order.
        picking = order.picking_ids
        Form(picking.with_user(self.purchase_user))
        self._receive(picking, self.stock_user)
        self.assertEqual(order.order_line.mapped("qty_received"), [2.0, 2.0])

    def test_product_manager_creates_a_product(self):
        with Form(
            self.env["product.template"].with_user(self.product_manager)
        ) as product_form:
            product_form.name = "Access Product of Purchase"
            product_form.is_storable = True
        template = product_form.record
        self.assertTrue(template.is_storable)
        with Form(template.with_user(self.product_manager)) as product_form:
            product_form.default_code = "APP"

    def test_inventory_manager_creates_a_serial_product(self):
        manager = new_test_user(
            self.env,
            login="ssa_stock_manager",
            groups="stock.group_stock_manager,stock.group_production_lot,"
            "product.group_product_manager",
        )
        with Form(self.env["product.template"].with_user(manager)) as product_form:
            product_form.name = "Access Serial Product"
            product_form.is_storable = True
            product_form.tracking = "serial"
            product_form.serial_generator_id = self.generator
            product_form.default_code = "ASP"
        template = product_form.record
        self.assertEqual(template.lot_sequence_id, self.generator.sequence_id)
        self.assertEqual(template.serial_preview, "AC-ASP-0001")

    def test_stock_user_receives_and_delivers(self):
        receipt = self._create_receipt(2, partner_id=self.vendor.id)
        Form(receipt.with_user(self.stock_user))
        self._receive(receipt, self.stock_user)
        with Form(
            self.env["stock.picking"].with_user(self.stock_user)
        ) as delivery_form:
            delivery_form.picking_type_id = self.warehouse.out_type_id
            delivery_form.partner_id = self.customer
            with delivery_form.move_ids.new() as move:
                move.product_id = self.serial_product
                move.product_uom_qty = 2
        delivery = delivery_form.record.with_user(self.stock_user)
        delivery.action_confirm()
        delivery.action_assign()
        self.assertEqual(len(delivery.move_line_ids.lot_id), 2)
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")

    def test_stock_user_uses_the_generate_dialog(self):
        receipt = self._create_receipt(3)
        move = receipt.move_ids.with_user(self.stock_user)
        # The dialog's "New" button, with the context the web client gives.
        first = (
            self.serial_product.lot_sequence_id.with_user(self.stock_user)
            .with_context(serial_product_id=self.serial_product.id)
            .next_by_id()
        )
        self.assertEqual(first, "AC-ASC-0001")
        # As the web client calls it: a model method, no record ids.
        vals_list = move.browse().action_generate_lot_line_vals(
            {
                "default_product_id": self.serial_product.id,
                "default_location_dest_id": self.stock_location.id,
                "default_location_id": move.location_id.id,
                "default_picking_type_id": receipt.picking_type_id.id,
                "default_tracking": "serial",
                "default_quantity": 3,
            },
            "generate",
            first,
            3,
            "",
        )
        self.assertEqual(
            [vals["lot_name"] for vals in vals_list],
            ["AC-ASC-0001", "AC-ASC-0002", "AC-ASC-0003"],
        )

    def test_mrp_user_creates_and_produces_an_order(self):
        component = self.plain_product
        self.env["stock.quant"]._update_available_quantity(
            component, self.stock_location, 10
        )
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.serial_product.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                ],
            }
        )
        with Form(
            self.env["mrp.production"].with_user(self.mrp_user)
        ) as production_form:
            production_form.product_id = self.serial_product
            production_form.product_qty = 1
        production = production_form.record.with_user(self.mrp_user)
        production.action_confirm()
        production.action_generate_serial()
        self.assertEqual(production.lot_producing_ids.name, "AC-ASC-0001")
        production.button_mark_done()
        self.assertEqual(production.state, "done")

    def test_accountant_reads_the_register(self):
        register = self.env["stock.serial.allocation"].with_user(self.accountant)
        register.search_read([], ["name", "product_id", "date", "source"])
        self.env["stock.lot"].with_user(self.accountant).search_read(
            [], ["name", "serial_allocation_id"]
        )
        menu = self.env.ref(
            "stock_serial_allocation.menu_serial_allocations_accounting"
        )
        visible = self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_user_of_another_company_receives(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_2.id)], limit=1
        )
        receipt = self._create_receipt(1, warehouse)
        Form(receipt.with_user(self.stock_user_2))
        self._receive(receipt, self.stock_user_2)
        Form(self.serial_product.product_tmpl_id.with_user(self.stock_user_2))


@tagged("post_install", "-at_install")
class TestPortalAccess(HttpCase, AccessMatrixCommon):
    def test_portal_vendor_opens_his_order(self):
        portal = new_test_user(self.env, login="ssa_portal", groups="base.group_portal")
        order = self.env["purchase.order"].create(
            {
                "partner_id": portal.partner_id.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.serial_product.id, "product_qty": 1}
                    )
                ],
            }
        )
        order.button_confirm()
        self.authenticate("ssa_portal", "ssa_portal")
        response = self.url_open("/my/purchase/%s" % order.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)

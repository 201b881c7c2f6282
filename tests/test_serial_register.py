# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user

from .receipt_common import ReceiptAllocationCommon


class TestSerialRegister(ReceiptAllocationCommon):
    """The audit register: written by the service only, voided with a reason
    that stays visible, readable by accountants, one company at a time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_purchase([(cls.laptop, 3)])
        cls.receipt = cls.order.picking_ids
        cls.allocation = cls.env["stock.serial.allocator"]._allocate(
            [cls._class_request(cls.receipt.move_ids)], "purchase"
        )
        cls.lots = cls.allocation.lot_ids
        cls.stock_user = new_test_user(
            cls.env, login="serial_stock_user", groups="stock.group_stock_user"
        )
        cls.stock_manager = new_test_user(
            cls.env, login="serial_stock_manager", groups="stock.group_stock_manager"
        )
        cls.accountant = new_test_user(
            cls.env,
            login="serial_accountant",
            groups="account.group_account_readonly,base.group_allow_export",
        )

    @classmethod
    def _class_request(cls, move):
        from ..models.stock_serial_allocator import SerialRequest  # noqa: PLC0415

        return SerialRequest(
            move.product_id,
            move.serial_to_allocate_qty,
            move,
            **move._get_serial_request_values(),
        )

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    def test_register_entry(self):
        allocation = self.allocation
        self.assertRegex(allocation.name, r"^SA/\d{4}/\d{5}$")
        self.assertRecordValues(
            allocation,
            [
                {
                    "source": "purchase",
                    "method": "generate",
                    "state": "done",
                    "count": 3,
                    "first_serial": "RC-00001",
                    "last_serial": "RC-00003",
                    "product_id": self.laptop.id,
                    "generator_id": self.generator.id,
                    "partner_id": self.vendor.id,
                    "purchase_id": self.order.id,
                    "picking_id": self.receipt.id,
                    "user_id": self.env.user.id,
                    "company_id": self.company.id,
                    "voided_count": 0,
                }
            ],
        )
        self.assertEqual(allocation.document_ref, self.receipt)
        self.assertEqual(allocation.display_name, allocation.name)

    def test_lot_shows_its_allocation(self):
        lot = self.lots[0]
        self.assertRecordValues(
            lot,
            [
                {
                    "serial_allocation_id": self.allocation.id,
                    "serial_source": "purchase",
                    "serial_allocation_date": self.allocation.date,
                    "serial_vendor_id": self.vendor.id,
                    "serial_purchase_id": self.order.id,
                    "serial_voided": False,
                }
            ],
        )
        arch = self.env["stock.lot"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        for field in (
            "serial_allocation_id",
            "serial_source",
            "serial_allocation_date",
            "serial_vendor_id",
            "serial_purchase_id",
            "serial_void_reason",
        ):
            self.assertIn('name="%s"' % field, arch)
        form = Form(lot)
        self.assertEqual(form.serial_allocation_id, self.allocation)
        self.assertEqual(form.serial_vendor_id, self.vendor)
        self.assertEqual(form.serial_purchase_id, self.order)

    # ------------------------------------------------------------------
    # Protections
    # ------------------------------------------------------------------
    def test_create_refused_outside_the_service(self):
        vals = {
            "source": "manual",
            "method": "enter",
            "product_id": self.laptop.id,
            "count": 1,
        }
        for env in (self.env, self.env(su=True), self.env(user=self.stock_manager)):
            with self.subTest(user=env.user.login, su=env.su):
                with self.assertRaisesRegex(
                    UserError,
                    "Serial allocations are recorded by the allocation wizards only.",
                ):
                    env["stock.serial.allocation"].create(vals)
        with self.assertRaises(UserError):
            self.allocation.copy()
        # Nor can a lot be linked to the register by hand.
        with self.assertRaisesRegex(UserError, "through the allocation wizards only"):
            self.Lot.create(
                {
                    "product_id": self.laptop.id,
                    "name": "FORGED",
                    "serial_allocation_id": self.allocation.id,
                }
            )

    def test_write_refused_outside_the_service(self):
        for env in (self.env, self.env(su=True), self.env(user=self.stock_manager)):
            allocation = self.allocation.with_env(env)
            for vals, field in (
                ({"count": 99}, "count"),
                ({"first_serial": "X"}, "first_serial"),
                ({"state": "voided"}, "state"),
                ({"void_reason": "oops"}, "void_reason"),
                ({"partner_id": self.vendor_2.id}, "partner_id"),
            ):
                with self.subTest(user=env.user.login, su=env.su, field=field):
                    with self.assertRaisesRegex(
                        UserError, r"cannot be edited \(%s\)" % field
                    ):
                        allocation.write(vals)
        self.assertEqual(self.allocation.count, 3)
        # The lots' register facts neither.
        for vals in (
            {"serial_allocation_id": False},
            {"serial_voided": True},
            {"serial_vendor_id": self.vendor_2.id},
        ):
            with self.subTest(lot_vals=vals):
                with self.assertRaisesRegex(UserError, "register facts of a serial"):
                    self.lots[0].sudo().write(vals)
        # Other lot fields stay editable; the chatter stays open.
        self.lots[0].with_user(self.stock_user).note = "<p>Scratched box</p>"
        self.allocation.with_user(self.stock_user).message_post(
            body="Checked with the vendor"
        )
        self.assertIn("Checked with the vendor", self.allocation.message_ids[0].body)

    def test_unlink_refused(self):
        for env in (self.env, self.env(su=True)):
            with self.subTest(su=env.su):
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    self.allocation.with_env(env).unlink()
                with self.assertRaisesRegex(
                    UserError, "Serials of the register cannot be deleted"
                ):
                    self.lots.with_env(env).unlink()
        self.assertTrue(self.allocation.exists())
        self.assertEqual(len(self.lots.exists()), 3)

    def test_views_cannot_edit(self):
        views = self.Allocation.get_views([(False, "list"), (False, "form")])["views"]
        self.assertIn('create="false"', views["list"]["arch"])
        self.assertIn('delete="false"', views["list"]["arch"])
        self.assertIn('edit="false"', views["form"]["arch"])
        action = self.env.ref("stock_serial_allocation.action_stock_serial_allocation")
        self.assertEqual(action.view_mode, "list,form,pivot,graph")
        for xmlid in ("menu_serial_register", "menu_serial_allocations"):
            menu = self.env.ref("stock_serial_allocation.%s" % xmlid)
            self.assertEqual(
                menu.parent_id, self.env.ref("stock.menu_warehouse_report")
            )

    # ------------------------------------------------------------------
    # Void
    # ------------------------------------------------------------------
    def test_void_with_a_reason_stays_visible(self):
        with self.assertRaisesRegex(AccessError, "Only serial allocation managers"):
            self.allocation.with_user(self.stock_user).action_void("wrong labels")
        with self.assertRaisesRegex(UserError, "Give a reason"):
            self.allocation.with_user(self.stock_manager).action_void("   ")
        wizard = (
            self.env["stock.serial.allocation.void"]
            .with_user(self.stock_manager)
            .with_context(
                active_ids=self.allocation.ids, active_model="stock.serial.allocation"
            )
            .create({"reason": "Vendor shipped another model"})
        )
        wizard.action_void()
        self.assertRecordValues(
            self.allocation,
            [
                {
                    "state": "voided",
                    "voided_count": 3,
                    "void_reason": "Vendor shipped another model",
                }
            ],
        )
        self.assertTrue(all(self.lots.mapped("serial_voided")))
        self.assertEqual(
            set(self.lots.mapped("serial_void_reason")),
            {"Vendor shipped another model"},
        )
        # Still in the register, with its reason, for everybody.
        self.assertEqual(
            self.Allocation.with_user(self.stock_user).search(
                [("state", "=", "voided")]
            ),
            self.allocation,
        )
        self.assertEqual(
            self.Lot.with_user(self.stock_user).search(
                [("serial_voided", "=", True), ("id", "in", self.lots.ids)]
            ),
            self.lots,
        )
        self.assertTrue(
            any(
                "Vendor shipped another model" in (m.body or "")
                for m in self.allocation.message_ids
            )
        )
        # Voiding again changes nothing; the serials are never reissued.
        self.allocation.with_user(self.stock_manager).action_void("again")
        self.assertEqual(self.allocation.void_reason, "Vendor shipped another model")
        self.assertEqual(self.generator.number_next, 4)

    def test_void_keeps_received_serials(self):
        """Serials that received stock are facts: only the others are voided."""
        self.receipt.move_ids.move_line_ids.sorted("id")[:1].picked = True
        Form.from_action(
            self.env, self.receipt.button_validate()
        ).save().process_cancel_backorder()
        # The two not received were voided with the receipt's own reason.
        received = self.lots.filtered("quant_ids")
        self.assertEqual(len(received), 1)
        self.assertEqual(self.allocation.voided_count, 2)
        self.allocation.with_user(self.stock_manager).action_void("Audit")
        self.assertFalse(received.serial_voided)
        self.assertEqual(self.allocation.state, "done")
        self.assertEqual(self.allocation.voided_count, 2)

    # ------------------------------------------------------------------
    # Accountants
    # ------------------------------------------------------------------
    def test_accountant_reads_the_register(self):
        accountant_env = self.env(user=self.accountant)
        allocation = self.allocation.with_env(accountant_env)
        # The form as the web client reads it (links, lots, chatter).
        form = Form(allocation)
        self.assertEqual(form.name, self.allocation.name)
        self.assertEqual(form.purchase_id, self.order)
        self.assertEqual(form.picking_id, self.receipt)
        self.assertEqual(len(form.lot_ids), 3)
        # The list, pivot and graph views, and Odoo's export.
        Allocation = accountant_env["stock.serial.allocation"]
        views = Allocation.get_views(
            [
                (False, "list"),
                (False, "form"),
                (False, "pivot"),
                (False, "graph"),
                (False, "search"),
            ]
        )
        self.assertEqual(
            set(views["views"]), {"list", "form", "pivot", "graph", "search"}
        )
        records = Allocation.web_search_read(
            [("id", "=", self.allocation.id)],
            {
                "name": {},
                "date": {},
                "user_id": {"fields": {"display_name": {}}},
                "source": {},
                "method": {},
                "document_ref": {"fields": {"display_name": {}}},
                "partner_id": {"fields": {"display_name": {}}},
                "product_id": {"fields": {"display_name": {}}},
                "generator_id": {"fields": {"display_name": {}}},
                "count": {},
                "first_serial": {},
                "last_serial": {},
                "state": {},
            },
        )["records"]
        self.assertEqual(records[0]["generator_id"]["display_name"], "Receipts")
        self.assertEqual(records[0]["document_ref"]["display_name"], self.receipt.name)
        groups = Allocation.formatted_read_group(
            [("id", "=", self.allocation.id)],
            ["source", "product_id", "date:month"],
            ["count:sum"],
        )
        self.assertEqual(groups[0]["count:sum"], 3)
        exported = allocation.export_data(
            ["name", "product_id/name", "lot_ids/name", "state"]
        )
        self.assertEqual(
            exported["datas"][0][:3],
            [self.allocation.name, "Laptop Pro 14", "RC-00001"],
        )
        # The lots of the Serial Register.
        lots = accountant_env["stock.lot"].search(
            [("serial_allocation_id", "=", self.allocation.id)]
        )
        self.assertEqual(lots, self.lots)
        lots.read(
            [
                "name",
                "serial_source",
                "serial_vendor_id",
                "serial_purchase_id",
                "product_qty",
            ]
        )
        register_list = self.env.ref(
            "stock_serial_allocation.view_stock_lot_serial_register_list"
        )
        self.assertTrue(
            accountant_env["stock.lot"].get_views([(register_list.id, "list")])[
                "views"
            ]["list"]
        )
        # The manufacturing orders the register links to.
        production = self.env["mrp.production"].create(
            {"product_id": self.laptop.id, "product_qty": 1}
        )
        self.assertEqual(
            production.with_env(accountant_env).read(["display_name"])[0][
                "display_name"
            ],
            production.name,
        )
        # Menu under Accounting > Reporting.
        menu = self.env.ref(
            "stock_serial_allocation.menu_serial_allocations_accounting"
        )
        self.assertIn(menu.id, accountant_env["ir.ui.menu"]._visible_menu_ids())
        # Read only.
        with self.assertRaises(AccessError):
            allocation.write({"message_main_attachment_id": False})
        with self.assertRaises(AccessError):
            lots.with_env(accountant_env).write({"note": "<p>x</p>"})
        with self.assertRaises(AccessError):
            allocation.action_void("not mine")
        self.assertEqual(self.allocation.state, "done")

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------
    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Serial Company B"})
        warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)]
        )
        self.env.user.company_ids |= company_b
        env_b = self.env(
            context=dict(self.env.context, allowed_company_ids=[company_b.id])
        )
        receipt_b = env_b["stock.picking"].create(
            {
                "picking_type_id": warehouse_b.in_type_id.id,
                "partner_id": self.vendor.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": warehouse_b.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.laptop.id,
                            "product_uom_qty": 2,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": warehouse_b.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        receipt_b.action_confirm()
        allocation_b = env_b["stock.serial.allocator"]._allocate(
            [self._class_request(receipt_b.move_ids)], "purchase"
        )
        self.assertEqual(allocation_b.company_id, company_b)
        self.assertEqual(set(allocation_b.lot_ids.mapped("company_id")), {company_b})
        # A user of company A only sees company A's register.
        user_a = new_test_user(
            self.env,
            login="serial_user_a",
            groups="stock.group_stock_user,account.group_account_readonly",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        visible = self.env["stock.serial.allocation"].with_user(user_a).search([])
        self.assertIn(self.allocation, visible)
        self.assertNotIn(allocation_b, visible)
        with self.assertRaises(AccessError):
            allocation_b.with_user(user_a).read(["name"])
        # Both companies for a user of both.
        both = (
            self.env["stock.serial.allocation"]
            .with_context(allowed_company_ids=[self.company.id, company_b.id])
            .search([("id", "in", (self.allocation | allocation_b).ids)])
        )
        self.assertEqual(len(both), 2)

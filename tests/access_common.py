# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user

from .common import SerialAllocationCase


class AccessMatrixCommon(SerialAllocationCase):
    """Users of every kind that Odoo has without this module, none of them a
    serial allocation user unless Odoo's own groups make them one, and a serial
    product whose generator renders product codes: their usual flows must work
    as they do without the module.

    Not on Odoo's stock test base (``SerialAllocationCommon``): that base
    makes every internal user a user of lots and serial numbers (and of
    several companies), so the receipt form shows its lot fields to the
    purchase user, who may not read lots: opening it raises an AccessError on
    stock.lot, and the users would no longer be the ones Odoo has.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls._create_generator(
            name="Access", prefix="AC-%(product_code)s-", padding=4
        )
        cls.serial_product = cls._create_serial_product(
            "Access Scanner", cls.generator, default_code="ASC"
        )
        cls.plain_product = cls.env["product.product"].create(
            {"name": "Access Cable", "type": "consu", "is_storable": True}
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Access Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "Access Customer"})
        cls.company_2 = cls.env["res.company"].create({"name": "Access Company 2"})

        def user(login, groups, **vals):
            return new_test_user(cls.env, login=login, groups=",".join(groups), **vals)

        cls.purchase_user = user(
            "ssa_purchase", ["base.group_user", "purchase.group_purchase_user"]
        )
        cls.product_manager = user(
            "ssa_product_manager",
            ["purchase.group_purchase_user", "product.group_product_manager"],
        )
        cls.stock_user = user("ssa_stock", ["stock.group_stock_user"])
        cls.mrp_user = user("ssa_mrp", ["mrp.group_mrp_user"])
        cls.accountant = user("ssa_accountant", ["account.group_account_manager"])
        cls.stock_user_2 = user(
            "ssa_stock_c2",
            ["stock.group_stock_user"],
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

    def _create_receipt(self, quantity, warehouse=None, **vals):
        """A confirmed receipt of `quantity` serial products into the stock of
        `warehouse` (the main one by default)."""
        warehouse = warehouse or self.warehouse
        receipt = (
            self.env["stock.picking"]
            .with_company(warehouse.company_id)
            .create(
                dict(
                    vals,
                    picking_type_id=warehouse.in_type_id.id,
                    move_ids=[
                        Command.create(
                            {
                                "product_id": self.serial_product.id,
                                "product_uom_qty": quantity,
                                "location_id": self.env.ref(
                                    "stock.stock_location_suppliers"
                                ).id,
                                "location_dest_id": warehouse.lot_stock_id.id,
                            }
                        )
                    ],
                )
            )
        )
        receipt.action_confirm()
        return receipt

    def _receive(self, picking, user):
        """Validate `picking` as `user`, typing one lot name per serial unit
        as a user does in the detailed operations."""
        picking = picking.with_user(user)
        for move in picking.move_ids:
            if move.has_tracking == "serial":
                move.move_line_ids.unlink()
                move.move_line_ids = [
                    Command.create(
                        dict(
                            move._prepare_move_line_vals(),
                            lot_name="%s-%s" % (picking.name, index),
                            quantity=1,
                        )
                    )
                    for index in range(int(move.product_uom_qty))
                ]
            else:
                move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

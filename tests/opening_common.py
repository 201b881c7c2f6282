# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.fields import Domain

from .common import SerialAllocationCommon


class OpeningStockCommon(SerialAllocationCommon):
    """Records and helpers of the opening stock tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls._create_generator(prefix="OP-", padding=5)
        cls.product = cls._create_serial_product(
            "Opening Scanner", cls.generator, default_code="OPSC", standard_price=50
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Legacy Vendor"})
        cls.shelf = cls.env["stock.location"].create(
            {
                "name": "Shelf 9",
                "location_id": cls.stock_location.id,
                "usage": "internal",
            }
        )
        # An operation type that does not ask for serials at validation
        # ("allocate shortly after receipt").
        cls.receipt_type_no_lots = cls.warehouse.in_type_id.copy(
            {
                "name": "Receipts Without Serials",
                "sequence_code": "INNS",
                "use_create_lots": False,
                "use_existing_lots": False,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _put_untracked(cls, product, quantity, location=None):
        """Stock without serial, entered by an inventory adjustment."""
        quant = (
            cls.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": (location or cls.stock_location).id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        return quant

    @classmethod
    def _receive_without_serials(cls, product, quantity, price):
        """Buy `quantity` units and receive them without serials."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": cls.vendor.id,
                "picking_type_id": cls.receipt_type_no_lots.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": quantity,
                            "price_unit": price,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.button_validate()
        return order, picking

    def _untracked_quant(self, product, location=None):
        Quant = self.env["stock.quant"]
        return Quant.search(
            Quant._get_serial_pending_domain()
            & Domain(
                [
                    ("product_id", "=", product.id),
                    ("location_id", "=", (location or self.stock_location).id),
                ]
            )
        )

    def _serial_quants(self, product, location=None):
        """The quants with a serial of `product` at `location` (WH/Stock)."""
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", (location or self.stock_location).id),
                ("lot_id", "!=", False),
            ]
        )

    def _wizard(self, action):
        self.assertEqual(action["res_model"], "stock.serial.allocation.wizard")
        return self.env["stock.serial.allocation.wizard"].browse(action["res_id"])

    def _value(self, product):
        product.invalidate_recordset(["total_value", "qty_available"])
        return product.total_value

    def _counts(self):
        """How many records of each kind an allocation may write."""
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
            for model in (
                "stock.lot",
                "stock.serial.allocation",
                "stock.quant",
                "stock.move",
                "stock.move.line",
                "product.value",
            )
        }

    def _allocation_moves(self, allocation):
        return self.env["stock.move"].search(
            [("inventory_name", "like", allocation.name)], order="id"
        )

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form

from .receipt_common import ReceiptFlowCommon

# The status update's statement (one per validation).
STATUS_UPDATE = "UPDATE stock_lot lot SET serial_status = new.status"


class SerialStatusMixin:
    def _status(self, lots):
        """{serial: (status, holder)} of `lots`, read from the database."""
        lots.invalidate_recordset()
        return {lot.name: (lot.serial_status, lot.serial_partner_id) for lot in lots}

    def assertStatus(self, lots, status, holder=None):
        holder = holder or self.env["res.partner"]
        self.assertEqual(
            self._status(lots), {lot.name: (status, holder) for lot in lots}
        )

    def _move(self, lots, source, dest, partner=None, picking_type=None):
        """Move `lots` (one product) from `source` to `dest` and validate."""
        move = self.env["stock.move"].create(
            {
                "product_id": lots.product_id.id,
                "product_uom_qty": len(lots),
                "product_uom": lots.product_id.uom_id.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "partner_id": partner and partner.id,
                "picking_type_id": picking_type and picking_type.id,
            }
        )
        move._action_confirm()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": lots.product_id.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                }
            )
            for lot in lots
        ]
        move.picked = True
        move._action_done()
        self.assertEqual(move.state, "done")
        return move


class SerialLifecycleCommon(SerialStatusMixin, ReceiptFlowCommon):
    """The receipt of five laptops and three routers, a customer, a transit
    location, and deliveries and returns through Odoo's own wizards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Serial Customer"})
        cls.transit = cls.env["stock.location"].create(
            {"name": "Serial Transit", "usage": "transit"}
        )

    def _received_laptops(self):
        self._allocate_receipt(self.receipt, validate=True)
        return self.move_laptop.move_line_ids.lot_id.sorted("name")

    def _lifecycle_snapshot(self, lots):
        """What a refused delivery or return must leave as it was."""
        self.env.invalidate_all()
        return (
            self._status(lots),
            self.env["stock.quant"].search_read(
                [("lot_id", "in", lots.ids)], ["location_id", "quantity"]
            ),
            self.env["stock.move.line"].search_count([("state", "=", "done")]),
            self.Lot.search_count([]),
        )

    def _create_delivery(self, product, quantity, customer=None):
        """A confirmed delivery from WH/Stock of `quantity` `product` to
        `customer`."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": (customer or self.customer).id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _deliver(self, lots, customer=None, unknown=(), product=None, shelf=None):
        """A delivery from WH/Stock of `lots` (taken from its `shelf`, and of
        the serial names `unknown`, typed, of `product`) to `customer`,
        validated."""
        product = product or lots.product_id
        picking = self._create_delivery(product, len(lots) + len(unknown), customer)
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.move_line_ids = [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": (shelf or self.stock_location).id,
                    "location_dest_id": self.customer_location.id,
                }
            )
            for lot in lots
        ] + [
            Command.create(
                {
                    "product_id": product.id,
                    "lot_name": name,
                    "quantity": 1,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.customer_location.id,
                }
            )
            for name in unknown
        ]
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _create_return(self, picking, product, quantity):
        """The return of `quantity` units of `product` of `picking`, made by
        Odoo's return wizard, not validated yet."""
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
        ).save()
        wizard.product_return_moves.filtered(
            lambda line: line.product_id != product
        ).unlink()
        wizard.product_return_moves.quantity = quantity
        action = wizard.action_create_returns()
        return self.env["stock.picking"].browse(action["res_id"])

    def _set_lines(self, picking, lots=(), unknown=()):
        """Make `lots` (and the typed serial names `unknown`) the picked
        detailed operations of the one move of `picking`."""
        move = picking.move_ids
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": move.product_id.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
            )
            for lot in lots
        ] + [
            Command.create(
                {
                    "product_id": move.product_id.id,
                    "lot_name": name,
                    "quantity": 1,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
            )
            for name in unknown
        ]
        move.picked = True

    def _return(self, picking, lots):
        """Return `lots` of `picking` through Odoo's return wizard."""
        return_picking = self._create_return(picking, lots.product_id, len(lots))
        self._set_lines(return_picking, lots)
        return_picking.button_validate()
        self.assertEqual(return_picking.state, "done")
        return return_picking

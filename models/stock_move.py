# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    serial_allocated_qty = fields.Float(
        "Allocated",
        compute="_compute_serial_allocation_qty",
        store=True,
        digits="Product Unit",
        help="Units of this move that already carry a serial number.",
    )
    serial_to_allocate_qty = fields.Float(
        "To Allocate",
        compute="_compute_serial_allocation_qty",
        store=True,
        digits="Product Unit",
        help="Units of this move of a serial product that still lack a serial.",
    )
    serial_allocation_ids = fields.One2many(
        "stock.serial.allocation", "move_id", string="Serial Allocations", readonly=True
    )
    serial_purchase_id = fields.Many2one(
        related="purchase_line_id.order_id", string="Purchase Order"
    )
    serial_vendor_id = fields.Many2one(related="picking_id.partner_id", string="Vendor")

    @api.depends(
        "product_id.tracking",
        "product_qty",
        "state",
        "move_line_ids.lot_id",
        "move_line_ids.lot_name",
        "move_line_ids.quantity",
    )
    def _compute_serial_allocation_qty(self):
        for move in self:
            if move.product_id.tracking != "serial" or move.state in ("draft", "cancel"):
                move.serial_allocated_qty = move.serial_to_allocate_qty = 0.0
                continue
            allocated = sum(
                line.quantity_product_uom
                for line in move.move_line_ids
                if line.lot_id or line.lot_name
            )
            move.serial_allocated_qty = allocated
            move.serial_to_allocate_qty = (
                max(move.product_qty - allocated, 0.0) if move.state != "done" else 0.0
            )

    # ------------------------------------------------------------------
    # Allocation service hooks (receipts)
    # ------------------------------------------------------------------
    def _get_serial_request_values(self):
        """Where the serials go and which documents the register links."""
        self.ensure_one()
        return {
            "location": self.location_dest_id,
            "document": self.picking_id or self,
            "vendor": self.picking_id.partner_id or self.purchase_line_id.order_id.partner_id,
            "label": "%s - %s" % (self.picking_id.name or self.reference, self.product_id.display_name),
        }

    def _get_serial_document_name(self):
        self.ensure_one()
        return self.picking_id.name or self.reference

    def _get_serial_quantity_todo(self, product):
        self.ensure_one()
        return self.serial_to_allocate_qty

    def _action_validate_after_allocation(self):
        """Validate the receipts just allocated (the backorder wizard may open)."""
        return self.picking_id.button_validate()

    def _prepare_serial_allocation_vals(self, request):
        self.ensure_one()
        return {
            "move_id": self.id,
            "picking_id": self.picking_id.id,
            "purchase_id": self.purchase_line_id.order_id.id,
        }

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Give each move one detailed operation per serial (put-away applied),
        replacing the lines that carried no serial."""
        moves = self.browse([move.id for move, _lots, _request in items])
        moves.move_line_ids.filtered(
            lambda line: not line.lot_id and not line.lot_name and not line.picked
        ).unlink()
        vals_list = []
        for move, lots, _request in items:
            location_dest = move.location_dest_id._get_putaway_strategy(move.product_id, 1)
            base_vals = move._prepare_move_line_vals()
            base_vals.update(
                location_dest_id=location_dest.id,
                product_uom_id=move.product_id.uom_id.id,
                quantity=1,
            )
            vals_list += [dict(base_vals, lot_id=lot.id) for lot in lots]
        self.env["stock.move.line"].create(vals_list)
        return moves

    def _action_generate_allocation_wizard(self):
        """Open the allocation wizard with one line per move."""
        return self.env["stock.serial.allocation.wizard"]._action_open(
            "purchase", [{"move_id": move.id} for move in self]
        )

    def action_allocate_serials(self):
        moves = self.filtered(
            lambda m: m.serial_to_allocate_qty > 0 and m.state not in ("draft", "done", "cancel")
        )
        if not moves:
            raise UserError(self.env._("None of the selected moves lacks serials."))
        return moves._action_generate_allocation_wizard()

    def _action_cancel(self):
        allocations = self.serial_allocation_ids.filtered(lambda a: a.state == "done")
        res = super()._action_cancel()
        cancelled = self.filtered(lambda move: move.state == "cancel")
        for allocation in allocations.filtered(lambda a: a.move_id in cancelled):
            lots = allocation.lot_ids.filtered(lambda lot: not lot.sudo().quant_ids)
            allocation._void_lots(
                lots,
                self.env._(
                    "%(document)s was cancelled before receiving these serials.",
                    document=allocation.picking_id.name or allocation.move_id.reference,
                ),
            )
        return res

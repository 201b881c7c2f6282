# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    show_allocate_serials = fields.Boolean(compute="_compute_show_allocate_serials")
    serial_allocation_ids = fields.One2many(
        "stock.serial.allocation",
        "picking_id",
        string="Serial Allocations",
        readonly=True,
    )
    serial_allocation_count = fields.Integer(compute="_compute_show_allocate_serials")
    show_scan_serials = fields.Boolean(compute="_compute_show_scan_serials")

    @api.depends("move_ids.serial_to_allocate_qty", "state", "picking_type_code")
    def _compute_show_allocate_serials(self):
        for picking in self:
            picking.show_allocate_serials = (
                picking.picking_type_code == "incoming"
                and picking.state not in ("draft", "done", "cancel")
                and any(move.serial_to_allocate_qty > 0 for move in picking.move_ids)
            )
            picking.serial_allocation_count = len(picking.serial_allocation_ids)

    @api.depends("move_ids.state", "move_ids.has_tracking", "move_ids.location_id")
    def _compute_show_scan_serials(self):
        for picking in self:
            picking.show_scan_serials = bool(
                picking.move_ids._get_scannable_serial_moves()
            )

    def action_scan_serials(self):
        """Scan or paste the serials of a delivery or a return in one step."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scan Serials"),
            "res_model": "stock.serial.scan",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def action_allocate_serials(self):
        """Open the allocation wizard on the moves still lacking serials."""
        moves = self.move_ids.filtered(
            lambda m: (
                m.serial_to_allocate_qty > 0
                and m.state not in ("draft", "done", "cancel")
            )
        )
        if not moves:
            raise UserError(
                self.env._("No serial product of these receipts lacks serials.")
            )
        return moves._action_generate_allocation_wizard()

    def action_print_serial_labels(self):
        return self.serial_allocation_ids.action_print_labels()

    def action_view_serial_allocations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_stock_serial_allocation"
        )
        action["domain"] = [("picking_id", "in", self.ids)]
        action["context"] = {}
        return action

    def _sanity_check(self, separate_pickings=True):
        # The first reads of a validation: its detailed operations, in one
        # query rather than 1,000 at a time (each step of which scans the
        # lines created in this transaction).
        self.move_line_ids.fetch()
        return super()._sanity_check(separate_pickings=separate_pickings)

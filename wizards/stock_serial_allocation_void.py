# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockSerialAllocationVoid(models.TransientModel):
    _name = "stock.serial.allocation.void"
    _description = "Void Serial Allocation"

    allocation_ids = fields.Many2many(
        "stock.serial.allocation",
        default=lambda self: self.env.context.get("active_ids"),
        required=True,
    )
    reason = fields.Text(required=True)

    def action_void(self):
        self.allocation_ids.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}

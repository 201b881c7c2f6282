# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockSerialBlockRelease(models.TransientModel):
    _name = "stock.serial.block.release"
    _description = "Release Serial Block"

    block_ids = fields.Many2many(
        "stock.serial.block",
        default=lambda self: self.env.context.get("active_ids"),
        required=True,
    )
    reason = fields.Text(required=True)

    def action_release(self):
        self.block_ids.action_release(self.reason)
        return {"type": "ir.actions.act_window_close"}

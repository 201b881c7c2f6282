# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .stock_serial_allocation import SERVICE_KEY


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def default_get(self, fields):
        # The allocation service creates lines by the thousand: only the fields
        # that can have a default are looked up.
        if self.env.context.get(SERVICE_KEY):
            fields = self.env["stock.serial.allocation"]._fields_with_default(
                self, fields
            )
            if not fields:
                return {}
        return super().default_get(fields)

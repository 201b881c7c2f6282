# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model
    def default_get(self, fields):
        # The allocation service creates move lines by the thousand.
        fields = self.env["stock.serial.allocator"]._get_default_fields(self, fields)
        return super().default_get(fields) if fields else {}

    def _get_lot_sequence(self):
        # Naming hook of OCA's stock_picking_auto_create_lot, which draws from
        # Odoo's global serial sequence: a product with a generator takes its
        # serials from that generator instead.
        self.ensure_one()
        product = self.product_id
        generator = product.product_tmpl_id._get_serial_generator()
        if product.tracking == "serial" and generator:
            source = "purchase" if self.picking_code == "incoming" else "manual"
            return generator._next_serials(
                1, product=product, location=self.location_dest_id, source=source
            )[0]
        return super()._get_lot_sequence()

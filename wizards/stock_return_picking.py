# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _create_return(self):
        picking = super()._create_return()
        picking.move_ids._propose_returned_serials()
        return picking

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# As OCA's product_warranty (warranty, warranty_type on products).
WARRANTY_UNITS = [
    ("day", "Day(s)"),
    ("week", "Week(s)"),
    ("month", "Month(s)"),
    ("year", "Year(s)"),
]


class ProductCategory(models.Model):
    _inherit = "product.category"

    serial_code = fields.Char(
        help="Code rendered by the %(categ_code)s placeholder of serial generators.",
    )
    serial_generator_id = fields.Many2one(
        "stock.serial.generator",
        string="Default Serial Generator",
        help="Generator of this category's serial products that have none of "
        "their own.",
    )

    warranty = fields.Integer(
        "Warranty Duration",
        help="Customer warranty of the category's products, unless a product "
        "says otherwise.",
    )
    warranty_type = fields.Selection(
        WARRANTY_UNITS, string="Warranty Unit", default="month", required=True
    )

    def write(self, vals):
        res = super().write(vals)
        if "serial_generator_id" in vals:
            self.env["product.template"].search(
                [("categ_id", "child_of", self.ids), ("tracking", "=", "serial")]
            )._sync_lot_sequence()
        return res

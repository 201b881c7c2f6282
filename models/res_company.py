# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_uniqueness_scope = fields.Selection(
        [
            ("product", "Per Product"),
            ("company", "Across All Products of the Company"),
            ("global", "Across All Companies"),
        ],
        string="Serial Uniqueness",
        default="product",
        required=True,
        help="Where a serial number must be unique: per product (Odoo's default), "
        "across every product of the company, or across every company.",
    )
    serial_company_code = fields.Char(
        "Company Serial Code",
        help="Code rendered by the %(company_code)s placeholder of serial generators.",
    )
    serial_generator_id = fields.Many2one(
        "stock.serial.generator",
        string="Default Serial Generator",
        check_company=True,
        help="Generator of serial products that have none of their own or of "
        "their category.",
    )

    serial_delivery_check = fields.Boolean(
        "Check Serials on Deliveries and Returns",
        default=True,
        help="A delivery of a product with a serial generator is validated "
        "only with serials in stock at its source location and not delivered "
        "already; serials unknown to the database are refused instead of "
        "creating negative stock. A return from a customer takes back only "
        "serials delivered to that customer, a return to the vendor sends "
        "back only serials its receipt brought in.",
    )

    serial_components_per_unit = fields.Boolean(
        "Components per Unit",
        default=True,
        help="A manufacturing order of a product with a serial generator "
        "records which lot- or serial-tracked components went into each "
        "finished serial: a step before it is marked as done shares them out in "
        "order, to be edited line by line or from a list.",
    )

    serial_job_threshold = fields.Integer(
        "Background Jobs Above",
        default=20000,
        help="An allocation, usage report or migration import of more serials "
        "than this runs as a background job, with its progress shown and a "
        "notification when it is done; 0 runs everything in the user's request.",
    )

    def write(self, vals):
        scope = vals.get("serial_uniqueness_scope")
        if scope:
            self.env["stock.lot"]._check_scope_change(self, scope)
        res = super().write(vals)
        if scope and self.env.company in self:
            # Lots without company (shared products) take the current company's
            # scope, which no field dependency recomputes.
            self.env["stock.lot"].sudo().search(
                [("company_id", "=", False), ("serial_scope", "not in", [False, scope])]
            )._compute_serial_scope()
        if "serial_generator_id" in vals:
            self.env["product.template"].search(
                [("tracking", "=", "serial")]
            )._sync_lot_sequence()
        return res

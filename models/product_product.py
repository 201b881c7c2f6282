# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        # The template pointed lot_sequence_id at its generator before its
        # variants existed: drop the default the variants cached meanwhile.
        products.invalidate_recordset(["lot_sequence_id"])
        return products

    def action_allocate_opening_serials(self):
        """Open the opening stock wizard: one line per quant of these products
        holding stock without serial, or, when they have none, one initial
        stock entry line per product at the company's main stock location."""
        products = self.filtered(lambda product: product.tracking == "serial")
        if not products:
            raise UserError(self.env._("Only serial products can be given serials."))
        Quant = self.env["stock.quant"]
        quants = Quant.search(
            Quant._get_serial_pending_domain()
            & Domain(
                [
                    ("product_id", "in", products.ids),
                    ("company_id", "in", self.env.companies.ids),
                ]
            ),
            order="location_id, id",
        )
        if quants:
            return quants._action_generate_allocation_wizard()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return self.env["stock.serial.allocation.wizard"]._action_open(
            "opening",
            [
                {
                    "product_id": product.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "method": "generate"
                    if product.product_tmpl_id._get_serial_generator()
                    else "enter",
                }
                for product in products
            ],
        )

    def action_recompute_serial_warranty(self):
        # The template's form, shown for variants too, has the button.
        return self.product_tmpl_id.action_recompute_serial_warranty()

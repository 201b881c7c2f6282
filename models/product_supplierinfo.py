# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductSupplierinfo(models.Model):
    _inherit = "product.supplierinfo"

    # Field name and meaning of OCA's product_warranty.
    warranty_duration = fields.Float(
        "Vendor Warranty (Months)",
        digits=(16, 1),
        help="Months of warranty this vendor gives on the product, from its "
        "receipt: each serial received from the vendor keeps its vendor "
        "warranty end.",
    )

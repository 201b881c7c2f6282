# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_scope = fields.Selection(
        [
            ("product", "Per Product"),
            ("company", "Per Company"),
            ("global", "All Companies"),
        ],
        string="Uniqueness Scope",
        compute="_compute_serial_scope",
        store=True,
        index=True,
        help="Where this serial number must be unique (set for serial products only).",
    )

    serial_allocation_id = fields.Many2one(
        "stock.serial.allocation",
        string="Serial Allocation",
        readonly=True,
        index="btree_not_null",
        copy=False,
    )
    serial_source = fields.Selection(related="serial_allocation_id.source", string="Allocated For")
    serial_allocation_date = fields.Datetime(
        related="serial_allocation_id.date", string="Allocation Date"
    )
    serial_vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        readonly=True,
        index="btree_not_null",
        help="Vendor the serial came from, when known.",
    )
    serial_purchase_id = fields.Many2one(
        related="serial_allocation_id.purchase_id", string="Purchase Order"
    )
    serial_production_id = fields.Many2one(
        related="serial_allocation_id.production_id", string="Manufacturing Order"
    )
    serial_voided = fields.Boolean(
        "Voided",
        readonly=True,
        copy=False,
        help="The serial was allocated but its document was cancelled before it "
        "received stock. It is kept so it is never issued again.",
    )
    serial_void_reason = fields.Char("Void Reason", readonly=True, copy=False)

    # Enforced by PostgreSQL so that concurrent transactions cannot both win.
    _serial_product_uniq = models.UniqueIndex(
        "(product_id, name, COALESCE(company_id, 0)) WHERE serial_scope IS NOT NULL",
        "A serial number must be unique per product.",
    )
    _serial_company_uniq = models.UniqueIndex(
        "(COALESCE(company_id, 0), name) WHERE serial_scope IN ('company', 'global')",
        "A serial number must be unique across the products of the company.",
    )
    _serial_global_uniq = models.UniqueIndex(
        "(name) WHERE serial_scope = 'global'",
        "A serial number must be unique across all companies.",
    )

    @api.depends("product_id.tracking", "company_id.serial_uniqueness_scope")
    def _compute_serial_scope(self):
        for lot in self:
            if lot.product_id.tracking != "serial":
                lot.serial_scope = False
            else:
                company = lot.company_id or self.env.company
                lot.serial_scope = company.serial_uniqueness_scope

    @api.depends("product_id")
    def _compute_name(self):
        # Core draws from product.lot_sequence_id without telling which product:
        # give the generator its product so product codes can be rendered.
        for product, lots in self.grouped("product_id").items():
            super(StockLot, lots.with_context(serial_product_id=product.id))._compute_name()

    @api.model
    def _get_next_serial(self, company, product):
        generator = product.product_tmpl_id._get_serial_generator()
        if product.tracking == "serial" and generator:
            return generator._next_serials(1, product=product)[0]
        return super()._get_next_serial(company, product)

    @api.model
    def _get_serial_scope_domain(self, product, company, names):
        """Domain of the serials that `names` would clash with for `product`."""
        scope = company.serial_uniqueness_scope
        domain = [("name", "in", list(names))]
        if scope == "product":
            return domain + [
                ("product_id", "=", product.id),
                ("company_id", "in", [company.id, False]),
            ]
        domain += [("serial_scope", "!=", False)]
        if scope == "company":
            return domain + [("company_id", "in", [company.id, False])]
        return domain

    @api.model
    def _find_existing_serials(self, product, company, names):
        """Return the lots already holding any of `names` in the company's
        uniqueness scope (one query, across companies when the scope says so)."""
        if not names:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(self._get_serial_scope_domain(product, company, names))
        )

    @api.model
    def _check_scope_change(self, companies, scope):
        """Refuse a new uniqueness scope that existing serials already break."""
        if scope == "product":
            return
        groupby = ["name"] if scope == "global" else ["company_id", "name"]
        domain = [("product_id.tracking", "=", "serial")]
        if scope == "company":
            domain += [("company_id", "in", companies.ids)]
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(domain, groupby, ["__count"], having=[("__count", ">", 1)])
        )
        if groups:
            raise UserError(
                self.env._(
                    "The serial uniqueness cannot be changed: these serial numbers "
                    "are used more than once in that scope:\n%(lines)s",
                    lines="\n".join(
                        "- %s (%s times)" % (group[-2], group[-1]) for group in groups
                    ),
                )
            )

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .product_category import WARRANTY_UNITS

# Writing one of these may change which generator applies to a template.
GENERATOR_KEYS = {
    "serial_generator_id",
    "categ_id",
    "tracking",
    "is_serial_product",
    "company_id",
}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_serial_product = fields.Boolean(
        "Serial Product",
        compute="_compute_is_serial_product",
        inverse="_inverse_is_serial_product",
        search="_search_is_serial_product",
        help="Track each unit by a unique serial number (Odoo's serial tracking). "
        "Only serial products can be allocated serials.",
    )
    serial_generator_id = fields.Many2one(
        "stock.serial.generator",
        domain="['|', ('company_id', '=', False), "
        "('company_id', 'in', allowed_company_ids)]",
        help="Generator of this product's serials. When empty, the category's "
        "generator applies, else the company's default one.",
    )
    # Computed as superuser: every user who opens a product form (purchase,
    # sales, accounting) reads them, generators are readable by few.
    effective_serial_generator_id = fields.Many2one(
        "stock.serial.generator",
        string="Applied Serial Generator",
        compute="_compute_effective_serial_generator_id",
        compute_sudo=True,
        help="The generator that gives this product its serials.",
    )
    has_serial_generator = fields.Boolean(
        compute="_compute_effective_serial_generator_id", compute_sudo=True
    )
    serial_preview = fields.Char(
        "Next Serial Preview",
        compute="_compute_serial_preview",
        compute_sudo=True,
        help="The serial the next allocation will start with (no number is taken).",
    )

    # Field names and meanings of OCA's product_warranty.
    warranty = fields.Integer(
        "Warranty Duration",
        compute="_compute_warranty",
        store=True,
        readonly=False,
        precompute=True,
        help="Customer warranty of each serial, from the event chosen in "
        "Warranty Starts (the category's by default).",
    )
    warranty_type = fields.Selection(
        WARRANTY_UNITS,
        string="Warranty Unit",
        compute="_compute_warranty",
        store=True,
        readonly=False,
        precompute=True,
    )
    warranty_start = fields.Selection(
        [
            ("delivery", "At Delivery"),
            ("production", "At Production"),
            ("receipt", "At Receipt"),
        ],
        string="Warranty Starts",
        default="delivery",
        required=True,
        help="The done move that starts the customer warranty of a serial: its "
        "delivery to a customer, its production, or its receipt from a vendor.",
    )
    warranty_restart = fields.Boolean(
        "Restart Warranty at Each Delivery",
        help="A serial returned and delivered again starts a new warranty; "
        "otherwise its first warranty goes on.",
    )

    @api.depends("categ_id")
    def _compute_warranty(self):
        for template in self:
            template.warranty = template.categ_id.warranty
            template.warranty_type = template.categ_id.warranty_type or "month"

    def _get_warranty_end(self, start):
        """The end of a warranty of this product that starts on `start`."""
        self.ensure_one()
        return start + relativedelta(**{"%ss" % self.warranty_type: self.warranty})

    def action_recompute_serial_warranty(self):
        """Set the warranty end of the serials whose customer warranty has
        started again from their start and today's warranty period: one write
        per start day, one chatter note per product."""
        if not self.env.user.has_group("stock.group_stock_manager"):
            raise AccessError(
                self.env._("Only inventory administrators recompute warranty ends.")
            )
        lots = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("product_id.product_tmpl_id", "in", self.ids),
                    ("serial_warranty_start", "!=", False),
                ]
            )
        )
        lots_by_template = lots.grouped(lambda lot: lot.product_id.product_tmpl_id)
        for template in self:
            template_lots = lots_by_template.get(template, lots.browse())
            changed = 0
            if template.warranty:
                for start, group in template_lots.grouped(
                    "serial_warranty_start"
                ).items():
                    end = template._get_warranty_end(start)
                    stale = group.filtered(
                        lambda lot, e=end: lot.serial_warranty_end != e
                    )
                    stale.write({"serial_warranty_end": end})
                    changed += len(stale)
            else:
                stale = template_lots.filtered("serial_warranty_end")
                stale.write({"serial_warranty_end": False})
                changed = len(stale)
            template.message_post(
                body=self.env._(
                    "Warranty ends recomputed from a warranty of %(period)s: "
                    "%(changed)s of %(started)s started serials changed.",
                    period=template._get_warranty_label(),
                    changed=changed,
                    started=len(template_lots),
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Warranty ends recomputed; see the chatter."),
            },
        }

    def _get_warranty_label(self):
        """'24 months', 'none': the warranty period as the chatter says it."""
        self.ensure_one()
        if not self.warranty:
            return self.env._("none")
        unit = dict(self._fields["warranty_type"]._description_selection(self.env))
        return "%s %s" % (self.warranty, unit[self.warranty_type].lower())

    @api.depends("tracking")
    def _compute_is_serial_product(self):
        for template in self:
            template.is_serial_product = template.tracking == "serial"

    def _inverse_is_serial_product(self):
        to_serial = self.filtered(
            lambda t: t.is_serial_product and t.tracking != "serial"
        )
        if to_serial:
            to_serial.write(
                {"type": "consu", "is_storable": True, "tracking": "serial"}
            )
        to_none = self.filtered(
            lambda t: not t.is_serial_product and t.tracking == "serial"
        )
        if to_none:
            to_none.write({"tracking": "none"})

    def _search_is_serial_product(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Serial Product."))
        positive = (operator == "=") == value
        return [("tracking", "=" if positive else "!=", "serial")]

    @api.depends(
        "serial_generator_id",
        "categ_id.serial_generator_id",
        "categ_id.parent_id.serial_generator_id",
        "company_id.serial_generator_id",
    )
    @api.depends_context("company")
    def _compute_effective_serial_generator_id(self):
        for template in self:
            generator = template._get_serial_generator()
            template.effective_serial_generator_id = generator
            template.has_serial_generator = bool(generator)

    def _get_serial_generator(self):
        """Return the generator of this serial product: its own, else the
        nearest category's, else its company's default one."""
        self.ensure_one()
        if self.serial_generator_id:
            return self.serial_generator_id
        category = self.categ_id
        while category:
            if category.serial_generator_id:
                return category.serial_generator_id
            category = category.parent_id
        return (self.company_id or self.env.company).serial_generator_id

    @api.depends("effective_serial_generator_id", "tracking", "default_code")
    @api.depends_context("company")
    def _compute_serial_preview(self):
        for template in self:
            generator = template.effective_serial_generator_id
            if template.tracking != "serial" or not generator:
                template.serial_preview = False
                continue
            try:
                template.serial_preview = generator._preview_serials(
                    1, template.product_variant_id
                )[0]
            except (UserError, ValidationError) as error:
                # Show what is missing (e.g. an internal reference) instead of failing.
                template.serial_preview = error.args[0].splitlines()[-1].lstrip("- ")

    def _compute_next_serial(self):
        # Core shows the bare counter; show what the generator will render.
        res = super()._compute_next_serial()
        for template in self.filtered("effective_serial_generator_id"):
            template.next_serial = template.serial_preview
        return res

    def _sync_lot_sequence(self):
        """Point Odoo's lot_sequence_id at the applied generator's counter, so
        Odoo's own screens draw from the same counter as our allocations."""
        by_sequence = {}
        # A system link: users who create products may not read generators.
        for template in self.sudo().filtered(lambda t: t.tracking == "serial"):
            sequence = template._get_serial_generator().sequence_id
            if sequence and template.lot_sequence_id != sequence:
                by_sequence.setdefault(sequence, self.browse())
                by_sequence[sequence] |= template
        for sequence, templates in by_sequence.items():
            templates.write({"lot_sequence_id": sequence.id})

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        templates._sync_lot_sequence()
        return templates

    def write(self, vals):
        res = super().write(vals)
        if GENERATOR_KEYS & set(vals):
            self._sync_lot_sequence()
        return res

    def action_allocate_opening_serials(self):
        """Give serials to the stock without serial (or enter initial stock)."""
        return self.product_variant_ids.action_allocate_opening_serials()

    def action_open_serial_generator(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.serial.generator",
            "res_id": self.effective_serial_generator_id.id,
            "view_mode": "form",
        }

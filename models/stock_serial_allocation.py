# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Context key set by the allocation service only: the register cannot be
# created or edited from anywhere else.
SERVICE_KEY = "serial_allocation_service"

SOURCES = [
    ("purchase", "Purchase"),
    ("opening", "Opening Stock"),
    ("manufacture", "Manufacture"),
    ("block", "Block"),
    ("manual", "Manual"),
]
METHODS = [
    ("generate", "Generate"),
    ("enter", "Enter / Scan"),
    ("import", "Import File"),
    ("block", "From Block"),
]


class StockSerialAllocation(models.Model):
    _name = "stock.serial.allocation"
    _description = "Serial Allocation"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "date desc, id desc"
    # Whoever reads the register may comment on it (facts stay read-only).
    _mail_post_access = "read"

    name = fields.Char(
        "Reference", readonly=True, required=True, copy=False, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda s: s.env.company,
    )
    date = fields.Datetime(
        readonly=True, required=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Allocated By",
        readonly=True,
        required=True,
        default=lambda s: s.env.user,
    )
    source = fields.Selection(SOURCES, required=True, readonly=True, index=True)
    method = fields.Selection(METHODS, required=True, readonly=True, index=True)
    # Empty only on the voided remainder of a serial block held for no product.
    product_id = fields.Many2one(
        "product.product", readonly=True, index=True, check_company=True
    )
    generator_id = fields.Many2one("stock.serial.generator", readonly=True, index=True)
    count = fields.Integer("Serials", readonly=True)
    first_serial = fields.Char(readonly=True)
    last_serial = fields.Char(readonly=True)
    lot_ids = fields.One2many(
        "stock.lot", "serial_allocation_id", "Serial Numbers", readonly=True
    )
    move_id = fields.Many2one(
        "stock.move",
        "Stock Move",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    picking_id = fields.Many2one(
        "stock.picking",
        "Transfer",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    purchase_id = fields.Many2one(
        "purchase.order", "Purchase Order", readonly=True, index="btree_not_null"
    )
    production_id = fields.Many2one(
        "mrp.production",
        "Manufacturing Order",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    location_id = fields.Many2one("stock.location", readonly=True)
    block_id = fields.Many2one(
        "stock.serial.block", "Serial Block", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        "res.partner", "Vendor", readonly=True, index="btree_not_null"
    )
    document_ref = fields.Reference(
        selection="_selection_document_ref",
        string="Source Document",
        readonly=True,
    )
    state = fields.Selection(
        [("done", "Done"), ("voided", "Voided")],
        default="done",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    voided_count = fields.Integer("Voided Serials", readonly=True)
    job_id = fields.Many2one(
        "stock.serial.job",
        "Background Job",
        readonly=True,
        index="btree_not_null",
        help="The background job that made this allocation, when it was large.",
    )
    draw_token = fields.Char(
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The counter draw the serials of this entry were taken in.",
    )
    void_reason = fields.Text(readonly=True, tracking=True)

    # Fields anybody may write: chatter and the void workflow (service only).
    _writable_fields = {"message_main_attachment_id", "message_follower_ids"}

    @api.model
    def _selection_document_ref(self):
        return [
            ("stock.picking", "Transfer"),
            ("purchase.order", "Purchase Order"),
            ("mrp.production", "Manufacturing Order"),
            ("stock.move", "Stock Move"),
            ("stock.location", "Location"),
            ("stock.serial.block", "Serial Block"),
        ]

    @api.depends("name", "product_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = allocation.name

    # ------------------------------------------------------------------
    # Protection: an append-only register
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(SERVICE_KEY):
            raise UserError(
                self.env._(
                    "Serial allocations are recorded by the allocation wizards only."
                )
            )
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            vals["name"] = sequence.next_by_code("stock.serial.allocation") or "/"
        return super().create(vals_list)

    def write(self, vals):
        protected = set(vals) - self._writable_fields
        if protected and not self.env.context.get(SERVICE_KEY):
            raise UserError(
                self.env._(
                    "The facts of a serial allocation cannot be edited (%(fields)s). "
                    "Void it with a reason instead.",
                    fields=", ".join(sorted(protected)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Serial allocations cannot be deleted; void them with a reason.")
        )

    # ------------------------------------------------------------------
    # Void
    # ------------------------------------------------------------------
    def _void_lots(self, lots, reason):
        """Void `lots` of these allocations: they are never reissued, and the
        register keeps them with the reason."""
        lots = lots.filtered(lambda lot: not lot.serial_voided)
        if not lots:
            return
        lots.sudo().with_context(**{SERVICE_KEY: True}).write(
            {"serial_voided": True, "serial_void_reason": reason}
        )
        lots._update_serial_status()
        service = self.sudo().with_context(**{SERVICE_KEY: True})
        for allocation in service.filtered(lambda a: a in lots.serial_allocation_id):
            voided = len(allocation.lot_ids.filtered("serial_voided"))
            vals = {"voided_count": voided}
            if voided == allocation.count:
                vals.update(state="voided", void_reason=reason)
            allocation.write(vals)
            allocation.message_post(
                body=self.env._(
                    "%(count)s serial(s) voided: %(reason)s",
                    count=len(lots & allocation.lot_ids),
                    reason=reason,
                )
            )

    def action_void(self, reason):
        """Void the allocation's serials that never received stock."""
        if not self.env.user.has_group(
            "stock_serial_allocation.group_serial_allocation_manager"
        ):
            raise AccessError(
                self.env._("Only serial allocation managers can void allocations.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason to void an allocation."))
        for allocation in self:
            lots = allocation.lot_ids.filtered(lambda lot: not lot.sudo().quant_ids)
            allocation._void_lots(lots, reason.strip())
        return True

    def _get_result_message(self):
        """'12 serial(s) allocated: SN-0001 … SN-0012 (SA/2026/00004)'."""
        ordered = self.sorted("id")
        return self.env._(
            "%(count)s serial(s) allocated: %(first)s … %(last)s (%(refs)s)",
            count=sum(self.mapped("count")),
            first=ordered[:1].first_serial or "",
            last=ordered[-1:].last_serial or "",
            refs=", ".join(ordered.mapped("name")),
        )

    def _action_view_result(self, next_action=None):
        """Tell what was allocated, with buttons to print the serials' labels
        and open the register entries, then run `next_action` (default:
        close the wizard)."""
        lots = self.lot_ids.filtered(lambda lot: not lot.serial_voided)
        return {
            "type": "ir.actions.client",
            "tag": "stock_serial_allocation_result",
            "params": {
                "type": "success",
                "message": self._get_result_message(),
                "print_label": self.env._("Print Labels"),
                "print_action": self.action_print_labels() if lots else False,
                "open_label": self.env._("Open in Register"),
                "open_action": self.action_open_register(),
                "next": next_action or {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_register(self):
        """The register entries: the form of one, the list of several."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_stock_serial_allocation"
        )
        if len(self) == 1:
            action.update(
                {"res_id": self.id, "views": [(False, "form")], "view_mode": "form"}
            )
        else:
            action["domain"] = [("id", "in", self.ids)]
        action["context"] = {}
        return action

    def action_print_labels(self):
        """Print the allocated serials with Odoo's own lot label report."""
        lots = self.lot_ids.filtered(lambda lot: not lot.serial_voided)
        if not lots:
            raise UserError(self.env._("There is no serial to print."))
        return self.env.ref("stock.action_report_lot_label").report_action(lots)

    def action_open_lots(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_production_lot_form"
        )
        action["domain"] = [("serial_allocation_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

from ..models.stock_serial_gs1 import normalize_gtin


class StockSerialLookup(models.TransientModel):
    _name = "stock.serial.lookup"
    _description = "Serial Lookup"

    serial = fields.Char(
        "Serial Number", help="Scan or type a serial (a GS1 code is read too)."
    )
    lot_ids = fields.Many2many(
        "stock.lot", string="Serials Found", compute="_compute_lot_ids"
    )
    lot_count = fields.Integer(compute="_compute_lot_ids")
    message = fields.Char(compute="_compute_lot_ids")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial",
        compute="_compute_lot_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', lot_ids)]",
    )
    product_id = fields.Many2one(related="lot_id.product_id")
    company_id = fields.Many2one(related="lot_id.company_id")
    serial_status = fields.Selection(related="lot_id.serial_status")
    serial_status_date = fields.Datetime(related="lot_id.serial_status_date")
    location_id = fields.Many2one(related="lot_id.location_id", string="Location")
    serial_partner_id = fields.Many2one(related="lot_id.serial_partner_id")
    serial_allocation_id = fields.Many2one(related="lot_id.serial_allocation_id")
    serial_source = fields.Selection(related="lot_id.serial_source")
    serial_allocation_date = fields.Datetime(related="lot_id.serial_allocation_date")
    serial_document_ref = fields.Reference(
        related="lot_id.serial_allocation_id.document_ref", string="Source Document"
    )
    serial_vendor_id = fields.Many2one(related="lot_id.serial_vendor_id")
    serial_purchase_id = fields.Many2one(related="lot_id.serial_purchase_id")
    serial_production_id = fields.Many2one(related="lot_id.serial_production_id")
    serial_in_date = fields.Date(related="lot_id.serial_in_date")
    serial_production_date = fields.Datetime(related="lot_id.serial_production_date")
    serial_voided = fields.Boolean(related="lot_id.serial_voided")
    serial_void_reason = fields.Char(related="lot_id.serial_void_reason")
    serial_warranty_end = fields.Date(related="lot_id.serial_warranty_end")
    serial_vendor_warranty_end = fields.Date(
        related="lot_id.serial_vendor_warranty_end"
    )
    component_lot_ids = fields.Many2many(related="lot_id.component_lot_ids")
    used_in_lot_ids = fields.Many2many(related="lot_id.used_in_lot_ids")
    warranty_left = fields.Char("Warranty", compute="_compute_warranty_left")
    vendor_warranty_left = fields.Char(
        "Vendor Warranty", compute="_compute_warranty_left"
    )
    move_line_ids = fields.Many2many(
        "stock.move.line",
        string="Movement History",
        compute="_compute_move_line_ids",
    )

    @api.depends("serial")
    def _compute_display_name(self):
        for lookup in self:
            lookup.display_name = (lookup.serial or "").strip() or self.env._(
                "Serial Lookup"
            )

    @api.depends("serial")
    def _compute_lot_ids(self):
        for lookup in self:
            serial, gtin = lookup._read_serial()
            lots = self.env["stock.lot"]
            if serial:
                lots = lots.search([("name", "=", serial)], order="product_id, id")
                if gtin:
                    lots = lots.filtered(
                        lambda lot, gtin=gtin: (
                            normalize_gtin(lot.product_id.barcode) == gtin
                        )
                    )
            lookup.lot_ids = lots
            lookup.lot_count = len(lots)
            if serial and not lots:
                lookup.message = self.env._(
                    "No serial %(serial)s was found.", serial=serial
                )
            elif len(lots) > 1:
                lookup.message = self.env._(
                    "Serial %(serial)s exists for %(count)s products: pick one.",
                    serial=serial,
                    count=len(lots),
                )
            else:
                lookup.message = False

    @api.depends("lot_ids")
    def _compute_lot_id(self):
        for lookup in self:
            # In the form, the lots found are new records: keep real ones.
            found = lookup.lot_ids._origin
            if lookup.lot_id._origin not in found or not lookup.lot_id:
                lookup.lot_id = found[:1]

    @api.depends("serial_warranty_end", "serial_vendor_warranty_end")
    def _compute_warranty_left(self):
        today = fields.Date.context_today(self)
        for lookup in self:
            lookup.warranty_left = self._describe_warranty(
                lookup.serial_warranty_end, today
            )
            lookup.vendor_warranty_left = self._describe_warranty(
                lookup.serial_vendor_warranty_end, today
            )

    def _describe_warranty(self, end, today):
        if not end:
            return False
        days = (end - today).days
        if days < 0:
            return self.env._("Expired %(days)s day(s) ago", days=-days)
        return self.env._("%(days)s day(s) left", days=days)

    @api.depends("lot_id")
    def _compute_move_line_ids(self):
        for lookup in self:
            lookup.move_line_ids = (
                self.env["stock.move.line"].search(
                    [("lot_id", "=", lookup.lot_id._origin.id), ("state", "=", "done")],
                    order="date, id",
                )
                if lookup.lot_id
                else False
            )

    def _read_serial(self):
        """(serial, GTIN-14 or None) of what was scanned or typed."""
        self.ensure_one()
        return self.env["stock.serial.allocator"]._read_scanned_serial(self.serial)

    def action_open_serial(self):
        self.ensure_one()
        self._check_found()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.lot",
            "res_id": self.lot_id.id,
            "view_mode": "form",
        }

    def action_traceability(self):
        """Odoo's own traceability report of the serial."""
        self.ensure_one()
        self._check_found()
        action = self.env["ir.actions.actions"]._for_xml_id("stock.action_stock_report")
        action["context"] = dict(
            safe_eval(action.get("context") or "{}"),
            active_id=self.lot_id.id,
            active_model="stock.lot",
        )
        return action

    def _check_found(self):
        if not self.lot_id:
            raise UserError(
                self.message or self.env._("Scan or type a serial number first.")
            )

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

SERIAL_STATUSES = [
    ("allocated", "Allocated"),
    ("in_stock", "In Stock"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("returned", "Returned"),
    ("vendor_returned", "Returned to Vendor"),
    ("scrapped", "Scrapped"),
    ("consumed", "Consumed"),
    ("voided", "Voided"),
]
# Written by the status update only (it follows the done stock moves).
STATUS_FIELDS = {"serial_status", "serial_status_date", "serial_partner_id"}
STATUS_KEY = "stock_serial_status_update"


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_status = fields.Selection(
        SERIAL_STATUSES,
        string="Serial Status",
        readonly=True,
        copy=False,
        index=True,
        help="Where the unit is in its life, following its done stock moves:\n"
        "* Allocated: issued, no stock yet;\n"
        "* In Stock: in an internal location;\n"
        "* In Transit: in a transit location;\n"
        "* Delivered: at a customer;\n"
        "* Returned: back from a customer, in stock again;\n"
        "* Returned to Vendor: sent back to the vendor;\n"
        "* Scrapped: in a scrap or inventory loss location;\n"
        "* Consumed: used as a component in a production;\n"
        "* Voided: its allocation was voided before it received stock.",
    )
    serial_status_date = fields.Datetime(
        "Status Date",
        readonly=True,
        copy=False,
        help="When the serial status last changed.",
    )
    serial_partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer the serial was delivered to (or the vendor it was "
        "returned to).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(set(vals) & STATUS_FIELDS for vals in vals_list):
            self._check_status_write()
        product_ids = {vals.get("product_id") for vals in vals_list} - {None, False}
        serial_ids = set(
            self.env["product.product"]
            .browse(product_ids)
            .filtered(lambda product: product.tracking == "serial")
            .ids
        )
        if serial_ids:
            now = fields.Datetime.now()
            for vals in vals_list:
                if vals.get("product_id") in serial_ids:
                    vals.setdefault("serial_status", "allocated")
                    vals.setdefault("serial_status_date", now)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & STATUS_FIELDS:
            self._check_status_write()
        return super().write(vals)

    def _check_status_write(self):
        if not self.env.context.get(STATUS_KEY):
            raise UserError(
                self.env._(
                    "The status of a serial follows its stock moves; it cannot "
                    "be edited."
                )
            )

    # ------------------------------------------------------------------
    # Status from quants and done moves
    # ------------------------------------------------------------------
    @api.model
    def _serial_status_query(self, lot_ids=None):
        """SELECT of (lot id, status, holder, date of its last done move,
        current status, current holder) for the lots of serial products
        among `lot_ids` (all of them when None). The place is the one of the
        lot's stock (internal first), else where its last done move took it
        (a unit sent back to its vendor cancels the vendor's negative stock);
        the holder is the partner of the last done move into a customer or
        vendor location."""
        where = SQL("TRUE") if lot_ids is None else SQL("lot.id = ANY(%s)", lot_ids)
        return SQL(
            """
            WITH lots AS (
                SELECT lot.id, lot.serial_voided, lot.serial_status,
                       lot.serial_partner_id, lot.create_date
                  FROM stock_lot lot
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template template
                    ON template.id = product.product_tmpl_id
                   AND template.tracking = 'serial'
                 WHERE %s
            ), lines AS (
                SELECT line.id, line.lot_id, line.date, line.move_id,
                       source.usage AS source_usage, dest.usage AS dest_usage
                  FROM stock_move_line line
                  JOIN lots ON lots.id = line.lot_id
                  JOIN stock_location source ON source.id = line.location_id
                  JOIN stock_location dest ON dest.id = line.location_dest_id
                 WHERE line.state = 'done' AND line.lot_id IS NOT NULL
            ), last_move AS (
                SELECT DISTINCT ON (lot_id) lot_id, date, dest_usage AS usage
                  FROM lines
                 ORDER BY lot_id, date DESC, id DESC
            ), holder AS (
                SELECT DISTINCT ON (lines.lot_id, lines.dest_usage)
                       lines.lot_id, lines.dest_usage AS usage,
                       COALESCE(picking.partner_id, move.partner_id) AS partner_id
                  FROM lines
                  JOIN stock_move move ON move.id = lines.move_id
                  LEFT JOIN stock_picking picking ON picking.id = move.picking_id
                 WHERE lines.dest_usage IN ('customer', 'supplier')
                 ORDER BY lines.lot_id, lines.dest_usage, lines.date DESC,
                          lines.id DESC
            ), came_back AS (
                SELECT DISTINCT lot_id FROM lines WHERE source_usage = 'customer'
            ), stock AS (
                SELECT DISTINCT ON (quant.lot_id) quant.lot_id, location.usage
                  FROM stock_quant quant
                  JOIN lots ON lots.id = quant.lot_id
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE quant.quantity > 0
                 ORDER BY quant.lot_id, location.usage = 'internal' DESC,
                          location.usage = 'transit' DESC,
                          quant.in_date DESC, quant.id DESC
            ), here AS (
                SELECT lots.id AS lot_id,
                       COALESCE(stock.usage, last_move.usage) AS usage,
                       last_move.date
                  FROM lots
                  LEFT JOIN stock ON stock.lot_id = lots.id
                  LEFT JOIN last_move ON last_move.lot_id = lots.id
            )
            SELECT lots.id AS lot_id,
                   CASE
                       WHEN lots.serial_voided AND here.usage IS NULL THEN 'voided'
                       WHEN here.usage = 'internal' THEN
                           CASE WHEN came_back.lot_id IS NOT NULL
                                THEN 'returned' ELSE 'in_stock' END
                       WHEN here.usage = 'transit' THEN 'in_transit'
                       WHEN here.usage = 'customer' THEN 'delivered'
                       WHEN here.usage = 'supplier' THEN 'vendor_returned'
                       WHEN here.usage = 'production' THEN 'consumed'
                       WHEN here.usage = 'inventory' THEN 'scrapped'
                       ELSE 'allocated'
                   END AS status,
                   holder.partner_id AS partner_id,
                   COALESCE(here.date, lots.create_date) AS status_date,
                   lots.serial_status AS current_status,
                   lots.serial_partner_id AS current_partner_id
              FROM lots
              JOIN here ON here.lot_id = lots.id
              LEFT JOIN came_back ON came_back.lot_id = lots.id
              LEFT JOIN holder
                ON holder.lot_id = lots.id AND holder.usage = here.usage
            """,
            where,
        )

    def _update_serial_status(self):
        """Bring the status of these lots in line with their quants and done
        moves: one query, then one write per (status, holder)."""
        if not self:
            return
        self.env.flush_all()
        rows = self.env.execute_query_dict(self._serial_status_query(self.ids))
        groups = defaultdict(list)
        for row in rows:
            values = (row["status"], row["partner_id"])
            if values != (row["current_status"], row["current_partner_id"]):
                groups[values].append(row["lot_id"])
        now = fields.Datetime.now()
        lots = self.sudo().with_context(**{STATUS_KEY: True})
        for (status, partner_id), lot_ids in groups.items():
            lots.browse(lot_ids).write(
                {
                    "serial_status": status,
                    "serial_partner_id": partner_id,
                    "serial_status_date": now,
                }
            )

    @api.model
    def _init_serial_status(self):
        """Set the status of every serial from its quants and moves (at
        install and upgrade), dated by its last done move."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_lot lot
                   SET serial_status = computed.status,
                       serial_partner_id = computed.partner_id,
                       serial_status_date = computed.status_date
                  FROM (%s) computed
                 WHERE computed.lot_id = lot.id
                   AND (lot.serial_status IS DISTINCT FROM computed.status
                        OR lot.serial_partner_id IS DISTINCT FROM computed.partner_id)
                """,
                self._serial_status_query(),
            )
        )
        self.invalidate_model(list(STATUS_FIELDS))
        return self.env.cr.rowcount

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .company_check import needs_company_check

# Context key of a validation's FreshSerialQuants, passed down the way Odoo's
# own ``quants_cache`` is.
FRESH_QUANTS_KEY = "serial_fresh_quants"
# System parameter: "False" sends every line through Odoo's own quant updates.
FAST_VALIDATION_PARAM = "stock_serial_allocation.fast_validation"


class FreshSerialQuants:
    """The quants of a validation's fresh serial lines, created together.

    A fresh line moves a serial the allocation service created and that holds
    no stock anywhere, out of a location that bypasses reservation (vendor,
    production, inventory) where the product has no stock without serial.
    For such a line Odoo's ``_synchronize_quant`` finds no quant to update
    and creates one at the source and one at the destination, each with its
    own INSERT. Here the same values are collected, and all the quants are
    created in one INSERT once the last fresh line has been moved.
    """

    def __init__(self, lines):
        self.line_ids = frozenset(lines.ids)
        # Lines not moved into their destination yet.
        self.pending_ids = set(lines.ids)
        self.vals_list = []

    def __contains__(self, line):
        return line.id in self.line_ids

    def synchronize(self, line, quantity, location, action, in_date, quants_value):
        """What ``_synchronize_quant`` returns for a fresh line; its quant is
        created later."""
        if not line.product_id.is_storable or line.product_uom_id.is_zero(quantity):
            return 0, False
        if action != "available":
            # Reservation is bypassed at the source, and a move line reserves
            # nothing at its destination.
            return 0, False
        # No quant holds the serial anywhere: the oldest incoming date is the
        # one given, or now.
        in_date = in_date or fields.Datetime.now()
        lot = quants_value.get("lot", line.lot_id)
        package = quants_value.get("package", line.package_id)
        owner = quants_value.get("owner", line.owner_id)
        self.vals_list.append(
            {
                "product_id": line.product_id.id,
                "location_id": location.id,
                "lot_id": lot.id,
                "package_id": package.id,
                "owner_id": owner.id,
                "in_date": in_date,
                "quantity": quantity,
            }
        )
        if quantity > 0:
            # Moved into its destination: the line is done.
            self.pending_ids.discard(line.id)
            if not self.pending_ids:
                self.flush(line.env)
        # The quant alone holds the serial there.
        return quantity, in_date

    def flush(self, env):
        """Create the collected quants; before Odoo applies the destination
        packages, which reads their locations."""
        if self.vals_list:
            vals_list, self.vals_list = self.vals_list, []
            env["stock.quant"]._create_moved_quants(vals_list)


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # The serial status reads the moves of its lots.
    _serial_lot_index = models.Index("(lot_id) WHERE lot_id IS NOT NULL")

    @api.model
    def default_get(self, fields):
        # The allocation service creates move lines by the thousand.
        fields = self.env["stock.serial.allocator"]._get_default_fields(self, fields)
        return super().default_get(fields) if fields else {}

    def _get_lot_sequence(self):
        # Naming hook of OCA's stock_picking_auto_create_lot, which draws from
        # Odoo's global serial sequence: a product with a generator takes its
        # serials from that generator instead.
        self.ensure_one()
        product = self.product_id
        generator = product.product_tmpl_id._get_serial_generator()
        if product.tracking == "serial" and generator:
            source = "purchase" if self.picking_code == "incoming" else "manual"
            return generator._next_serials(
                1, product=product, location=self.location_dest_id, source=source
            )[0]
        return super()._get_lot_sequence()

    # ------------------------------------------------------------------
    # Validation: the quants of fresh serials in one INSERT
    # ------------------------------------------------------------------
    def _action_done(self):
        fresh_lines = self._get_fresh_serial_lines()
        if not fresh_lines:
            return super()._action_done()
        fresh_quants = FreshSerialQuants(fresh_lines)
        lines = self.with_context(**{FRESH_QUANTS_KEY: fresh_quants})
        res = super(StockMoveLine, lines)._action_done()
        # Lines Odoo dropped on the way (none expected) leave nothing behind.
        fresh_quants.flush(self.env)
        return res

    def _check_company(self, fnames=None):
        # A validation of fresh serials checks thousands of lines.
        if FRESH_QUANTS_KEY not in self.env.context or needs_company_check(
            self, fnames
        ):
            return super()._check_company(fnames)
        return None

    def _synchronize_quant(
        self, quantity, location, action="available", in_date=False, **quants_value
    ):
        fresh_quants = self.env.context.get(FRESH_QUANTS_KEY)
        if fresh_quants is None or self not in fresh_quants:
            return super()._synchronize_quant(
                quantity, location, action=action, in_date=in_date, **quants_value
            )
        return fresh_quants.synchronize(
            self, quantity, location, action, in_date, quants_value
        )

    @api.model
    def _is_fast_validation_enabled(self):
        """Whether fresh serials skip Odoo's quant updates one by one (the
        system parameter ``stock_serial_allocation.fast_validation``, on
        unless "False" or "0")."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(FAST_VALIDATION_PARAM, "True")
        )
        return value.strip().lower() not in ("false", "0", "")

    def _get_fresh_serial_lines(self):
        """The lines of self whose quants Odoo would create from nothing.

        A line qualifies when it moves, out of a location that bypasses
        reservation, a serial of a storable product that the allocation
        service created, that holds no stock anywhere and that no other line
        of self moves; and when the product has no stock without serial at
        that location, now or brought there by another line of self (Odoo
        would take the serial's unit from that stock). The lots are locked
        first: a concurrent validation of the same serial waits, then sees
        its stock.
        """
        if not self._is_fast_validation_enabled():
            return self.browse()
        # What depends on the product or the location is read once for each.
        product_ids = {
            product.id
            for product in self.product_id
            if product.tracking == "serial" and product.is_storable
        }
        location_ids = {
            location.id
            for location in self.location_id
            if location.should_bypass_reservation()
        }
        candidates = self.filtered(
            lambda line: (
                line.product_id.id in product_ids
                and line.location_id.id in location_ids
                and line.lot_id.serial_allocation_id
                and line.product_uom_id.compare(line.quantity, 0) > 0
            )
        )
        if not candidates:
            return candidates
        lot_counts = {}
        for line in self:
            lot_counts[line.lot_id.id] = lot_counts.get(line.lot_id.id, 0) + 1
        candidates = candidates.filtered(lambda line: lot_counts[line.lot_id.id] == 1)
        # Untracked stock brought into a candidate's source by this batch.
        untracked_in = {
            (line.product_id.id, line.location_dest_id.id)
            for line in self - candidates
            if not line.lot_id
        }
        candidates = candidates.filtered(
            lambda line: (line.product_id.id, line.location_id.id) not in untracked_in
        )
        if not candidates:
            return candidates
        # A waiting lock, in id order: a concurrent validation of the same
        # serials finishes first.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_lot WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                tuple(candidates.lot_id.ids),
            )
        )
        self.env["stock.quant"].flush_model(
            ["lot_id", "product_id", "location_id", "quantity", "reserved_quantity"]
        )
        self.env.cr.execute(
            SQL(
                "SELECT lot_id FROM stock_quant WHERE lot_id IN %s",
                tuple(candidates.lot_id.ids),
            )
        )
        lots_with_stock = {lot_id for (lot_id,) in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """SELECT product_id, location_id FROM stock_quant
                    WHERE lot_id IS NULL AND product_id IN %s AND location_id IN %s
                      AND (quantity > 0 OR quantity - reserved_quantity > 0)""",
                tuple(candidates.product_id.ids),
                tuple(candidates.location_id.ids),
            )
        )
        untracked_at = set(self.env.cr.fetchall())
        return candidates.filtered(
            lambda line: (
                line.lot_id.id not in lots_with_stock
                and (line.product_id.id, line.location_id.id) not in untracked_at
            )
        )

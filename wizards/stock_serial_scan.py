# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.stock_serial_gs1 import normalize_gtin


class StockSerialScan(models.TransientModel):
    _name = "stock.serial.scan"
    _description = "Scan Serials"

    picking_id = fields.Many2one("stock.picking", "Transfer", required=True)
    serials_text = fields.Text(
        "Serials",
        help="Scan, type or paste one serial per line; a GS1 code is read (its "
        "serial, AI 21, and its GTIN, AI 01, which picks the product).",
    )
    expected_count = fields.Integer("To Scan", compute="_compute_expected_count")
    summary = fields.Char(compute="_compute_summary")

    @api.depends("picking_id")
    def _compute_expected_count(self):
        for scan in self:
            scan.expected_count = int(sum(scan._get_moves().mapped("product_qty")))

    @api.depends("serials_text", "picking_id")
    def _compute_summary(self):
        for scan in self:
            __, entered, errors = scan._read_serials()
            summary = self.env._(
                "%(entered)s of %(expected)s entered",
                entered=entered,
                expected=scan.expected_count,
            )
            if errors:
                summary = self.env._(
                    "%(summary)s, %(count)s problem(s): %(first)s",
                    summary=summary,
                    count=len(errors),
                    first=errors[0],
                )
            scan.summary = summary

    def _get_moves(self):
        self.ensure_one()
        return self.picking_id.move_ids._get_scannable_serial_moves()

    def _read_serials(self):
        """({move: lots}, number of serials read, [problems]): the scanned
        serials found among the lots of the transfer's products, spread over
        its moves in order, with every line that is wrong."""
        self.ensure_one()
        scanned, errors = self._read_scanned_lines()
        lots_by_product, lot_errors = self._find_scanned_lots(scanned)
        lots_by_move, move_errors = self._spread_over_moves(lots_by_product)
        errors += lot_errors + move_errors
        for move, lots in lots_by_move.items():
            kind = move._get_serial_move_kind()
            for lot in lots.sudo():
                if kind == "return":
                    problem = move._get_return_problem(lot)
                else:
                    problem = move._get_delivery_problem(
                        lot, move.location_id, within=True
                    )
                if problem:
                    errors.append(problem)
        return lots_by_move, len(scanned), errors

    def _read_scanned_lines(self):
        """([(line number, serial, GTIN or None)], [problems]): the lines
        cleaned by the allocation's rules, GS1 codes read, repeats refused."""
        Allocator = self.env["stock.serial.allocator"]
        errors, scanned, first_line = [], [], {}
        for line_number, raw in Allocator._split_serial_text(self.serials_text):
            names, line_errors = Allocator._clean_serial_lines([(line_number, raw)])
            if line_errors:
                errors += line_errors
                continue
            serial, gtin = Allocator._read_scanned_serial(names[0])
            if (serial, gtin) in first_line:
                errors.append(
                    self.env._(
                        "line %(line)s (%(serial)s) repeats line %(first)s",
                        line=line_number,
                        serial=serial,
                        first=first_line[serial, gtin],
                    )
                )
                continue
            first_line[serial, gtin] = line_number
            scanned.append((line_number, serial, gtin))
        return scanned, errors

    def _find_scanned_lots(self, scanned):
        """({product: lots}, [problems]) of the `scanned` serials, among the
        lots of the transfer's products (one search)."""
        moves = self._get_moves()
        lots_by_name = defaultdict(lambda: self.env["stock.lot"])
        if scanned and moves:
            for lot in self.env["stock.lot"].search(
                [
                    ("name", "in", [serial for __, serial, __ in scanned]),
                    ("product_id", "in", moves.product_id.ids),
                    ("company_id", "in", [False, *moves.company_id.ids]),
                ],
                order="id",
            ):
                lots_by_name[lot.name] |= lot
        errors = []
        lots_by_product = defaultdict(lambda: self.env["stock.lot"])
        for line_number, serial, gtin in scanned:
            lots = lots_by_name[serial]
            if gtin:
                lots = lots.filtered(
                    lambda lot, gtin=gtin: (
                        normalize_gtin(lot.product_id.barcode) == gtin
                    )
                )
            if not lots:
                errors.append(
                    self.env._(
                        "line %(line)s: %(serial)s is not a serial of the products "
                        "of %(picking)s",
                        line=line_number,
                        serial=serial,
                        picking=self.picking_id.display_name,
                    )
                )
            elif len(lots) > 1:
                errors.append(
                    self.env._(
                        "line %(line)s: %(serial)s exists for %(products)s; scan "
                        "its GS1 code to tell them apart",
                        line=line_number,
                        serial=serial,
                        products=", ".join(lots.product_id.mapped("display_name")),
                    )
                )
            elif lots in lots_by_product[lots.product_id]:
                errors.append(
                    self.env._(
                        "line %(line)s (%(serial)s) repeats a serial scanned before",
                        line=line_number,
                        serial=serial,
                    )
                )
            else:
                lots_by_product[lots.product_id] |= lots
        return lots_by_product, errors

    def _spread_over_moves(self, lots_by_product):
        """({move: lots}, [problems]): each product's serials over its moves,
        in order; more serials than the product's moves take is refused."""
        moves = self._get_moves()
        lots_by_move, errors = {}, []
        for product, lots in lots_by_product.items():
            product_moves = moves.filtered(lambda move, p=product: move.product_id == p)
            expected = int(sum(product_moves.mapped("product_qty")))
            if len(lots) > expected:
                errors.append(
                    self.env._(
                        "%(product)s: %(count)s serials scanned for %(expected)s "
                        "to move",
                        product=product.display_name,
                        count=len(lots),
                        expected=expected,
                    )
                )
                continue
            for move in product_moves:
                move_lots = lots[: int(move.product_qty)]
                lots -= move_lots
                if move_lots:
                    lots_by_move[move] = move_lots
        return lots_by_move, errors

    def action_apply(self):
        """Make the scanned serials the detailed operations of the transfer,
        picked, in one step; refuse every wrong line at once."""
        self.ensure_one()
        lots_by_move, entered, errors = self._read_serials()
        if not entered and not errors:
            raise UserError(self.env._("Scan or type at least one serial."))
        if errors:
            raise UserError(
                self.env._(
                    "These serials cannot be applied to %(picking)s:\n%(errors)s",
                    picking=self.picking_id.display_name,
                    errors="\n".join("- %s" % error for error in errors),
                )
            )
        self.env["stock.move"]._set_serial_lines(lots_by_move, picked=True)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s serial(s) applied to %(picking)s.",
                    count=entered,
                    picking=self.picking_id.display_name,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.stock_serial_draw import ENTRY_POINTS, IN_FLIGHT, NAMED_ENTRY_POINTS

MANAGER_GROUP = "stock_serial_allocation.group_serial_allocation_manager"


class StockSerialCounterAudit(models.TransientModel):
    _name = "stock.serial.counter.audit"
    _description = "Serial Counter Audit"

    generator_id = fields.Many2one(
        "stock.serial.generator", required=True, readonly=True
    )
    line_ids = fields.One2many(
        "stock.serial.counter.audit.line", "audit_id", readonly=True
    )
    drawn_count = fields.Integer("Numbers Drawn", readonly=True)
    gap_count = fields.Integer("Unexplained Gaps", readonly=True)
    unused_count = fields.Integer("Drawn, Never Used", readonly=True)
    pending_count = fields.Integer("Waiting in Operations", readonly=True)
    is_clean = fields.Boolean(readonly=True)

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only serial allocation managers can audit counters.")
            )

    @api.model
    def _open_for(self, generator):
        self._check_manager()
        audit = self.create({"generator_id": generator.id})
        audit._run()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Counter Audit: %(name)s", name=generator.display_name),
            "res_model": self._name,
            "res_id": audit.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }

    def _get_counters(self):
        """[(label, date range or None, next number)] of the generator."""
        sequence = self.generator_id.sudo().sequence_id
        counters = [(sequence.name, None, sequence.number_next)]
        for date_range in sequence.date_range_ids.sorted("date_from"):
            label = "%s – %s" % (date_range.date_from, date_range.date_to)
            counters.append((label, date_range, date_range.number_next))
        return counters

    def _run(self):
        """List every number of the counter the register does not explain:
        numbers no draw took (gaps), and draws no lot, block or register
        entry accounts for (drawn, never used)."""
        self.ensure_one()
        Draw = self.env["stock.serial.draw"].sudo()
        draws = Draw.search([("generator_id", "=", self.generator_id.id)], order="id")
        lines = []
        drawn = gaps = 0
        for label, date_range, number_next in self._get_counters():
            own = draws.filtered(
                lambda draw, date_range=date_range: (
                    draw.date_range_id == date_range
                    if date_range
                    else not draw.date_range_id and not draw.period_start
                )
            )
            covered = sorted(
                (draw.first_number, draw.first_number + draw.number_count * draw.step)
                for draw in own
                if draw.number_count
            )
            expected_end = number_next
            drawn += expected_end - 1
            position = 1
            for start, end in covered + [(expected_end, expected_end)]:
                if start > position:
                    gap_end = min(start, expected_end)
                    if gap_end > position:
                        gaps += gap_end - position
                        lines.append(
                            {
                                "kind": "gap",
                                "counter": label,
                                "first_number": position,
                                "last_number": gap_end - 1,
                                "count": gap_end - position,
                            }
                        )
                position = max(position, end)
        settled = draws.filtered(
            lambda draw: draw.create_date < fields.Datetime.now() - IN_FLIGHT
        )
        unused = pending = 0
        accounting = settled._get_accounting()
        for draw, (waiting, not_used, explained) in accounting.items():
            if explained:
                continue
            counter = (
                "%s – %s" % (draw.date_range_id.date_from, draw.date_range_id.date_to)
                if draw.date_range_id
                else draw.generator_id.sudo().sequence_id.name
            )
            common = {
                "counter": counter,
                "draw_id": draw.id,
                "entry_point": draw.entry_point,
                "draw_date": draw.create_date,
                "user_id": draw.user_id.id,
                "first_number": draw.first_number,
                "last_number": draw.first_number + (draw.number_count - 1) * draw.step,
            }
            if waiting:
                pending += len(waiting)
                lines.append(
                    {
                        **common,
                        "kind": "pending",
                        "count": len(waiting),
                        "serials": ", ".join(waiting[:20]),
                    }
                )
            if not_used or draw.entry_point not in NAMED_ENTRY_POINTS:
                if not_used:
                    count, serials = len(not_used), ", ".join(not_used[:20])
                else:
                    count = draw.number_count - draw.skipped_count
                    serials = " … ".join(
                        filter(None, (draw.first_serial, draw.last_serial))
                    )
                unused += count
                lines.append(
                    {**common, "kind": "unused", "count": count, "serials": serials}
                )
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [fields.Command.create(vals) for vals in lines],
                "drawn_count": drawn,
                "gap_count": gaps,
                "unused_count": unused,
                "pending_count": pending,
                "is_clean": not gaps and not unused,
            }
        )

    def action_void_unused(self):
        """Void the numbers drawn and never used, then audit again."""
        self.ensure_one()
        self._check_manager()
        draws = self.line_ids.filtered(lambda line: line.kind == "unused").draw_id
        draws._void_unused()
        self._run()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Counter Audit: %(name)s", name=self.generator_id.display_name
            ),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"dialog_size": "extra-large"},
        }


class StockSerialCounterAuditLine(models.TransientModel):
    _name = "stock.serial.counter.audit.line"
    _description = "Serial Counter Audit Line"
    _order = "kind, first_number"

    audit_id = fields.Many2one(
        "stock.serial.counter.audit", required=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [
            ("gap", "Gap"),
            ("unused", "Drawn, Never Used"),
            ("pending", "Waiting"),
        ],
        required=True,
    )
    counter = fields.Char()
    first_number = fields.Integer()
    last_number = fields.Integer()
    count = fields.Integer("Numbers")
    serials = fields.Char()
    draw_id = fields.Many2one("stock.serial.draw")
    entry_point = fields.Selection(ENTRY_POINTS)
    draw_date = fields.Datetime("Drawn On")
    user_id = fields.Many2one("res.users", "Drawn By")

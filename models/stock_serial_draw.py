# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_serial_allocation import SOURCES

ENTRY_POINTS = [
    ("allocation", "Allocation Wizard"),
    ("block", "Serial Block"),
    ("lot_name", "New Serial Name"),
    ("generate_dialog", "Generate Dialog"),
    ("sequence", "Sequence Call"),
    ("counter_move", "Next Number Moved"),
    ("baseline", "Before the Counter Audit"),
]
# Draws younger than this may belong to a transaction still running.
IN_FLIGHT = timedelta(minutes=10)
# ir_sequence.number_next is a PostgreSQL integer.
MAX_COUNTER = 2**31 - 1
# Draws hold the counter's lock for a moment only; waiting longer means the
# lock is held by a transaction that changed the counter itself.
DRAW_LOCK_TIMEOUT = "10s"
# Per transaction (cleared on commit and rollback): counters this transaction
# wrote, and {serial: draw token} of the serials it drew.
DIRTY_COUNTERS_KEY = "stock_serial_allocation.dirty_counters"
DRAWN_NAMES_KEY = "stock_serial_allocation.drawn_names"
DRAWN_SOURCES_KEY = "stock_serial_allocation.drawn_sources"
# Entry points whose serials are named before any register entry exists:
# their names are kept on the draw, to be matched with the lots created later.
NAMED_ENTRY_POINTS = ("lot_name", "generate_dialog", "sequence")


class CounterDraw(NamedTuple):
    """Numbers taken from a counter: `leading` if any (a number the user drew
    before), then ``first + i * step`` for i < count."""

    first: int
    step: int
    count: int
    period_start: object
    token: str
    names: list
    leading: int | None = None

    def numbers(self):
        numbers = [self.first + index * self.step for index in range(self.count)]
        return numbers if self.leading is None else [self.leading, *numbers]

    def bounds(self):
        """(first number, last number) of the draw, without listing them."""
        last = self.first + (self.count - 1) * self.step if self.count else None
        first = self.first if self.leading is None else self.leading
        return first, self.leading if last is None else last


class SerialShare(NamedTuple):
    """`count` serials of one draw, in the format of these records."""

    count: int
    product: object = None
    location: object = None
    company: object = None


class SerialTake(NamedTuple):
    """The serials of one draw: `shares` in order, each in its format."""

    draw: CounterDraw
    formats: tuple
    shares: tuple

    def names_by_share(self):
        numbers = self.draw.numbers()
        result, start = [], 0
        for serial_format, share in zip(self.formats, self.shares, strict=True):
            result.append(serial_format.render(numbers[start : start + share.count]))
            start += share.count
        return result

    def names(self):
        return [name for names in self.names_by_share() for name in names]


class StockSerialDraw(models.Model):
    """One take of numbers from a generator's counter. It is written in the
    same short transaction as the counter update, so no number can leave the
    counter without it; the register then explains each drawn number."""

    _name = "stock.serial.draw"
    _description = "Serial Counter Draw"
    _order = "id desc"
    _rec_name = "token"

    generator_id = fields.Many2one(
        "stock.serial.generator",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    user_id = fields.Many2one("res.users", "Drawn By", readonly=True)
    entry_point = fields.Selection(ENTRY_POINTS, required=True, readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    date_range_id = fields.Many2one(
        "ir.sequence.date_range", "Period", readonly=True, ondelete="set null"
    )
    period_start = fields.Date(readonly=True)
    first_number = fields.Integer(readonly=True, required=True)
    number_count = fields.Integer("Numbers", readonly=True, required=True)
    skipped_count = fields.Integer(
        "Skipped",
        readonly=True,
        help="Numbers passed over at the start of the draw (a first serial "
        "typed ahead of the counter).",
    )
    step = fields.Integer(readonly=True, required=True, default=1)
    first_serial = fields.Char(readonly=True)
    last_serial = fields.Char(readonly=True)
    serial_names = fields.Text(readonly=True)
    token = fields.Char(readonly=True, required=True, index=True)

    _token_uniq = models.UniqueIndex("(token)")
    # Lots named outside the wizards find their draw by name.
    _serial_names_idx = models.Index(
        "USING gin (string_to_array(serial_names, E'\\n')) "
        "WHERE serial_names IS NOT NULL"
    )

    # Draws are inserted in SQL by the counter, in its own short transaction:
    # the ORM never creates or edits one.
    @api.model_create_multi
    def create(self, vals_list):
        if vals_list:
            raise UserError(
                self.env._("Counter draws are written by the counter only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(self.env._("Counter draws cannot be edited."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Counter draws cannot be deleted."))

    def _get_names(self):
        self.ensure_one()
        return (self.serial_names or "").split("\n") if self.serial_names else []

    # ------------------------------------------------------------------
    # Accounting
    # ------------------------------------------------------------------
    def _get_accounting(self):
        """{draw: (pending names, unused names, explained)} of these draws.
        `explained` is True when lots, the register or a block cover the
        whole draw."""
        Allocation = self.env["stock.serial.allocation"].sudo()
        tokens = self.mapped("token")
        allocations = Allocation.with_context(active_test=False).search_fetch(
            [("draw_token", "in", tokens)], ["draw_token", "state", "lot_ids"]
        )
        by_token = {}
        for allocation in allocations:
            by_token.setdefault(allocation.draw_token, Allocation)
            by_token[allocation.draw_token] |= allocation
        blocks = (
            self.env["stock.serial.block"]
            .sudo()
            .search_fetch([("draw_token", "in", tokens)], ["draw_token"])
        )
        block_tokens = set(blocks.mapped("draw_token"))
        named = self.filtered(lambda draw: draw.entry_point in NAMED_ENTRY_POINTS)
        all_names = {name for draw in named for name in draw._get_names()}
        lot_names = set(
            self.env["stock.lot"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("name", "in", list(all_names))], ["name"])
            .mapped("name")
        )
        pending = set(
            self.env["stock.move.line"]
            .sudo()
            .search_fetch(
                [
                    ("lot_name", "in", list(all_names - lot_names)),
                    ("lot_id", "=", False),
                    ("state", "not in", ("done", "cancel")),
                ],
                ["lot_name"],
            )
            .mapped("lot_name")
        )
        result = {}
        for draw in self:
            entries = by_token.get(draw.token, Allocation)
            voided = any(
                entry.state == "voided" and not entry.lot_ids for entry in entries
            )
            if draw.entry_point in NAMED_ENTRY_POINTS:
                names = draw._get_names()
                waiting = [name for name in names if name in pending]
                unused = [
                    name
                    for name in names
                    if name not in lot_names and name not in pending
                ]
                if voided:
                    unused = []
                result[draw] = (waiting, unused, not unused and not waiting)
            else:
                explained = (
                    draw.entry_point in ("counter_move", "baseline")
                    or bool(entries)
                    or draw.token in block_tokens
                )
                result[draw] = ([], [], explained)
        return result

    def _void_unused(self, reason=None):
        """Write a void register entry for the numbers of these draws that no
        lot, pending operation or register entry uses. Returns the entries."""
        vals_list = []
        accounting = self._get_accounting()
        for draw, (_waiting, unused, explained) in accounting.items():
            if explained:
                continue
            if draw.entry_point in NAMED_ENTRY_POINTS:
                names = unused
                count = len(names)
            else:
                names = [draw.first_serial, draw.last_serial]
                count = draw.number_count - draw.skipped_count
            if not count:
                continue
            vals_list.append(
                {
                    "company_id": (
                        draw.company_id
                        or draw.generator_id.company_id
                        or self.env.company
                    ).id,
                    "source": draw.source or "manual",
                    "method": "generate",
                    "product_id": draw.product_id.id,
                    "generator_id": draw.generator_id.id,
                    "count": count,
                    "voided_count": count,
                    "first_serial": names[0],
                    "last_serial": names[-1],
                    "state": "voided",
                    "draw_token": draw.token,
                    "void_reason": reason
                    or self.env._(
                        "Drawn from the counter (%(entry)s, %(date)s) and never used.",
                        entry=dict(ENTRY_POINTS)[draw.entry_point],
                        date=draw.create_date,
                    ),
                }
            )
        return self.env["stock.serial.allocator"]._write_register(vals_list)

    @api.model
    def _cron_void_unused(self):
        """Daily: void the numbers drawn over a day ago and never used."""
        now = fields.Datetime.now()
        # A week of draws: each is looked at on several days, then left be.
        draws = self.search(
            [
                ("create_date", "<", now - timedelta(days=1)),
                ("create_date", ">=", now - timedelta(days=8)),
            ]
        )
        draws._void_unused()

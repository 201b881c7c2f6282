# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The counter of a serial generator: draws, limits and the moves of its Next
Number. Every number a serial is rendered from is taken by `_draw_numbers`."""

import uuid

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.sql_db import Cursor
from odoo.tools import SQL

from .stock_serial_draw import (
    DIRTY_COUNTERS_KEY,
    DRAW_LOCK_TIMEOUT,
    DRAWN_NAMES_KEY,
    DRAWN_SOURCES_KEY,
    MAX_COUNTER,
    NAMED_ENTRY_POINTS,
    CounterDraw,
)
from .stock_serial_format import CODE_PLACEHOLDERS, KeepDatePlaceholders, SerialFormat


class StockSerialGenerator(models.Model):
    _inherit = "stock.serial.generator"

    # ------------------------------------------------------------------
    # Counter
    # ------------------------------------------------------------------
    def _get_counter(self, sequence_date=None, create=True):
        """Return the record holding the counter for that date: the sequence
        itself or its date range (created on demand, monthly when asked)."""
        self.ensure_one()
        sequence = self.sequence_id
        if not sequence.use_date_range:
            return sequence
        sequence_date = sequence_date or fields.Date.context_today(self)
        date_range = self.env["ir.sequence.date_range"].search(
            [
                ("sequence_id", "=", sequence.id),
                ("date_from", "<=", sequence_date),
                ("date_to", ">=", sequence_date),
            ],
            limit=1,
        )
        if date_range or not create:
            return date_range
        date_from, date_to = self._get_period(sequence_date)
        return (
            self.env["ir.sequence.date_range"]
            .sudo()
            .create(
                {"sequence_id": sequence.id, "date_from": date_from, "date_to": date_to}
            )
        )

    def _peek_numbers(self, count, sequence_date=None):
        """The next `count` counter numbers, without taking them."""
        self.ensure_one()
        counter = self._get_counter(sequence_date, create=False)
        start = counter.number_next if counter else 1
        if counter and counter == self.sequence_id and self.number_next_actual:
            # Follow the Next Number being edited on the form.
            start = self.number_next_actual
        step = self.number_increment or 1
        return [start + i * step for i in range(count)]

    def _check_draw_count(self, count):
        """Refuse a count of serials that is not a positive whole number."""
        if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            raise UserError(
                self.env._(
                    "The number of serials to take from generator %(name)s must be "
                    "a positive whole number, not %(count)r.",
                    name=self.display_name,
                    count=count,
                )
            )

    def _get_period(self, sequence_date=None):
        """(first day, last day) of the restart period holding `sequence_date`."""
        day = fields.Date.to_date(sequence_date or fields.Date.context_today(self))
        if self.restart_period == "month":
            first = day.replace(day=1)
            return first, first + relativedelta(months=1, days=-1)
        return day.replace(month=1, day=1), day.replace(month=12, day=31)

    def _draw_numbers(
        self,
        count,
        sequence_date=None,
        entry_point="allocation",
        render=None,
        product=None,
        source=None,
        start=None,
    ):
        """Take `count` numbers from the counter and return a `CounterDraw`.

        One waiting row lock and one update, whatever `count`, in a short
        transaction of its own that also records the draw: concurrent
        requests wait a moment instead of failing, and a number taken by a
        request that later fails stays accounted for (see the Counter Audit).
        `render(draw)` gives the serials of the numbers of `draw`, kept on
        the draw; `start` asks for numbers from there when it is ahead of the
        counter (the numbers passed over are recorded as skipped). When
        `start` is the number this user's last single draw gave (the first
        serial a dialog proposed), it leads and the rest follow the counter.

        A counter this transaction created or changed is drawn from in this
        transaction, as another one could neither see nor lock it."""
        self.ensure_one()
        self._check_draw_count(count)
        generator = self.sudo()
        sequence = generator.sequence_id
        # Pending ORM writes of a counter must not land over the draw.
        self.env["ir.sequence"].flush_model()
        self.env["ir.sequence.date_range"].flush_model()
        dirty = self.env.cr.precommit.data.get(DIRTY_COUNTERS_KEY, ())
        args = (count, sequence_date, entry_point, render, product, source, start)
        result = None
        if sequence.id not in dirty:
            draw_cr = self.env.registry.cursor()
            try:
                # Under test mode the registry hands out the test's own
                # transaction: draw there, as below.
                if isinstance(draw_cr, Cursor):
                    draw_cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                    draw_cr.execute("SET LOCAL lock_timeout = %s", [DRAW_LOCK_TIMEOUT])
                    result = generator._draw_in(draw_cr, *args)
                    if result is not None:
                        draw_cr.commit()
            except errors.LockNotAvailable:
                # Held by a transaction that drew here itself: wait in ours.
                result = None
            finally:
                draw_cr.close()
        if result is None:
            result = generator._draw_in(self.env.cr, *args)
            if result is None:
                raise UserError(
                    self.env._(
                        "The counter of generator %(name)s cannot be found.",
                        name=self.display_name,
                    )
                )
        # The counter moved in SQL: drop what was cached of it.
        self.env["ir.sequence"].invalidate_model(
            ["number_next", "number_next_actual", "date_range_ids"]
        )
        self.env["ir.sequence.date_range"].invalidate_model(
            ["number_next", "number_next_actual"]
        )
        self.invalidate_recordset(["number_next", "number_next_actual", "last_serial"])
        data = self.env.cr.precommit.data
        memo = data.setdefault(DRAWN_NAMES_KEY, {})
        for name in result.names:
            memo[name] = result.token
        data.setdefault(DRAWN_SOURCES_KEY, {})[result.token] = source
        return result

    def _draw_in(
        self, cr, count, sequence_date, entry_point, render, product, source, start
    ):
        """Draw on cursor `cr` (see `_draw_numbers`); None when `cr` cannot
        see the counter."""
        sequence = self.sequence_id
        step = sequence.number_increment or 1
        cr.execute("SELECT 1 FROM ir_sequence WHERE id = %s", [sequence.id])
        if not cr.fetchone():
            return None
        table, counter_id, period_start, date_range_id = (
            "ir_sequence",
            sequence.id,
            None,
            None,
        )
        if sequence.use_date_range:
            day = fields.Date.to_date(sequence_date or fields.Date.context_today(self))
            query = (
                "SELECT id, date_from FROM ir_sequence_date_range "
                "WHERE sequence_id = %s AND date_from <= %s AND date_to >= %s "
                "ORDER BY date_from DESC LIMIT 1"
            )
            cr.execute(query, [sequence.id, day, day])
            row = cr.fetchone()
            if not row:
                # Two transactions opening the same period: one inserts, the
                # other waits for it and then uses its row.
                date_from, date_to = self._get_period(day)
                cr.execute(
                    "INSERT INTO ir_sequence_date_range (sequence_id, date_from, "
                    "date_to, number_next, create_uid, write_uid, create_date, "
                    "write_date) VALUES (%s, %s, %s, 1, %s, %s, now() at time zone "
                    "'UTC', now() at time zone 'UTC') ON CONFLICT (sequence_id, "
                    "date_from, date_to) DO NOTHING",
                    [sequence.id, date_from, date_to, self.env.uid, self.env.uid],
                )
                cr.execute(query, [sequence.id, day, day])
                row = cr.fetchone()
                if not row:
                    return None
            table, counter_id = "ir_sequence_date_range", row[0]
            date_range_id, period_start = row
        table_sql = SQL.identifier(table)
        limit = MAX_COUNTER
        if self.padding and self.padding_overflow == "refuse":
            # The last number taken must fit the padding: 10**padding - 1.
            limit = min(limit, 10**self.padding - 1 + step)
        leading = None
        if start is None:
            # The common case: one waiting UPDATE ... RETURNING, the limits
            # checked by PostgreSQL on the row it waited for.
            cr.execute(
                SQL(
                    "UPDATE %s SET number_next = number_next + %s WHERE id = %s "
                    "AND number_next::bigint + %s <= %s RETURNING number_next",
                    table_sql,
                    count * step,
                    counter_id,
                    count * step,
                    limit,
                )
            )
            row = cr.fetchone()
            if not row:
                cr.execute(
                    SQL(
                        "SELECT number_next FROM %s WHERE id = %s",
                        table_sql,
                        counter_id,
                    )
                )
                self._raise_counter_limit(cr.fetchone()[0], count, step)
            first = old_next = row[0] - count * step
        else:
            cr.execute(
                SQL(
                    "SELECT number_next FROM %s WHERE id = %s FOR UPDATE",
                    table_sql,
                    counter_id,
                )
            )
            (old_next,) = cr.fetchone()
            first = max(old_next, start)
            if start < old_next and self._is_own_last_draw(cr, start):
                leading, first, count = start, old_next, count - 1
            if first + count * step > limit:
                self._raise_counter_limit(first, count, step)
            cr.execute(
                SQL(
                    "UPDATE %s SET number_next = %s WHERE id = %s",
                    table_sql,
                    first + count * step,
                    counter_id,
                )
            )
        token = uuid.uuid4().hex
        draw = CounterDraw(first, step, count, period_start, token, [], leading)
        names = list(render(draw)) if render else []
        skipped = (first - old_next) // step
        keep_names = entry_point in NAMED_ENTRY_POINTS and names
        cr.execute(
            "INSERT INTO stock_serial_draw (generator_id, company_id, product_id, "
            "user_id, entry_point, source, date_range_id, period_start, first_number, "
            "number_count, skipped_count, step, first_serial, last_serial, "
            "serial_names, token, create_uid, write_uid, create_date, write_date) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, now() at time zone 'UTC', now() at time zone 'UTC')",
            [
                self.id,
                self.company_id.id or None,
                product.id if product else None,
                self.env.uid,
                entry_point,
                source,
                date_range_id,
                period_start,
                old_next,
                skipped + count,
                skipped,
                step,
                names[0] if names else None,
                names[-1] if names else None,
                "\n".join(names) if keep_names else None,
                token,
                self.env.uid,
                self.env.uid,
            ],
        )
        return draw._replace(names=names)

    def _reserve_numbers(self, count, sequence_date=None, entry_point="allocation"):
        """Take `count` numbers (see `_draw_numbers`); return (numbers, draw)."""
        draw = self._draw_numbers(count, sequence_date, entry_point)
        return draw.numbers(), draw

    def _raise_counter_limit(self, next_number, count, step):
        """Say why `count` more numbers from `next_number` cannot be taken."""
        last = next_number + (count - 1) * step
        if last + step > MAX_COUNTER:
            raise UserError(
                self.env._(
                    "Generator %(name)s cannot give %(count)s more serials: its "
                    "counter (next number %(next)s) would pass %(max)s, the highest "
                    "number a counter holds.",
                    name=self.display_name,
                    count=count,
                    next=next_number,
                    max=MAX_COUNTER,
                )
            )
        self._check_padding(last)

    def _is_own_last_draw(self, cr, number):
        """Whether `number` is what this user's latest single-number draw of
        this generator gave, and no lot took it yet."""
        cr.execute(
            "SELECT first_serial FROM stock_serial_draw WHERE generator_id = %s "
            "AND user_id = %s AND number_count - skipped_count = 1 "
            "AND first_number + skipped_count * step = %s "
            "AND entry_point IN %s ORDER BY id DESC LIMIT 1",
            [self.id, self.env.uid, number, NAMED_ENTRY_POINTS],
        )
        row = cr.fetchone()
        if not row:
            return False
        cr.execute("SELECT 1 FROM stock_lot WHERE name = %s LIMIT 1", [row[0]])
        return not cr.fetchone()

    @api.model
    def _check_next_number_vals(self, vals):
        """Check the Next Number of form or API values as given, before the
        ORM rounds it (an empty Actual Next Number means 1, as in Odoo)."""
        if "number_next" in vals:
            self._check_next_number_value(vals["number_next"])
        if vals.get("number_next_actual"):
            self._check_next_number_value(vals["number_next_actual"])

    @api.model
    def _check_next_number_value(self, new_next):
        """Refuse a Next Number that is not a whole number of the counter's
        range; return it as an int."""
        if isinstance(new_next, float) and new_next.is_integer():
            new_next = int(new_next)
        if isinstance(new_next, bool) or not isinstance(new_next, int):
            raise UserError(
                self.env._(
                    "The next number of a serial counter must be a whole number, "
                    "not %(new)r.",
                    new=new_next,
                )
            )
        if new_next > MAX_COUNTER or new_next < 1:
            raise UserError(
                self.env._(
                    "The next number of a serial counter must be between 1 and "
                    "%(max)s, not %(new)s.",
                    max=MAX_COUNTER,
                    new=new_next,
                )
            )
        return new_next

    def _check_next_number(self, counters, new_next):
        """Refuse to move a counter back to or below a number already issued,
        or past the highest number a counter holds; a move forward is recorded
        as a draw, so the Counter Audit explains the numbers passed over."""
        new_next = self._check_next_number_value(new_next)
        for counter in counters:
            if new_next < counter.number_next:
                raise UserError(
                    self.env._(
                        "The next number of %(name)s cannot be set to %(new)s: "
                        "numbers up "
                        "to %(last)s were already issued. Choose %(next)s or higher.",
                        name=counter.display_name,
                        new=new_next,
                        last=counter.number_next - 1,
                        next=counter.number_next,
                    )
                )
            if new_next > counter.number_next:
                is_range = counter._name == "ir.sequence.date_range"
                sequence = counter.sequence_id if is_range else counter
                sequence._get_serial_generator()._log_counter_move(
                    counter.number_next,
                    new_next,
                    date_range=counter if is_range else None,
                )

    def _log_counter_move(self, old_next, new_next, date_range=None):
        """Record, in this transaction, the numbers a counter moved past."""
        self.ensure_one()
        self.env.execute_query(
            SQL(
                "INSERT INTO stock_serial_draw (generator_id, company_id, user_id, "
                "entry_point, date_range_id, period_start, first_number, "
                "number_count, skipped_count, step, token, create_uid, write_uid, "
                "create_date, write_date) VALUES (%s, %s, %s, 'counter_move', %s, "
                "%s, %s, %s, %s, 1, %s, %s, %s, now() at time zone 'UTC', "
                "now() at time zone 'UTC')",
                self.id,
                self.company_id.id or None,
                self.env.uid,
                date_range.id if date_range else None,
                date_range.date_from if date_range else None,
                old_next,
                new_next - old_next,
                new_next - old_next,
                uuid.uuid4().hex,
                self.env.uid,
                self.env.uid,
            )
        )

    def _get_legacy_serial_regex(self):
        """Regex of the serials this generator renders today: product,
        category, ... codes match anything, dates are today's; group 1 is the
        counter number."""
        self.ensure_one()
        marker = "\x00"
        prefix, suffix = self._get_affixes(dict.fromkeys(CODE_PLACEHOLDERS, marker))
        serial_format = SerialFormat(prefix, suffix, self.padding, self.check_digit)
        return serial_format.to_regex(wildcard=marker)

    def action_move_counter_past(self, serial_names):
        """Move the counter past the highest number of the `serial_names`
        (legacy serials) that follow this generator's pattern: only those can
        collide with a serial it renders. Never backwards, and atomic: one
        locked UPDATE ... GREATEST(). Returns the new next number."""
        self.ensure_one()
        pattern = self._get_legacy_serial_regex()
        highest = 0
        for name in serial_names:
            match = pattern.match((name or "").strip())
            if match:
                highest = max(highest, int(match.group(1)))
        counter = self._get_counter()
        counter.flush_recordset(["number_next"])
        _mark = self.env.cr.precommit.data.setdefault(DIRTY_COUNTERS_KEY, set())
        _mark.add(self.sequence_id.id)
        [(old_next,)] = self.env.execute_query(
            SQL(
                "SELECT number_next FROM %s WHERE id = %s FOR UPDATE",
                SQL.identifier(counter._table),
                counter.id,
            )
        )
        number_next = max(old_next, highest + 1)
        if number_next > MAX_COUNTER:
            raise UserError(
                self.env._(
                    "The counter of %(name)s cannot move past %(number)s: a counter "
                    "holds numbers up to %(max)s.",
                    name=self.display_name,
                    number=highest,
                    max=MAX_COUNTER,
                )
            )
        if number_next > old_next:
            self.env.execute_query(
                SQL(
                    "UPDATE %s SET number_next = %s WHERE id = %s",
                    SQL.identifier(counter._table),
                    number_next,
                    counter.id,
                )
            )
            is_range = counter._name == "ir.sequence.date_range"
            self._log_counter_move(
                old_next, number_next, date_range=counter if is_range else None
            )
        counter.invalidate_recordset(["number_next"])
        self.invalidate_recordset()
        return number_next

    def action_move_counter_past_legacy_serials(self):
        """Move the counter past the existing serials of the products using
        this generator (legacy serials entered with the opening stock)."""
        self.ensure_one()
        templates = self._get_serial_products()
        names = (
            self.env["stock.lot"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("product_id.product_tmpl_id", "in", templates.ids)], ["name"]
            )
            .mapped("name")
        )
        before = self._get_counter().number_next
        after = self.action_move_counter_past(names)
        if after > before:
            message = self.env._(
                "The counter of %(name)s moved from %(before)s to %(after)s, past the "
                "%(count)s existing serials of its products.",
                name=self.display_name,
                before=before,
                after=after,
                count=len(names),
            )
        else:
            message = self.env._(
                "The counter of %(name)s (next number %(after)s) is already past the "
                "%(count)s existing serials of its products.",
                name=self.display_name,
                after=after,
                count=len(names),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if after > before else "info",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _get_native_affixes(self, product):
        """Prefix and suffix for `product` with this module's codes written
        out and Odoo's date codes kept, so that ir.sequence alone renders
        them. A code the product cannot give (a location's, a missing
        reference) is left empty: the counter number keeps serials apart."""
        self.ensure_one()
        values = dict.fromkeys(CODE_PLACEHOLDERS, "")
        for key in self._get_pattern_placeholders() & set(CODE_PLACEHOLDERS):
            try:
                values.update(self._get_pattern_values(product=product, keys={key}))
            except UserError:
                continue
        mapping = KeepDatePlaceholders(values)
        return tuple(
            (text or "").replace("%%", "%%%%") % mapping
            for text in (self.prefix, self.suffix)
        )

    def _release_lot_sequences(self):
        """Uninstall: give the products drawing from these generators a plain
        ir.sequence of their own (module codes written out, counter position
        and date ranges kept), as Odoo renders it without this module; the
        check digit is left out, as Odoo cannot compute it."""
        Sequence = self.env["ir.sequence"].sudo()
        templates = (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("lot_sequence_id", "in", self.sequence_id.ids)])
        )
        for generator in self.sudo():
            by_affixes = {}
            for template in templates.filtered(
                lambda t, seq=generator.sequence_id: t.lot_sequence_id == seq
            ):
                key = generator._get_native_affixes(template.product_variant_id)
                by_affixes.setdefault(key, template.browse())
                by_affixes[key] |= template
            sequence = generator.sequence_id
            for (prefix, suffix), group in by_affixes.items():
                native = Sequence.create(
                    {
                        "name": "%s (%s)" % (generator.name, prefix or suffix or "-"),
                        # No code: next_by_code("stock.lot.serial") callers
                        # must keep finding Odoo's global serial sequence.
                        "code": False,
                        "implementation": "no_gap",
                        "prefix": prefix,
                        "suffix": suffix,
                        "padding": sequence.padding,
                        "number_increment": sequence.number_increment,
                        "number_next": sequence.number_next,
                        "use_date_range": sequence.use_date_range,
                        "company_id": sequence.company_id.id,
                        "date_range_ids": [
                            Command.create(
                                {
                                    "date_from": date_range.date_from,
                                    "date_to": date_range.date_to,
                                    "number_next": date_range.number_next,
                                }
                            )
                            for date_range in sequence.date_range_ids
                        ],
                    }
                )
                group.write({"lot_sequence_id": native.id})

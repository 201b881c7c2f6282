# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import uuid
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from psycopg2 import errors
from stdnum import ean, luhn
from stdnum.iso7064 import mod_37_36, mod_97_10

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.sql_db import Cursor
from odoo.tools import SQL

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


# Odoo's own ir.sequence date placeholders (plus range_ and current_ variants).
DATE_PLACEHOLDERS = {
    "year",
    "month",
    "day",
    "y",
    "doy",
    "woy",
    "weekday",
    "h24",
    "h12",
    "min",
    "sec",
    "isoyear",
    "isoy",
    "isoweek",
}
SEQUENCE_PLACEHOLDERS = (
    DATE_PLACEHOLDERS
    | {"range_" + key for key in DATE_PLACEHOLDERS}
    | {"current_" + key for key in DATE_PLACEHOLDERS}
)
# Placeholders this module adds, rendered from the allocation's records.
CODE_PLACEHOLDERS = (
    "product_code",
    "categ_code",
    "warehouse_code",
    "location_code",
    "company_code",
    "source",
)
SOURCE_CODES = {
    "purchase": "P",
    "opening": "O",
    "manufacture": "M",
    "block": "B",
    "manual": "X",
}
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")

CHECK_DIGITS = [
    ("none", "None"),
    ("luhn", "Luhn (mod 10)"),
    ("gs1", "GS1 mod 10"),
    ("mod_97_10", "ISO 7064 mod 97-10"),
    ("mod_37_36", "ISO 7064 mod 37-36 (alphanumeric)"),
]
CHECK_DIGIT_ALGORITHMS = {
    # key: (module computing the check characters, numeric only)
    "luhn": (luhn, True),
    "gs1": (ean, True),
    "mod_97_10": (mod_97_10, False),
    "mod_37_36": (mod_37_36, False),
}


def check_digit_payload(serial):
    """The characters a check digit covers: letters and digits, upper case;
    separators such as '-' or '/' are left out."""
    return "".join(char for char in serial.upper() if char.isalnum())


def add_check_characters(serials, check_digit):
    """Append the `check_digit` algorithm's check character(s) to each of
    `serials`. Needs no database; raises ValueError(serial) when a numeric
    algorithm meets a letter."""
    if not check_digit or check_digit == "none":
        return list(serials)
    module, numeric = CHECK_DIGIT_ALGORITHMS[check_digit]
    if check_digit == "mod_97_10":
        calc = module.calc_check_digits
    else:
        calc = module.calc_check_digit
    result = []
    for serial in serials:
        payload = check_digit_payload(serial)
        if numeric and not payload.isdigit():
            raise ValueError(serial)
        result.append(serial + calc(payload))
    return result


def render_frozen_serials(numbers, prefix, suffix, padding, check_digit):
    """Render counter `numbers` as prefix + zero-padded number + suffix +
    check character(s). Needs no database, so the serial block export can
    stream with it once the request's cursor is gone."""
    serials = ["%s%0*d%s" % (prefix, padding, number, suffix) for number in numbers]
    return add_check_characters(serials, check_digit)


class _KeepDatePlaceholders(dict):
    """Mapping that renders our codes and gives date placeholders back untouched,
    so that ir.sequence interpolates the dates afterwards."""

    def __missing__(self, key):
        if key in SEQUENCE_PLACEHOLDERS:
            return "%%(%s)s" % key
        raise KeyError(key)


class StockSerialGenerator(models.Model):
    _name = "stock.serial.generator"
    _description = "Serial Generator"
    _inherits = {"ir.sequence": "sequence_id"}
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "name, id"

    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Counter",
        required=True,
        ondelete="restrict",
        index=True,
        help="Sequence holding the counter of this generator.",
    )
    check_digit = fields.Selection(
        CHECK_DIGITS,
        default="none",
        required=True,
        tracking=True,
        help="Check character(s) appended to every serial. Luhn and GS1 need "
        "serials made of digits only.",
    )
    restart_period = fields.Selection(
        [("never", "Never"), ("year", "Every Year"), ("month", "Every Month")],
        string="Restart Counter",
        default="never",
        required=True,
        help="Start the counter again at 1 every year or month, through the "
        "counter's date ranges.",
    )
    last_serial = fields.Char(
        "Last Serial Issued",
        compute="_compute_last_serial",
        help="The last serial this generator's counter gave.",
    )
    padding_overflow = fields.Selection(
        [("refuse", "Refuse"), ("widen", "Allow Wider Serials")],
        default="refuse",
        required=True,
        tracking=True,
        help="When the counter outgrows the padding: refuse to issue more "
        "serials, or issue serials with more digits.",
    )
    preview_product_id = fields.Many2one(
        "product.product",
        string="Preview for Product",
        store=False,
        domain="[('tracking', '=', 'serial')]",
    )
    preview_location_id = fields.Many2one(
        "stock.location",
        string="Preview at Location",
        store=False,
        domain="[('usage', '=', 'internal')]",
    )
    preview_source = fields.Selection(
        [
            ("purchase", "Purchase"),
            ("opening", "Opening Stock"),
            ("manufacture", "Manufacture"),
            ("block", "Block"),
        ],
        store=False,
        default="purchase",
    )
    preview_serials = fields.Text(
        "Next Serials",
        compute="_compute_preview_serials",
        help="The next five serials, shown without taking any number.",
    )
    product_count = fields.Integer(compute="_compute_product_count")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        # Our counter is always reserved through a row lock on ir_sequence.
        res.setdefault("implementation", "no_gap")
        res.setdefault("padding", 6)
        res.setdefault("code", "stock.serial.generator")
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_next_number_vals(vals)
            vals["implementation"] = "no_gap"
            vals.setdefault("code", "stock.serial.generator")
            vals.setdefault("padding", 6)
            if "restart_period" in vals:
                vals["use_date_range"] = vals["restart_period"] != "never"
        generators = super().create(vals_list)
        for generator in generators:
            if generator.number_next > 1 and not generator.use_date_range:
                # Numbers below the first one are accounted for as passed over.
                generator._log_counter_move(1, generator.number_next)
        return generators

    def write(self, vals):
        self._check_next_number_vals(vals)
        if vals.get("implementation", "no_gap") != "no_gap":
            raise UserError(self.env._("A serial generator's counter must be gapless."))
        if "restart_period" in vals:
            vals["use_date_range"] = vals["restart_period"] != "never"
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_drawn(self):
        drawn = (
            self.env["stock.serial.draw"]
            .sudo()
            .search([("generator_id", "in", self.ids)])
            .generator_id
        )
        if drawn:
            raise UserError(
                self.env._(
                    "Serial generators that gave numbers cannot be deleted, as the "
                    "register explains their serials through them (%(names)s). "
                    "Archive them instead.",
                    names=", ".join(drawn.mapped("display_name")),
                )
            )

    def unlink(self):
        sequences = self.sequence_id
        res = super().unlink()
        sequences.unlink()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for generator, vals in zip(self, vals_list, strict=True):
            vals["name"] = self.env._("%(name)s (copy)", name=generator.name)
            vals.pop("sequence_id", None)
            vals["number_next"] = 1
        return vals_list

    def _compute_product_count(self):
        groups = self.env["product.template"]._read_group(
            [("serial_generator_id", "in", self.ids)],
            ["serial_generator_id"],
            ["__count"],
        )
        counts = {generator.id: count for generator, count in groups}
        for generator in self:
            generator.product_count = counts.get(generator.id, 0)

    # ------------------------------------------------------------------
    # Pattern checks
    # ------------------------------------------------------------------
    @api.constrains("prefix", "suffix", "check_digit")
    def _check_pattern(self):
        for generator in self:
            errors = []
            for label, text in (
                (self.env._("prefix"), generator.prefix),
                (self.env._("suffix"), generator.suffix),
            ):
                errors += generator._pattern_errors(label, text or "")
            if errors:
                raise ValidationError(
                    self.env._(
                        "Serial generator %(name)s has an invalid pattern:\n%(errors)s",
                        name=generator.name,
                        errors="\n".join(errors),
                    )
                )

    def _pattern_errors(self, label, text):
        """Return the error lines of one pattern text (unknown or malformed
        placeholders, letters where the check digit needs digits)."""
        errors = []
        known = SEQUENCE_PLACEHOLDERS | set(CODE_PLACEHOLDERS)
        unknown = [key for key in PLACEHOLDER_RE.findall(text) if key not in known]
        for key in unknown:
            errors.append(
                self.env._(
                    "- %(label)s: unknown placeholder %%(%(key)s)s",
                    label=label,
                    key=key,
                )
            )
        # Whatever '%' is left once valid placeholders are removed is malformed.
        stripped = PLACEHOLDER_RE.sub("", text).replace("%%", "")
        if "%" in stripped:
            fragment = stripped[stripped.index("%") :][:12]
            errors.append(
                self.env._(
                    "- %(label)s: malformed placeholder near “%(fragment)s”",
                    label=label,
                    fragment=fragment,
                )
            )
        if self.check_digit in ("luhn", "gs1"):
            literal = PLACEHOLDER_RE.sub("", text).replace("%%", "")
            if any(char.isalpha() for char in literal):
                errors.append(
                    self.env._(
                        "- %(label)s: “%(text)s” has letters, which the "
                        "%(algorithm)s check digit cannot take",
                        label=label,
                        text=text,
                        algorithm=self.check_digit,
                    )
                )
        return errors

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    def _get_pattern_placeholders(self):
        self.ensure_one()
        return set(PLACEHOLDER_RE.findall((self.prefix or "") + (self.suffix or "")))

    def _get_pattern_values(
        self, product=None, location=None, source=None, company=None, keys=None
    ):
        """Return the codes this generator's pattern needs (or only `keys`),
        read from the allocation's records. Raise a UserError naming every
        missing code."""
        self.ensure_one()
        used = self._get_pattern_placeholders() & set(keys or CODE_PLACEHOLDERS)
        company = company or (location and location.company_id) or self.company_id
        company = company or self.env.company
        warehouse = location.warehouse_id if location else False
        if not warehouse and "warehouse_code" in used:
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
        candidates = {
            "product_code": (product, "default_code", self.env._("Internal Reference")),
            "categ_code": (
                product and product.categ_id,
                "serial_code",
                self.env._("Serial Code"),
            ),
            "warehouse_code": (warehouse, "code", self.env._("Short Name")),
            "location_code": (location, "barcode", self.env._("Barcode")),
            "company_code": (company, "serial_company_code", self.env._("Serial Code")),
        }
        values, missing = {}, []
        for key in sorted(used):
            if key == "source":
                values[key] = SOURCE_CODES.get(source or "manual", "X")
                continue
            record, field_name, label = candidates[key]
            value = record and record[field_name]
            if value:
                values[key] = value.replace("%", "%%")
            elif record:
                missing.append(
                    self.env._(
                        "- %(record)s has no %(label)s (needed for %%(%(key)s)s)",
                        record=record.display_name,
                        label=label,
                        key=key,
                    )
                )
            else:
                missing.append(
                    self.env._(
                        "- %%(%(key)s)s needs a %(what)s",
                        key=key,
                        what=key.split("_")[0],
                    )
                )
        if missing:
            raise UserError(
                self.env._(
                    "Serial generator %(name)s cannot render its pattern:\n%(lines)s",
                    name=self.display_name,
                    lines="\n".join(missing),
                )
            )
        return values

    def _get_affixes(self, values, sequence_date=None, date_range=None):
        """Render prefix and suffix: our codes first, then ir.sequence's dates."""
        self.ensure_one()
        mapping = _KeepDatePlaceholders(values)
        # A literal '%%' must survive this first pass as '%%' for the second one.
        draft = self.sequence_id.new(
            {
                "name": self.name,
                "prefix": (self.prefix or "").replace("%%", "%%%%") % mapping,
                "suffix": (self.suffix or "").replace("%%", "%%%%") % mapping,
            }
        )
        return draft._get_prefix_suffix(date=sequence_date, date_range=date_range)

    def _check_digit_payload(self, serial):
        """The characters the check digit covers: letters and digits, upper
        case; separators such as '-' or '/' are left out."""
        return check_digit_payload(serial)

    def _add_check_digit(self, serial, algorithm=None):
        """Append the check character(s) of `algorithm` (default: this
        generator's) to `serial`."""
        self.ensure_one()
        algorithm = algorithm or self.check_digit
        try:
            return add_check_characters([serial], algorithm)[0]
        except ValueError:
            raise UserError(
                self.env._(
                    "Serial %(serial)s of generator %(name)s has letters; its "
                    "%(algorithm)s check digit needs digits only.",
                    serial=serial,
                    name=self.display_name,
                    algorithm=algorithm,
                )
            ) from None

    def _is_valid_check_digit(self, serial):
        """True when `serial` ends with the check character(s) its body gives."""
        self.ensure_one()
        if self.check_digit == "none":
            return True
        width = 2 if self.check_digit == "mod_97_10" else 1
        body = serial[:-width]
        if not self._check_digit_payload(body):
            return False
        try:
            return self._add_check_digit(body) == serial
        except (UserError, ValueError):
            return False

    def _render_serials(self, numbers, values, sequence_date=None, date_range=None):
        """Render serial names for counter `numbers` with the pattern values."""
        self.ensure_one()
        prefix, suffix = self._get_affixes(values, sequence_date, date_range)
        return self._render_frozen(prefix, suffix, numbers)

    def _check_padding(self, last_number, padding=None):
        """Refuse a number wider than the padding, unless the generator allows
        wider serials."""
        padding = self.padding if padding is None else padding
        if padding and self.padding_overflow == "refuse" and last_number >= 10**padding:
            raise UserError(
                self.env._(
                    "Generator %(name)s has run out of %(padding)s-digit numbers: "
                    "number %(number)s needs %(width)s digits. Widen its padding, "
                    "or let it issue wider serials (Padding Overflow).",
                    name=self.display_name,
                    padding=padding,
                    number=last_number,
                    width=len(str(last_number)),
                )
            )

    def _render_frozen(self, prefix, suffix, numbers, padding=None, check_digit=None):
        """Render counter `numbers` between an already rendered `prefix` and
        `suffix`, with `padding` and the `check_digit` algorithm (default: the
        generator's own). Serial blocks render their frozen pattern with it."""
        self.ensure_one()
        padding = self.padding if padding is None else padding
        check_digit = check_digit or self.check_digit
        if numbers:
            self._check_padding(max(numbers), padding)
        try:
            return render_frozen_serials(numbers, prefix, suffix, padding, check_digit)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Serial %(serial)s of generator %(name)s has letters; its "
                    "%(algorithm)s check digit needs digits only.",
                    serial=error.args[0],
                    name=self.display_name,
                    algorithm=check_digit,
                )
            ) from None

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
        if self.restart_period == "month":
            first = fields.Date.to_date(sequence_date).replace(day=1)
            return (
                self.env["ir.sequence.date_range"]
                .sudo()
                .create(
                    {
                        "sequence_id": sequence.id,
                        "date_from": first,
                        "date_to": first + relativedelta(months=1, days=-1),
                    }
                )
            )
        return sequence.sudo()._create_date_range_seq(sequence_date)

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

    def _reserve_numbers(self, count, sequence_date=None, entry_point="allocation"):
        """Take `count` numbers (see `_draw_numbers`); return (numbers, draw)."""
        draw = self._draw_numbers(count, sequence_date, entry_point)
        return draw.numbers(), draw

    def _next_serials(
        self,
        count,
        product=None,
        location=None,
        source=None,
        sequence_date=None,
        entry_point="sequence",
    ):
        """Take and render `count` serials in one draw."""
        self.ensure_one()
        values = self._get_pattern_values(product, location, source)

        def render(draw):
            return self._render_serials(
                draw.numbers(), values, sequence_date, draw.period_start
            )

        draw = self._draw_numbers(
            count, sequence_date, entry_point, render, product, source
        )
        return draw.names

    def _compute_last_serial(self):
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT DISTINCT ON (generator_id) generator_id, last_serial "
                    "FROM stock_serial_draw WHERE generator_id IN %s "
                    "AND last_serial IS NOT NULL ORDER BY generator_id, id DESC",
                    tuple(self.ids) or (0,),
                )
            )
        )
        for generator in self:
            generator.last_serial = rows.get(generator.id, False)

    def _preview_serials(self, count=5, product=None, location=None, source=None):
        self.ensure_one()
        values = self._get_pattern_values(product, location, source)
        counter = self._get_counter(create=False)
        date_range = counter.date_from if counter and "date_from" in counter else None
        return self._render_serials(
            self._peek_numbers(count), values, date_range=date_range
        )

    @api.depends(
        "prefix",
        "suffix",
        "padding",
        "number_increment",
        "number_next_actual",
        "check_digit",
        "padding_overflow",
        "restart_period",
        "preview_product_id",
        "preview_location_id",
        "preview_source",
    )
    def _compute_preview_serials(self):
        for generator in self:
            try:
                generator.preview_serials = "\n".join(
                    generator._preview_serials(
                        5,
                        generator.preview_product_id,
                        generator.preview_location_id,
                        generator.preview_source,
                    )
                )
            except (
                UserError,
                ValidationError,
                ValueError,
                TypeError,
                KeyError,
            ) as error:
                generator.preview_serials = str(error.args[0] if error.args else error)

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

        def to_regex(text):
            return ".+?".join(re.escape(part) for part in text.split(marker))

        width = {"none": 0, "mod_97_10": 2}.get(self.check_digit, 1)
        return re.compile(
            r"^%s(\d+)%s.{%d}$" % (to_regex(prefix), to_regex(suffix), width)
        )

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

    def _get_serial_products(self):
        """Templates of the serial products whose serials this generator gives
        (their own, their category's or the company's default generator)."""
        self.ensure_one()
        templates = (
            self.env["product.template"]
            .with_context(active_test=False)
            .search(
                [
                    ("tracking", "=", "serial"),
                    ("serial_generator_id", "in", [self.id, False]),
                ]
            )
        )
        return templates.filtered(lambda tmpl: tmpl._get_serial_generator() == self)

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
        mapping = _KeepDatePlaceholders(values)
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

    def action_counter_audit(self):
        """List the numbers of the counter the register does not explain."""
        self.ensure_one()
        return self.env["stock.serial.counter.audit"]._open_for(self)

    def action_view_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.product_template_action_product"
        )
        action["domain"] = [("serial_generator_id", "=", self.id)]
        action["context"] = {"default_serial_generator_id": self.id}
        return action

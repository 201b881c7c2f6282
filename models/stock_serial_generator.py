# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from dateutil.relativedelta import relativedelta
from stdnum import ean, luhn
from stdnum.iso7064 import mod_37_36, mod_97_10

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Odoo's own ir.sequence date placeholders (plus range_ and current_ variants).
DATE_PLACEHOLDERS = {
    "year", "month", "day", "y", "doy", "woy", "weekday", "h24", "h12",
    "min", "sec", "isoyear", "isoy", "isoweek",
}  # fmt: skip
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
        readonly=True,
        copy=False,
        help="The last serial this generator rendered for an allocation.",
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
            vals["implementation"] = "no_gap"
            vals.setdefault("code", "stock.serial.generator")
            vals.setdefault("padding", 6)
            if "restart_period" in vals:
                vals["use_date_range"] = vals["restart_period"] != "never"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("implementation", "no_gap") != "no_gap":
            raise UserError(self.env._("A serial generator's counter must be gapless."))
        if "restart_period" in vals:
            vals["use_date_range"] = vals["restart_period"] != "never"
        return super().write(vals)

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

    def _render_frozen(self, prefix, suffix, numbers, padding=None, check_digit=None):
        """Render counter `numbers` between an already rendered `prefix` and
        `suffix`, with `padding` and the `check_digit` algorithm (default: the
        generator's own). Serial blocks render their frozen pattern with it."""
        self.ensure_one()
        padding = self.padding if padding is None else padding
        check_digit = check_digit or self.check_digit
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

    def _reserve_range(self, count, sequence_date=None):
        """Take `count` consecutive numbers with one locked UPDATE, whatever
        `count`, and return (first number, step, counter): the numbers are
        ``first + i * step`` for i in range(count). Concurrent transactions
        wait on the row lock and then fail to serialize, so no number is ever
        handed out twice."""
        self.ensure_one()
        if count <= 0:
            raise UserError(
                self.env._("The number of serials to reserve must be positive.")
            )
        counter = self._get_counter(sequence_date)
        step = self.number_increment or 1
        counter.flush_recordset(["number_next"])
        [(new_next,)] = self.env.execute_query(
            SQL(
                "UPDATE %s SET number_next = number_next + %s WHERE id = %s "
                "RETURNING number_next",
                SQL.identifier(counter._table),
                count * step,
                counter.id,
            )
        )
        # Also drop the values cached through the generator's delegated fields.
        counter.invalidate_recordset(["number_next", "number_next_actual"])
        self.invalidate_recordset(["number_next", "number_next_actual"])
        return new_next - count * step, step, counter

    def _reserve_numbers(self, count, sequence_date=None):
        """Take `count` consecutive numbers (see `_reserve_range`) and return
        (numbers, counter)."""
        first, step, counter = self._reserve_range(count, sequence_date)
        return [first + i * step for i in range(count)], counter

    def _next_serials(
        self, count, product=None, location=None, source=None, sequence_date=None
    ):
        """Reserve and render `count` serials; the service's generate method."""
        self.ensure_one()
        values = self._get_pattern_values(product, location, source)
        numbers, counter = self._reserve_numbers(count, sequence_date)
        date_range = (
            counter.date_from if counter._name == "ir.sequence.date_range" else None
        )
        serials = self._render_serials(numbers, values, sequence_date, date_range)
        self.sudo().last_serial = serials[-1]
        return serials

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

    def _check_next_number(self, counters, new_next):
        """Refuse to move a counter back to or below a number already issued."""
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
        [(number_next,)] = self.env.execute_query(
            SQL(
                "UPDATE %s SET number_next = GREATEST(number_next, %s) WHERE id = %s "
                "RETURNING number_next",
                SQL.identifier(counter._table),
                highest + 1,
                counter.id,
            )
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

    def action_view_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.product_template_action_product"
        )
        action["domain"] = [("serial_generator_id", "=", self.id)]
        action["context"] = {"default_serial_generator_id": self.id}
        return action

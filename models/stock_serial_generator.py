# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .stock_serial_draw import (
    NAMED_ENTRY_POINTS,
    SerialShare,
    SerialTake,
)
from .stock_serial_format import (
    CHECK_DIGITS,
    CODE_PLACEHOLDERS,
    PLACEHOLDER_RE,
    SEQUENCE_PLACEHOLDERS,
    SOURCE_CODES,
    CheckDigitError,
    KeepDatePlaceholders,
    SerialFormat,
    add_check_characters,
    check_digit_width,
    is_valid_check_digit,
)
from .stock_serial_gs1 import (
    GS1_SERIAL_MAX_LENGTH,
    SGTIN96_MAX_SERIAL,
    gs1_serial_problems,
    sgtin96_serial_problems,
)

# Codes read from the records serials are allocated for.
RECORD_CODE_PLACEHOLDERS = tuple(key for key in CODE_PLACEHOLDERS if key != "source")

# Odoo's own serial screens (the Generate dialog, the manufacturing order's
# serial dialog, a lot named from its product's sequence) reach the generator
# through core methods whose signatures carry no product (generate_lot_names,
# ir.sequence._next and get_next_char): these context keys tell it what the
# serials are rendered for, and that generated lot names take numbers.
CONTEXT_KEYS = {
    "product": "serial_product_id",
    "location": "serial_location_id",
    "source": "serial_source",
    "reserve": "serial_reserve_lot_names",
}

# The fields a generator's next serials depend on.
SERIAL_FORMAT_FIELDS = (
    "prefix",
    "suffix",
    "padding",
    "number_increment",
    "number_next_actual",
    "check_digit",
    "padding_overflow",
    "restart_period",
)


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
    next_number = fields.Integer(
        "Next Number Today",
        compute="_compute_next_serial",
        help="The number the counter gives next today: with a yearly or monthly "
        "restart, the next number of the current period.",
    )
    next_serial = fields.Char(
        compute="_compute_next_serial",
        help="The serial the counter gives next today. The codes of records "
        "(product, category, location...) are shown as their placeholders, "
        "and a check character computed over them as ?.",
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
    gs1_compliant = fields.Boolean(
        "GS1 Compliant",
        tracking=True,
        help="Give only serials that GS1 barcodes (GS1-128, GS1 DataMatrix, GS1 "
        "QR Code) can carry as serial number, AI (21): at most 20 characters, "
        "all of GS1's character set 82 (letters, digits and ! \" % & ' ( ) * + "
        ", - . / : ; < = > ? _; no space). The pattern is checked on save, the "
        "serials themselves (with the product, category or location codes) "
        "when they are allocated.",
    )
    rfid_sgtin96 = fields.Boolean(
        "RFID (SGTIN-96)",
        tracking=True,
        help="Give only serials that an SGTIN-96 RFID tag can carry: digits "
        "only, no leading zero, at most 274,877,906,943. Checked like GS1 "
        "Compliant.",
    )

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

    @api.constrains(
        "prefix",
        "suffix",
        "padding",
        "padding_overflow",
        "check_digit",
        "restart_period",
        "gs1_compliant",
        "rfid_sgtin96",
    )
    def _check_serial_standards(self):
        """The serials the pattern renders (the lowest and the highest number
        it gives, today's dates, record codes left out as they are known only
        when allocating) must meet the generator's GS1 and RFID options."""
        for generator in self.filtered(lambda g: g.gs1_compliant or g.rfid_sgtin96):
            errors = generator._get_serial_standard_errors(
                generator._get_standard_samples()
            )
            if generator.rfid_sgtin96 and generator.check_digit == "mod_37_36":
                errors.append(
                    self.env._(
                        "its ISO 7064 mod 37-36 check character can be a letter, "
                        "which RFID (SGTIN-96) serials cannot hold"
                    )
                )
            errors = ["- " + error for error in errors]
            if errors and generator._get_pattern_placeholders() & set(
                RECORD_CODE_PLACEHOLDERS
            ):
                errors.append(
                    self.env._(
                        "(The codes of records are written 1 here; the serials "
                        "they give are checked when allocated.)"
                    )
                )
            if errors:
                raise ValidationError(
                    self.env._(
                        "Serial generator %(name)s gives serials its options refuse:"
                        "\n%(errors)s",
                        name=generator.name,
                        errors="\n".join(errors),
                    )
                )

    def _get_standard_samples(self):
        """The serials of the lowest and the highest number the counter gives
        (as wide as the padding, or the next number when wider) in today's
        format. The codes of records, known when allocating, are written 1:
        a code has one character at least, and digits are what RFID needs;
        the source code is a letter."""
        self.ensure_one()
        values = dict.fromkeys(RECORD_CODE_PLACEHOLDERS, "1")
        values["source"] = SOURCE_CODES["manual"]
        prefix, suffix = self._get_affixes(values)
        serial_format = SerialFormat(prefix, suffix, self.padding, self.check_digit)
        # Restarted counters start again at 1.
        [lowest] = [1] if self.restart_period != "never" else self._peek_numbers(1)
        width = max(self.padding, len(str(lowest)))
        try:
            return serial_format.render(dict.fromkeys([lowest, 10**width - 1]))
        except CheckDigitError:
            # Letters under a numeric check digit: _check_pattern says so.
            return []

    def _get_serial_standard_errors(self, names):
        """Errors naming every one of `names` that the generator's GS1
        Compliant and RFID (SGTIN-96) options refuse, one per problem."""
        self.ensure_one()
        offending = defaultdict(list)
        outside = set()
        for name in names:
            problems = {}
            if self.gs1_compliant:
                problems.update(gs1_serial_problems(name))
            if self.rfid_sgtin96:
                problems.update(sgtin96_serial_problems(name))
            for problem, detail in problems.items():
                offending[problem].append(name)
                if problem == "charset":
                    outside.update(detail)
        messages = {
            "charset": self.env._(
                "characters outside GS1's character set 82 (%(chars)s)",
                chars=" ".join(repr(char) for char in sorted(outside)),
            ),
            "length": self.env._(
                "more than the %(max)s characters of a GS1 serial number (AI 21)",
                max=GS1_SERIAL_MAX_LENGTH,
            ),
            "digits": self.env._("not only digits, as RFID (SGTIN-96) serials are"),
            "leading_zero": self.env._(
                "a leading zero, which RFID (SGTIN-96) serials cannot have"
            ),
            "too_big": self.env._(
                "a value above %(max)s, the highest RFID (SGTIN-96) serial",
                max=f"{SGTIN96_MAX_SERIAL:,}",
            ),
        }
        return [
            self.env._(
                "%(serials)s: %(problem)s",
                serials=", ".join(offending[problem]),
                problem=messages[problem],
            )
            for problem in messages
            if offending[problem]
        ]

    def _check_serial_names(self, names):
        """Refuse `names` the GS1 and RFID options refuse, naming them all."""
        self.ensure_one()
        errors = self._get_serial_standard_errors(names)
        if errors:
            raise UserError(
                self.env._(
                    "Generator %(name)s cannot give these serials:\n%(errors)s",
                    name=self.display_name,
                    errors="\n".join("- " + error for error in errors),
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
    # The serial format
    # ------------------------------------------------------------------
    @api.model
    def _get_serial_context(self, product, location, source, reserve=False):
        """The context Odoo's own serial screens are called with."""
        context = {
            CONTEXT_KEYS["product"]: product.id,
            CONTEXT_KEYS["location"]: location.id,
            CONTEXT_KEYS["source"]: source,
        }
        if reserve:
            context[CONTEXT_KEYS["reserve"]] = True
        return context

    @api.model
    def _get_context_records(self):
        """(product, location, source) of `_get_serial_context`, read back."""
        context = self.env.context
        return (
            self.env["product.product"].browse(context.get(CONTEXT_KEYS["product"])),
            self.env["stock.location"].browse(context.get(CONTEXT_KEYS["location"])),
            context.get(CONTEXT_KEYS["source"]),
        )

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
        mapping = KeepDatePlaceholders(values)
        # A literal '%%' must survive this first pass as '%%' for the second one.
        draft = self.sequence_id.new(
            {
                "name": self.name,
                "prefix": (self.prefix or "").replace("%%", "%%%%") % mapping,
                "suffix": (self.suffix or "").replace("%%", "%%%%") % mapping,
            }
        )
        return draft._get_prefix_suffix(date=sequence_date, date_range=date_range)

    def _get_period_start(self, sequence_date=None):
        """First day of the counter's current period, or None (no restart, or
        the period has no counter yet)."""
        self.ensure_one()
        counter = self._get_counter(sequence_date, create=False)
        if counter and counter._name == "ir.sequence.date_range":
            return counter.date_from
        return None

    def _get_serial_format(
        self,
        product=None,
        location=None,
        source=None,
        company=None,
        sequence_date=None,
        period_start=False,
    ):
        """The `SerialFormat` of the serials this generator gives for these
        records and date, in the counter period starting on `period_start`
        (default: the current one). Raise a UserError naming every code the
        pattern needs and the records lack."""
        self.ensure_one()
        values = self._get_pattern_values(product, location, source, company)
        return self._build_serial_format(values, sequence_date, period_start)

    def _build_serial_format(self, values, sequence_date=None, period_start=False):
        """The `SerialFormat` of pattern `values` (see `_get_pattern_values`)."""
        self.ensure_one()
        if period_start is False:
            period_start = self._get_period_start(sequence_date)
        prefix, suffix = self._get_affixes(values, sequence_date, period_start)
        return SerialFormat(prefix, suffix, self.padding, self.check_digit)

    def _render_serials(self, serial_format, numbers):
        """`serial_format.render(numbers)`, refusing numbers wider than the
        padding (unless allowed) and letters a numeric check digit cannot take."""
        self.ensure_one()
        if numbers:
            self._check_padding(max(numbers), serial_format.padding)
        try:
            return serial_format.render(numbers)
        except CheckDigitError as error:
            self._raise_check_digit_letters(error.args[0])

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

    def _add_check_digit(self, serial):
        """`serial` with this generator's check character(s) appended."""
        self.ensure_one()
        try:
            return add_check_characters([serial], self.check_digit)[0]
        except CheckDigitError:
            self._raise_check_digit_letters(serial)

    def _raise_check_digit_letters(self, serial):
        raise UserError(
            self.env._(
                "Serial %(serial)s of generator %(name)s has letters; its "
                "%(algorithm)s check digit needs digits only.",
                serial=serial,
                name=self.display_name,
                algorithm=self.check_digit,
            )
        ) from None

    def _is_valid_check_digit(self, serial):
        """True when `serial` ends with the check character(s) its body gives."""
        self.ensure_one()
        return is_valid_check_digit(serial, self.check_digit)

    def _peek_serials(self, count, serial_format=None, offset=0):
        """The serials of the counter's next `count` numbers after `offset`
        numbers, without taking them (default format: no record codes)."""
        self.ensure_one()
        serial_format = serial_format or self._get_serial_format()
        numbers = self._peek_numbers(offset + count)[offset:]
        return self._render_serials(serial_format, numbers)

    def _take_serials(
        self,
        shares,
        source=None,
        entry_point="allocation",
        sequence_date=None,
        start=None,
    ):
        """Take the numbers of `shares` (`SerialShare`: a count and the records
        its format is built for) in one draw of the counter; return a
        `SerialTake`. The formats are checked before the counter moves, then
        built again for the period the numbers were drawn in. The draw keeps
        every serial for the entry points that name lots later, else the
        first and the last one."""
        self.ensure_one()
        generator = self.sudo()
        for share in shares:
            self._check_draw_count(share.count)
        total = sum(share.count for share in shares)
        # Read before the counter is locked: a missing code fails here.
        values_list = [
            generator._get_pattern_values(
                share.product, share.location, source, share.company
            )
            for share in shares
        ]
        formats = [
            generator._build_serial_format(values, sequence_date)
            for values in values_list
        ]
        for serial_format in formats:
            generator._render_serials(serial_format, [0])
        # Refused before the counter moves, as the counter stands.
        generator._check_share_serials(formats, shares, sequence_date=sequence_date)

        def render(draw):
            formats[:] = [
                generator._build_serial_format(values, sequence_date, draw.period_start)
                for values in values_list
            ]
            if entry_point in NAMED_ENTRY_POINTS:
                names = SerialTake(draw, tuple(formats), shares).names()
                generator._check_serial_names(names)
                return names
            if generator.gs1_compliant or generator.rfid_sgtin96:
                # Listing the numbers of a block of millions takes time.
                generator._check_share_serials(formats, shares, draw.numbers())
            first, last = draw.bounds()
            return generator._render_serials(formats[0], [first]) + (
                generator._render_serials(formats[-1], [last])
            )

        draw = generator._draw_numbers(
            total,
            sequence_date,
            entry_point,
            render,
            shares[0].product if shares else None,
            source,
            start,
        )
        return SerialTake(draw, tuple(formats), tuple(shares))

    def _check_share_serials(self, formats, shares, numbers=None, sequence_date=None):
        """Refuse the serials of `numbers` (default: the counter's next ones)
        for `shares` in their `formats` that the GS1 and RFID options refuse.
        Within a share only the counter number changes, so its first and last
        serial tell (the allocation service checked every serial before)."""
        self.ensure_one()
        if not (self.gs1_compliant or self.rfid_sgtin96):
            return
        if numbers is None:
            total = sum(share.count for share in shares)
            numbers = self._peek_numbers(total, sequence_date)
        names, start = [], 0
        for serial_format, share in zip(formats, shares, strict=True):
            part = numbers[start : start + share.count]
            start += share.count
            names += self._render_serials(serial_format, [part[0], part[-1]])
        self._check_serial_names(list(dict.fromkeys(names)))

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
        share = SerialShare(count, product, location, None)
        take = self._take_serials([share], source, entry_point, sequence_date)
        return take.draw.names if entry_point in NAMED_ENTRY_POINTS else take.names()

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

    @api.depends(*SERIAL_FORMAT_FIELDS)
    def _compute_next_serial(self):
        for generator in self:
            [generator.next_number] = generator._peek_numbers(1)
            generator.next_serial = generator._get_next_serial_shown()

    def _get_next_serial_shown(self):
        """The next serial of today, record codes shown as placeholders."""
        self.ensure_one()
        codes = self._get_pattern_placeholders() & set(CODE_PLACEHOLDERS)
        # Escaped: the date codes are rendered after the record codes.
        values = {key: "%%%%(%s)s" % key for key in codes}
        try:
            serial_format = self._build_serial_format(values)
            if not codes:
                return self._peek_serials(1, serial_format)[0]
            width = check_digit_width(self.check_digit)
            serial_format = serial_format._replace(check_digit="none")
            return self._peek_serials(1, serial_format)[0] + "?" * width
        except (UserError, ValidationError, ValueError, TypeError, KeyError):
            return False

    def _preview_serials(self, count=5, product=None, location=None, source=None):
        self.ensure_one()
        serial_format = self._get_serial_format(product, location, source)
        return self._peek_serials(count, serial_format)

    @api.depends(
        *SERIAL_FORMAT_FIELDS,
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

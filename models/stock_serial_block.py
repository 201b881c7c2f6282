# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .stock_serial_allocation import SERVICE_KEY, SerialRequest
from .stock_serial_generator import (
    CHECK_DIGITS,
    add_check_characters,
    render_frozen_serials,
)

# Context key set by the block's own code: the facts of a block (its range and
# frozen pattern) cannot be written from anywhere else.
BLOCK_KEY = "serial_block_service"
# Serials returned by one api_get_serials call, at most.
MAX_API_PAGE = 100000
CHECK_DIGIT_WIDTH = {"none": 0, "luhn": 1, "gs1": 1, "mod_97_10": 2, "mod_37_36": 1}
OPEN_STATES = ("reserved", "in_use")
MANAGER_GROUP = "stock_serial_allocation.group_serial_allocation_manager"
USER_GROUP = "stock_serial_allocation.group_serial_allocation_user"


class StockSerialBlock(models.Model):
    """A contiguous range of a generator's counter, reserved for a holder that
    applies the serials outside Odoo (a label printer, a subcontractor, a
    field-service app, another site's system).

    Reserving takes the whole range with one locked update of the counter and
    stores no per-serial row: the serials are rendered from the range, with
    the pattern (date, company, warehouse and product codes, padding, check
    digit) frozen at reservation. Lots exist only for the serials used.
    """

    _name = "stock.serial.block"
    _description = "Serial Block"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "reservation_date desc, id desc"
    _rec_names_search = ["name", "holder_name", "first_serial", "last_serial"]

    name = fields.Char("Reference", readonly=True, copy=False, index=True, default="/")
    generator_id = fields.Many2one(
        "stock.serial.generator",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    holder_name = fields.Char(
        "Holder",
        required=True,
        tracking=True,
        help="Who applies these serials: a production line's label printer, a "
        "subcontractor, a field-service app, another site's system.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Holder Partner",
        check_company=True,
        tracking=True,
        help="The holder's partner (e.g. the subcontractor), stored on the lots "
        "reported used as their vendor.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Holder Warehouse",
        check_company=True,
        tracking=True,
        help="The warehouse the holder works for; its code is frozen into the "
        "serials when the pattern uses %(warehouse_code)s.",
    )
    holder_user_id = fields.Many2one(
        "res.users",
        string="API User",
        tracking=True,
        help="The holder system's Odoo user (group Serial Block Holder): it may "
        "read this block, fetch its serials and report their usage.",
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        index="btree_not_null",
        domain="[('tracking', '=', 'serial')]",
        help="Reserve the block for one product (needed when the pattern uses "
        "%(product_code)s). Reported usage creates lots of this product.",
    )
    size = fields.Integer(
        required=True, default=1000, help="Number of serials reserved."
    )
    reservation_date = fields.Datetime(
        readonly=True, default=fields.Datetime.now, copy=False
    )
    state = fields.Selection(
        [
            ("reserved", "Reserved"),
            ("in_use", "In Use"),
            ("exhausted", "Exhausted"),
            ("released", "Released"),
        ],
        default="reserved",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    # The range and the pattern frozen at reservation.
    first_number = fields.Integer("First Counter Value", readonly=True, copy=False)
    last_number = fields.Integer("Last Counter Value", readonly=True, copy=False)
    step = fields.Integer(readonly=True, default=1, copy=False)
    prefix = fields.Char("Frozen Prefix", readonly=True, copy=False)
    suffix = fields.Char("Frozen Suffix", readonly=True, copy=False)
    padding = fields.Integer(readonly=True, copy=False)
    check_digit = fields.Selection(
        CHECK_DIGITS,
        readonly=True,
        default="none",
        copy=False,
    )
    first_serial = fields.Char(readonly=True, copy=False, index="btree_not_null")
    last_serial = fields.Char(readonly=True, copy=False)
    draw_token = fields.Char(readonly=True, copy=False, index="btree_not_null")
    # Usage.
    next_offset = fields.Integer(
        "Next Unused Position",
        readonly=True,
        copy=False,
        help="Position (from 0) of the next serial that allocations from this "
        "block take; every serial before it is used.",
    )
    used_count = fields.Integer("Used", readonly=True, copy=False)
    voided_count = fields.Integer(
        "Voided",
        readonly=True,
        copy=False,
        help="Serials voided when the block was released: never issued again.",
    )
    remaining_count = fields.Integer("Remaining", compute="_compute_remaining_count")
    release_reason = fields.Text(readonly=True, copy=False, tracking=True)
    release_date = fields.Datetime(readonly=True, copy=False)
    allocation_ids = fields.One2many(
        "stock.serial.allocation", "block_id", string="Allocations", readonly=True
    )
    allocation_count = fields.Integer(compute="_compute_allocation_count")

    _size_positive = models.Constraint(
        "CHECK (size > 0)", "A serial block holds at least one serial."
    )
    _usage_in_range = models.Constraint(
        "CHECK (used_count >= 0 AND voided_count >= 0 "
        "AND used_count + voided_count <= size "
        "AND next_offset >= 0 AND next_offset <= size)",
        "A serial block cannot use more serials than it holds.",
    )

    # Fields that may change after reservation, by anybody allowed to write.
    _writable_fields = {
        "holder_name",
        "partner_id",
        "holder_user_id",
        "message_main_attachment_id",
        "message_follower_ids",
    }

    @api.depends("size", "used_count", "voided_count")
    def _compute_remaining_count(self):
        for block in self:
            block.remaining_count = block.size - block.used_count - block.voided_count

    def _compute_allocation_count(self):
        groups = self.env["stock.serial.allocation"]._read_group(
            [("block_id", "in", self.ids)], ["block_id"], ["__count"]
        )
        counts = {block.id: count for block, count in groups}
        for block in self:
            block.allocation_count = counts.get(block.id, 0)

    @api.depends("name", "holder_name")
    def _compute_display_name(self):
        for block in self:
            if block.holder_name and block.name != "/":
                block.display_name = "%s (%s)" % (block.name, block.holder_name)
            else:
                block.display_name = block.name or block.holder_name

    # ------------------------------------------------------------------
    # Reservation
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """Creating a block reserves its range: one locked update of the
        generator's counter per block, whatever its size."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only serial allocation managers can reserve blocks.")
            )
        Generator = self.env["stock.serial.generator"]
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            generator = Generator.browse(vals.get("generator_id"))
            vals.update(self._prepare_reservation_vals(generator, vals))
            vals["name"] = sequence.next_by_code("stock.serial.block") or "/"
        blocks = super(StockSerialBlock, self.with_context(**{BLOCK_KEY: True})).create(
            vals_list
        )
        return blocks.with_env(self.env)

    @api.model
    def _prepare_reservation_vals(self, generator, vals):
        """Reserve the range of one block and return its frozen values.

        The pattern is rendered first (a missing code fails before the counter
        moves), then ``generator._reserve_range`` takes the numbers."""
        size = vals.get("size") or 0
        if isinstance(size, float) and size.is_integer():
            size = int(size)
        if not generator:
            raise UserError(self.env._("Choose the generator of the serial block."))
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise UserError(
                self.env._(
                    "A serial block's size must be a whole number of at least 1, not "
                    "%(size)r.",
                    size=size,
                )
            )
        if not (vals.get("holder_name") or "").strip():
            raise UserError(self.env._("Name the holder of the serial block."))
        generator = generator.sudo()
        company = self.env["res.company"].browse(vals.get("company_id")) or (
            generator.company_id or self.env.company
        )
        vals["company_id"] = company.id
        product = self.env["product.product"].browse(vals.get("product_id"))
        if product and product.tracking != "serial":
            raise UserError(
                self.env._(
                    "%(product)s is not a serial product.", product=product.display_name
                )
            )
        warehouse = self.env["stock.warehouse"].browse(vals.get("warehouse_id"))
        values = generator._get_pattern_values(
            product, warehouse.lot_stock_id, "block", company
        )
        counter = generator._get_counter(create=False)
        date_range = counter.date_from if counter and "date_from" in counter else None
        padding = generator.padding
        check_digit = generator.check_digit
        # Fails early, before the counter moves.
        generator._render_frozen(
            *generator._get_affixes(values, None, date_range), [0], padding, check_digit
        )
        frozen = {}

        def render(draw):
            frozen["affixes"] = generator._get_affixes(values, None, draw.period_start)
            last = draw.first + (size - 1) * draw.step
            return generator._render_frozen(
                *frozen["affixes"], [draw.first, last], padding, check_digit
            )

        draw = generator._draw_numbers(
            size, entry_point="block", render=render, product=product, source="block"
        )
        first, step = draw.first, draw.step
        last = first + (size - 1) * step
        prefix, suffix = frozen["affixes"]
        first_serial, last_serial = draw.names
        return {
            "size": size,
            "holder_name": vals["holder_name"].strip(),
            "first_number": first,
            "last_number": last,
            "step": step,
            "prefix": prefix,
            "suffix": suffix,
            "padding": padding,
            "check_digit": check_digit,
            "first_serial": first_serial,
            "last_serial": last_serial,
            "state": "reserved",
            "next_offset": 0,
            "used_count": 0,
            "voided_count": 0,
            "reservation_date": fields.Datetime.now(),
            "draw_token": draw.token,
        }

    def write(self, vals):
        protected = set(vals) - self._writable_fields
        if protected and not self.env.context.get(BLOCK_KEY):
            raise UserError(
                self.env._(
                    "The range and pattern of a serial block are fixed at reservation "
                    "(%(fields)s). Release the block and reserve another one instead.",
                    fields=", ".join(sorted(protected)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reserved(self):
        raise UserError(
            self.env._(
                "Serial blocks cannot be deleted: their numbers were taken from the "
                "counter. Release a block to void its unused serials."
            )
        )

    # ------------------------------------------------------------------
    # Rendering and parsing
    # ------------------------------------------------------------------
    def _get_numbers(self, offsets):
        """Counter values at `offsets` (positions from 0) of the block."""
        self.ensure_one()
        first, step = self.first_number, self.step
        return [first + offset * step for offset in offsets]

    def _render(self, offsets):
        """Serials at `offsets` of the block, with the frozen pattern."""
        self.ensure_one()
        return self.generator_id.sudo()._render_frozen(
            self.prefix or "",
            self.suffix or "",
            self._get_numbers(offsets),
            self.padding,
            self.check_digit,
        )

    def _iter_serials(self, offset=0, limit=None, chunk=10000):
        """Yield the block's serials from `offset`, `limit` of them at most,
        rendered `chunk` by `chunk`. Reads the frozen values once, so the
        iteration needs no database (the CSV export streams it)."""
        self.ensure_one()
        end = self.size if limit is None else min(self.size, offset + limit)
        prefix, suffix = self.prefix or "", self.suffix or ""
        padding, check_digit = self.padding, self.check_digit
        first, step = self.first_number, self.step

        def generate():
            for start in range(max(offset, 0), end, chunk):
                numbers = range(
                    first + start * step, first + min(end, start + chunk) * step, step
                )
                yield from render_frozen_serials(
                    numbers, prefix, suffix, padding, check_digit
                )

        return generate()

    def _get_serial_offset(self, serial):
        """Return (offset, problem) of `serial` in this block: its position,
        or None and "outside" (not a serial of the range) or "check_digit"
        (a serial of the range with a wrong check character)."""
        self.ensure_one()
        width = CHECK_DIGIT_WIDTH.get(self.check_digit or "none", 0)
        prefix, suffix = self.prefix or "", self.suffix or ""
        body = serial[:-width] if width else serial
        if (
            len(body) <= len(prefix) + len(suffix)
            or not body.startswith(prefix)
            or not body.endswith(suffix)
        ):
            return None, "outside"
        digits = body[len(prefix) : len(body) - len(suffix)]
        if not (digits.isascii() and digits.isdigit()):
            return None, "outside"
        number = int(digits)
        if "%0*d" % (self.padding, number) != digits:
            return None, "outside"
        delta = number - self.first_number
        if delta < 0 or number > self.last_number or delta % self.step:
            return None, "outside"
        if width:
            try:
                expected = add_check_characters([body], self.check_digit)[0]
            except ValueError:
                expected = None
            if expected != serial:
                return None, "check_digit"
        return delta // self.step, None

    def _find_used_lots(self, names):
        """Lots of this block among `names` (one query)."""
        self.ensure_one()
        if not names:
            return self.env["stock.lot"]
        return (
            self.env["stock.lot"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("name", "in", list(names)),
                    ("serial_allocation_id.block_id", "=", self.id),
                ],
                ["name"],
            )
        )

    def _lock(self):
        """Lock the block's row until the end of the transaction; a concurrent
        transaction that changed it meanwhile fails to serialize."""
        self.flush_recordset()
        self.env.execute_query(
            SQL(
                "SELECT id FROM stock_serial_block WHERE id IN %s FOR NO KEY UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    # ------------------------------------------------------------------
    # Allocation from the block
    # ------------------------------------------------------------------
    def _take_serials(self, count):
        """Take the next `count` unused serials of the block and return them.

        The block's row is updated with one locked UPDATE per take (a second
        one only when serials reported used lie in the way), so concurrent
        takes never return the same serial."""
        self.ensure_one()
        if count <= 0:
            raise UserError(
                self.env._("The number of serials to take must be positive.")
            )
        self.flush_recordset()
        names = []
        while len(names) < count:
            need = count - len(names)
            rows = self.env.execute_query(
                SQL(
                    "UPDATE stock_serial_block SET next_offset = next_offset + %s "
                    "WHERE id = %s AND state IN %s AND next_offset + %s <= size "
                    "RETURNING next_offset",
                    need,
                    self.id,
                    OPEN_STATES,
                    need,
                )
            )
            self.invalidate_recordset(["next_offset"])
            if not rows:
                raise UserError(
                    self.env._(
                        "Serial block %(block)s has only %(remaining)s unused "
                        "serial(s) left; %(count)s asked.",
                        block=self.display_name,
                        remaining=self.remaining_count,
                        count=count,
                    )
                )
            end = rows[0][0]
            candidates = self._render(range(end - need, end))
            used = set(self._find_used_lots(candidates).mapped("name"))
            names += [name for name in candidates if name not in used]
        self._add_used(len(names))
        return names

    def _add_used(self, count):
        """Count `count` more serials as used (locked UPDATE) and move the
        block to In Use or Exhausted."""
        self.ensure_one()
        self.flush_recordset()
        [(used, size, voided, state)] = self.env.execute_query(
            SQL(
                "UPDATE stock_serial_block SET used_count = used_count + %s "
                "WHERE id = %s RETURNING used_count, size, voided_count, state",
                count,
                self.id,
            )
        )
        self.invalidate_recordset(["used_count"])
        new_state = "exhausted" if used + voided >= size else "in_use"
        if state in OPEN_STATES and state != new_state:
            self.sudo().with_context(**{BLOCK_KEY: True}).write({"state": new_state})

    def _preview_take(self, count):
        """First and last serial a take of `count` would give (no change)."""
        self.ensure_one()
        if count <= 0 or self.next_offset + count > self.size:
            return []
        return self._render([self.next_offset, self.next_offset + count - 1])

    def _check_serial_request(self, request):
        """Error lines of a request drawing on this block (nothing written).

        Without serials the request takes the next unused serials; with
        serials (reported usage) each one must belong to the block's range,
        carry the right check digit and not be used yet. Sets request.names
        to the reported serials that pass."""
        self.ensure_one()
        block = self.sudo()
        label = request.label
        errors = []
        if block.state == "released":
            errors.append(
                self.env._(
                    "- %(label)s: serial block %(block)s was released; its unused "
                    "serials were voided.",
                    label=label,
                    block=block.display_name,
                )
            )
        elif block.state == "exhausted" and not request.serials:
            errors.append(
                self.env._(
                    "- %(label)s: serial block %(block)s is exhausted.",
                    label=label,
                    block=block.display_name,
                )
            )
        company = request.target.company_id or self.env.company
        if block.company_id != company:
            errors.append(
                self.env._(
                    "- %(label)s: serial block %(block)s belongs to %(block_company)s, "
                    "not %(company)s.",
                    label=label,
                    block=block.display_name,
                    block_company=block.company_id.name,
                    company=company.name,
                )
            )
        product = request.product
        generator = product.product_tmpl_id._get_serial_generator()
        if block.product_id and block.product_id != product:
            errors.append(
                self.env._(
                    "- %(label)s: serial block %(block)s is reserved for "
                    "%(block_product)s, not %(product)s.",
                    label=label,
                    block=block.display_name,
                    block_product=block.product_id.display_name,
                    product=product.display_name,
                )
            )
        elif not block.product_id and generator != block.generator_id:
            errors.append(
                self.env._(
                    "- %(label)s: %(product)s takes its serials from %(generator)s, "
                    "but serial block %(block)s is a range of %(block_generator)s.",
                    label=label,
                    product=product.display_name,
                    generator=generator.display_name or self.env._("no generator"),
                    block=block.display_name,
                    block_generator=block.generator_id.display_name,
                )
            )
        if request.serials:
            errors += block._check_reported_serials(request)
        elif block.state in OPEN_STATES and block.remaining_count < request.quantity:
            errors.append(
                self.env._(
                    "- %(label)s: serial block %(block)s has %(remaining)s unused "
                    "serial(s) left, %(quantity)s asked.",
                    label=label,
                    block=block.display_name,
                    remaining=block.remaining_count,
                    quantity=int(request.quantity),
                )
            )
        return errors

    def _check_reported_serials(self, request):
        """Error lines of reported serials; sets request.names to the good ones."""
        self.ensure_one()
        label = request.label
        names, line_errors = self.env["stock.serial.allocation"]._clean_serial_lines(
            request.serials
        )
        errors = ["- %s: %s" % (label, error) for error in line_errors]
        line_of = {}
        for line_number, raw in request.serials:
            line_of.setdefault((raw or "").strip(), line_number)
        inside = []
        for name in names:
            _offset, problem = self._get_serial_offset(name)
            if problem == "outside":
                errors.append(
                    self.env._(
                        "- %(label)s: line %(line)s: %(serial)s is not a serial of "
                        "this block (%(first)s … %(last)s)",
                        label=label,
                        line=line_of[name],
                        serial=name,
                        first=self.first_serial,
                        last=self.last_serial,
                    )
                )
            elif problem == "check_digit":
                errors.append(
                    self.env._(
                        "- %(label)s: line %(line)s: %(serial)s has a wrong check "
                        "digit (%(algorithm)s)",
                        label=label,
                        line=line_of[name],
                        serial=name,
                        algorithm=self.check_digit,
                    )
                )
            else:
                inside.append(name)
        used = {lot.name: lot for lot in self._find_used_lots(inside)}
        for name in inside:
            if name in used:
                lot = used[name]
                errors.append(
                    self.env._(
                        "- %(label)s: line %(line)s: %(serial)s is already used "
                        "(%(product)s, %(allocation)s)",
                        label=label,
                        line=line_of[name],
                        serial=name,
                        product=lot.product_id.display_name,
                        allocation=lot.serial_allocation_id.name,
                    )
                )
        request.names = [name for name in inside if name not in used]
        return errors

    # ------------------------------------------------------------------
    # Allocation service hooks (the block is the target of reported usage)
    # ------------------------------------------------------------------
    def _get_serial_request_values(self):
        """Register links of serials reported used by the holder."""
        self.ensure_one()
        return {
            "location": self.warehouse_id.lot_stock_id or None,
            "document": self,
            "vendor": self.partner_id or None,
            "label": self.display_name,
        }

    def _get_serial_document_name(self):
        self.ensure_one()
        return self.display_name

    def _get_serial_quantity_todo(self, product):
        self.ensure_one()
        return self.remaining_count

    def _prepare_serial_allocation_vals(self, request):
        self.ensure_one()
        return {"block_id": self.id}

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Count the reported serials as used; one note per block."""
        for block, lots, _request in items:
            block._add_used(len(lots))
            block.sudo().message_post(
                body=self.env._(
                    "%(count)s serial(s) reported used by %(user)s: "
                    "%(first)s … %(last)s",
                    count=len(lots),
                    user=self.env.user.name,
                    first=lots[:1].name,
                    last=lots[-1:].name,
                )
            )
        return True

    def _action_validate_after_allocation(self):
        """Nothing to validate: the lots are the usage report."""
        return True

    def _report_usage(self, serial_lines, product=None):
        """Create the lots of the serials the holder applied, through the
        allocation service (source and method "block"). `serial_lines` is a
        list of (line number, serial). Every bad serial is listed at once and
        nothing is written. Returns the register entry."""
        self.ensure_one()
        product = product or self.product_id
        if not product:
            raise UserError(
                self.env._(
                    "Serial block %(block)s is not reserved for a product: choose the "
                    "product of the reported serials.",
                    block=self.display_name,
                )
            )
        if not serial_lines:
            raise UserError(self.env._("Report at least one serial."))
        self._lock()
        request = SerialRequest(
            product,
            len(serial_lines),
            self,
            method="block",
            serials=serial_lines,
            block=self,
            **self._get_serial_request_values(),
        )
        return self.env["stock.serial.allocation"]._allocate([request], "block")

    # ------------------------------------------------------------------
    # Release
    # ------------------------------------------------------------------
    def action_release(self, reason):
        """Release the blocks: their unused serials are voided, never issued
        again, and the register shows them with the reason."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only serial allocation managers can release blocks.")
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give a reason to release a serial block."))
        self._lock()
        closed = self.filtered(lambda block: block.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "These serial blocks are not open and cannot be released:\n"
                    "%(blocks)s",
                    blocks="\n".join(
                        "- %s (%s)" % (block.display_name, block._get_state_label())
                        for block in closed
                    ),
                )
            )
        vals_list = []
        for block in self:
            remaining = block.remaining_count
            if remaining:
                vals_list.append(block._prepare_release_allocation_vals(reason))
            block.with_context(**{BLOCK_KEY: True}).write(
                {
                    "state": "released",
                    "voided_count": remaining,
                    "release_reason": reason,
                    "release_date": fields.Datetime.now(),
                }
            )
        if vals_list:
            self.env["stock.serial.allocation"].sudo().with_context(
                **{SERVICE_KEY: True}
            ).create(vals_list)
        return True

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _get_unused_bounds(self):
        """First and last unused serial of the block (reported serials may lie
        beyond the next unused position)."""
        self.ensure_one()
        used = set()
        for allocation in self.sudo().allocation_ids.filtered(
            lambda a: a.method == "block"
        ):
            used.update(allocation.lot_ids.mapped("name"))

        def first_unused(offsets):
            for offset in offsets:
                [name] = self._render([offset])
                if name not in used:
                    return name
            return False

        return (
            first_unused(range(self.next_offset, self.size)),
            first_unused(range(self.size - 1, self.next_offset - 1, -1)),
        )

    def _prepare_release_allocation_vals(self, reason):
        """Register entry of the voided remainder: no lot, state voided."""
        self.ensure_one()
        first, last = self._get_unused_bounds()
        return {
            "company_id": self.company_id.id,
            "source": "block",
            "method": "block",
            "state": "voided",
            "product_id": self.product_id.id,
            "generator_id": self.generator_id.id,
            "block_id": self.id,
            "count": self.remaining_count,
            "voided_count": self.remaining_count,
            "first_serial": first,
            "last_serial": last,
            "void_reason": reason,
            "partner_id": self.partner_id.id,
            "location_id": self.warehouse_id.lot_stock_id.id,
            "document_ref": "%s,%s" % (self._name, self.id),
        }

    # ------------------------------------------------------------------
    # UI
    # ------------------------------------------------------------------
    def action_export_csv(self):
        """Download the block's serials as CSV (streamed from the range)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": "/stock_serial_allocation/block/%s/serials.csv" % self.id,
            "target": "download",
        }

    def _get_csv_filename(self):
        self.ensure_one()
        return "%s.csv" % "".join(
            char if char.isalnum() or char in "-_" else "_" for char in self.name
        )

    def _iter_csv(self):
        """The CSV export, line by line: a 'serial' header (the column the
        usage report reads) then one serial per line."""
        self.ensure_one()
        serials = self._iter_serials()

        def generate():
            yield "serial\r\n"
            buffer = []
            for serial in serials:
                buffer.append(serial)
                if len(buffer) == 10000:
                    yield "\r\n".join(buffer) + "\r\n"
                    buffer = []
            if buffer:
                yield "\r\n".join(buffer) + "\r\n"

        return generate()

    def action_open_lots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_production_lot_form"
        )
        action["domain"] = [("serial_allocation_id.block_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_open_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_stock_serial_allocation"
        )
        action["domain"] = [("block_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # RPC interface for the holders' systems
    # ------------------------------------------------------------------
    @api.model
    def api_reserve(
        self,
        generator_id,
        size,
        holder_name,
        partner_id=None,
        product_id=None,
        holder_user_id=None,
    ):
        """Reserve a block of `size` serials of generator `generator_id` for
        `holder_name`, optionally for a partner, a product and the holder
        system's API user (`holder_user_id`, group Serial Block Holder).
        Serial allocation managers only. Returns {"id", "name", "first_serial",
        "last_serial", "size", "used", "remaining", "state"}."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only serial allocation managers can reserve blocks.")
            )
        generator = (
            self.env["stock.serial.generator"]
            .browse(self._api_integer(generator_id, "generator_id"))
            .exists()
        )
        if not generator:
            raise UserError(
                self.env._("Serial generator %(id)s does not exist.", id=generator_id)
            )
        generator.check_access("read")
        block = self.create(
            {
                "generator_id": generator.id,
                "size": size,
                "holder_name": holder_name,
                "partner_id": partner_id
                and self._api_integer(partner_id, "partner_id"),
                "product_id": product_id
                and self._api_integer(product_id, "product_id"),
                "holder_user_id": holder_user_id
                and self._api_integer(holder_user_id, "holder_user_id"),
            }
        )
        return block._api_summary()

    def _api_summary(self):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "first_serial": self.first_serial,
            "last_serial": self.last_serial,
            "size": self.size,
            "used": self.used_count,
            "remaining": self.remaining_count,
            "state": self.state,
        }

    @api.model
    def _api_integer(self, value, name):
        """`value` as an int, or an error naming argument `name`: an RPC
        client may send 2.5 or "2" where a whole number is meant."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(
                self.env._(
                    "%(name)s must be a whole number, not %(value)r.",
                    name=name,
                    value=value,
                )
            )
        return value

    @api.model
    def _api_get_block(self, block_id):
        """The block `block_id` if the API user may read it, else an error."""
        if isinstance(block_id, float) and block_id.is_integer():
            block_id = int(block_id)
        if isinstance(block_id, bool) or not isinstance(block_id, int):
            raise UserError(self.env._("%(id)r is not a serial block id.", id=block_id))
        block = self.browse(block_id)
        if not block.sudo().exists():
            raise UserError(
                self.env._("Serial block %(id)s does not exist.", id=block_id)
            )
        try:
            block.check_access("read")
        except AccessError:
            raise AccessError(
                self.env._(
                    "You may not use serial block %(id)s: it is not held by your user.",
                    id=block_id,
                )
            ) from None
        return block

    @api.model
    def api_get_block(self, block_id):
        """Return the summary of block `block_id` (see ``api_reserve``)."""
        return self._api_get_block(block_id)._api_summary()

    @api.model
    def api_get_serials(self, block_id, offset=0, limit=1000):
        """Return the serials of block `block_id` from position `offset`
        (0 = first serial), `limit` of them at most (100,000 per call)."""
        block = self._api_get_block(block_id)
        offset = self._api_integer(offset, "offset")
        limit = self._api_integer(limit, "limit")
        if offset < 0 or limit <= 0 or limit > MAX_API_PAGE:
            raise UserError(
                self.env._(
                    "Ask for 1 to %(max)s serials from an offset of 0 or more "
                    "(offset %(offset)s, limit %(limit)s).",
                    max=MAX_API_PAGE,
                    offset=offset,
                    limit=limit,
                )
            )
        return list(block.sudo()._iter_serials(offset, limit))

    @api.model
    def api_report_usage(self, block_id, serials, product_id=None):
        """Report the serials of block `block_id` the holder applied: their
        lots are created (of the block's product, or `product_id`). Serials
        outside the block, with a wrong check digit, already used, repeated or
        blank are all listed in one error and nothing is written. Returns
        {"allocation", "lots", "serials", "used", "remaining"}."""
        block = self._api_get_block(block_id)
        if not isinstance(serials, (list, tuple)):
            raise UserError(self.env._("Give the used serials as a list of strings."))
        product = self.env["product.product"]
        if product_id:
            product = product.browse(self._api_integer(product_id, "product_id"))
            product = product.exists()
            if not product:
                raise UserError(
                    self.env._("Product %(id)s does not exist.", id=product_id)
                )
        if not self.env.user.has_group(USER_GROUP):
            # A holder's API user reports on its own block (checked above)
            # without any other right in the inventory.
            block = block.sudo()
        lines = [
            (index, str(serial or "")) for index, serial in enumerate(serials, start=1)
        ]
        allocation = block._report_usage(lines, product)
        block.invalidate_recordset()
        return {
            "allocation": allocation.name,
            "lots": allocation.lot_ids.ids,
            "serials": allocation.lot_ids.mapped("name"),
            "used": block.used_count,
            "remaining": block.remaining_count,
        }

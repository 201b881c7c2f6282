# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .stock_serial_draw import SerialShare
from .stock_serial_format import CHECK_DIGITS, SerialFormat, is_valid_check_digit

# Context key set by the block's own code: the facts of a block (its range and
# frozen pattern) cannot be written from anywhere else.
BLOCK_KEY = "serial_block_service"
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
    _inherit = ["mail.thread", "stock.serial.allocation.target"]
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

        The generator checks the pattern (a missing code fails before the
        counter moves), takes the numbers in one draw and gives the format
        frozen on the block."""
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
        share = SerialShare(size, product, warehouse.lot_stock_id, company)
        take = generator._take_serials([share], "block", entry_point="block")
        draw, serial_format = take.draw, take.formats[0]
        first, step = draw.first, draw.step
        last = first + (size - 1) * step
        first_serial, last_serial = draw.names
        return {
            "size": size,
            "holder_name": vals["holder_name"].strip(),
            "first_number": first,
            "last_number": last,
            "step": step,
            "prefix": serial_format.prefix,
            "suffix": serial_format.suffix,
            "padding": serial_format.padding,
            "check_digit": serial_format.check_digit,
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
    def _get_serial_format(self):
        """The format frozen at reservation."""
        self.ensure_one()
        return SerialFormat(
            self.prefix or "", self.suffix or "", self.padding, self.check_digit
        )

    def _get_numbers(self, offsets):
        """Counter values at `offsets` (positions from 0) of the block."""
        self.ensure_one()
        first, step = self.first_number, self.step
        return [first + offset * step for offset in offsets]

    def _render(self, offsets):
        """Serials at `offsets` of the block."""
        self.ensure_one()
        return self._get_serial_format().render(self._get_numbers(offsets))

    def _iter_serials(self, offset=0, limit=None, chunk=10000):
        """Yield the block's serials from `offset`, `limit` of them at most,
        rendered `chunk` by `chunk`. Reads the frozen values once, so the
        iteration needs no database (the CSV export streams it)."""
        self.ensure_one()
        end = self.size if limit is None else min(self.size, offset + limit)
        serial_format = self._get_serial_format()
        first, step = self.first_number, self.step

        def generate():
            for start in range(max(offset, 0), end, chunk):
                numbers = range(
                    first + start * step, first + min(end, start + chunk) * step, step
                )
                yield from serial_format.render(numbers)

        return generate()

    def _get_serial_offset(self, serial):
        """Return (offset, problem) of `serial` in this block: its position,
        or None and "outside" (not a serial of the range) or "check_digit"
        (a serial of the range with a wrong check character)."""
        self.ensure_one()
        serial_format = self._get_serial_format()
        number = serial_format.parse(serial, check=False)
        if number is None:
            return None, "outside"
        delta = number - self.first_number
        if delta < 0 or number > self.last_number or delta % self.step:
            return None, "outside"
        if not is_valid_check_digit(serial, serial_format.check_digit):
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
            self.env["stock.serial.allocator"]._write_register(vals_list)
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

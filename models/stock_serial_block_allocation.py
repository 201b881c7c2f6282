# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serial blocks in allocations: the next unused serials taken from a block,
and the usage its holder reports (the block is then the target)."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .stock_serial_allocator import SerialRequest
from .stock_serial_block import BLOCK_KEY, OPEN_STATES


class StockSerialBlock(models.Model):
    _inherit = "stock.serial.block"  # pylint: disable=consider-merging-classes-inherited

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
        carry the right check digit and not be used yet. Returns (error lines,
        the reported serials that pass)."""
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
        names = []
        if request.serials:
            serial_errors, names = block._check_reported_serials(request)
            errors += serial_errors
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
        return errors, names

    def _check_reported_serials(self, request):
        """(error lines, good serials) of the reported serials."""
        self.ensure_one()
        label = request.label
        names, line_errors = self.env["stock.serial.allocator"]._clean_serial_lines(
            request.serials, request.serial_errors
        )
        errors = ["- %s: %s" % (label, error) for error in line_errors]
        line_of = self.env["stock.serial.allocator"]._get_serial_line_numbers(request)
        problems = {
            "outside": self.env._(
                "is not a serial of this block (%(first)s … %(last)s)",
                first=self.first_serial,
                last=self.last_serial,
            ),
            "check_digit": self.env._(
                "has a wrong check digit (%(algorithm)s)", algorithm=self.check_digit
            ),
        }
        inside = []
        for name in dict.fromkeys(names):
            _offset, problem = self._get_serial_offset(name)
            if problem:
                errors.append(
                    "- %s: %s"
                    % (
                        label,
                        self.env._(
                            "line %(line)s: %(serial)s %(problem)s",
                            line=line_of[name],
                            serial=name,
                            problem=problems[problem],
                        ),
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
        return errors, [name for name in inside if name not in used]

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

    @api.model
    def _check_serial_requests(self, requests):
        """Reported serials are checked against their block, request by
        request (``_check_serial_request``), not against a quantity to do."""
        return []

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
            serials=tuple(serial_lines),
            block=self,
            **self._get_serial_request_values(),
        )
        return self.env["stock.serial.allocator"]._allocate([request], "block")

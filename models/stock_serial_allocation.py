# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
import unicodedata
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import clean_context, float_is_zero

MAX_SERIAL_LENGTH = 128
# Context key set by the allocation service only: the register cannot be
# created or edited from anywhere else.
SERVICE_KEY = "serial_allocation_service"

SOURCES = [
    ("purchase", "Purchase"),
    ("opening", "Opening Stock"),
    ("manufacture", "Manufacture"),
    ("block", "Block"),
    ("manual", "Manual"),
]
METHODS = [
    ("generate", "Generate"),
    ("enter", "Enter / Scan"),
    ("import", "Import File"),
    ("block", "From Block"),
]


class SerialRequest:
    """What one line of an allocation asks for (see `_allocate`)."""

    __slots__ = (
        "product",
        "quantity",
        "method",
        "serials",
        "target",
        "location",
        "document",
        "vendor",
        "partial",
        "block",
        "label",
        "names",
        "legacy",
        "lot_values",
        "accounting_date",
        "draw_token",
    )

    def __init__(
        self, product, quantity, target, method="generate", serials=None, **kw
    ):
        self.product = product
        self.quantity = quantity
        self.target = target
        self.method = method
        # Typed or imported serials: list of (line number, raw value).
        self.serials = serials or []
        self.location = kw.get("location")
        self.document = kw.get("document")
        self.vendor = kw.get("vendor")
        self.partial = kw.get("partial", False)
        self.block = kw.get("block")
        self.label = kw.get("label") or product.display_name
        self.names = []
        # Legacy serials (opening stock) keep their format: no check digit test.
        self.legacy = kw.get("legacy", False)
        # Extra lot values per serial name (e.g. dates read from a migration file).
        self.lot_values = kw.get("lot_values") or {}
        # Accounting date of the stock entered with the serials (opening stock).
        self.accounting_date = kw.get("accounting_date")
        # The counter draw the generated serials come from.
        self.draw_token = None


class StockSerialAllocation(models.Model):
    _name = "stock.serial.allocation"
    _description = "Serial Allocation"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "date desc, id desc"
    # Whoever reads the register may comment on it (facts stay read-only).
    _mail_post_access = "read"

    name = fields.Char(
        "Reference", readonly=True, required=True, copy=False, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda s: s.env.company,
    )
    date = fields.Datetime(
        readonly=True, required=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Allocated By",
        readonly=True,
        required=True,
        default=lambda s: s.env.user,
    )
    source = fields.Selection(SOURCES, required=True, readonly=True, index=True)
    method = fields.Selection(METHODS, required=True, readonly=True, index=True)
    # Empty only on the voided remainder of a serial block held for no product.
    product_id = fields.Many2one(
        "product.product", readonly=True, index=True, check_company=True
    )
    generator_id = fields.Many2one("stock.serial.generator", readonly=True, index=True)
    count = fields.Integer("Serials", readonly=True)
    first_serial = fields.Char(readonly=True)
    last_serial = fields.Char(readonly=True)
    lot_ids = fields.One2many(
        "stock.lot", "serial_allocation_id", "Serial Numbers", readonly=True
    )
    move_id = fields.Many2one(
        "stock.move", "Stock Move", readonly=True, index="btree_not_null"
    )
    picking_id = fields.Many2one(
        "stock.picking", "Transfer", readonly=True, index="btree_not_null"
    )
    purchase_id = fields.Many2one(
        "purchase.order", "Purchase Order", readonly=True, index="btree_not_null"
    )
    production_id = fields.Many2one(
        "mrp.production", "Manufacturing Order", readonly=True, index="btree_not_null"
    )
    location_id = fields.Many2one("stock.location", readonly=True)
    block_id = fields.Many2one(
        "stock.serial.block", "Serial Block", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        "res.partner", "Vendor", readonly=True, index="btree_not_null"
    )
    document_ref = fields.Reference(
        selection="_selection_document_ref",
        string="Source Document",
        readonly=True,
    )
    state = fields.Selection(
        [("done", "Done"), ("voided", "Voided")],
        default="done",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    voided_count = fields.Integer("Voided Serials", readonly=True)
    draw_token = fields.Char(
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The counter draw the serials of this entry were taken in.",
    )
    void_reason = fields.Text(readonly=True, tracking=True)

    # Fields anybody may write: chatter and the void workflow (service only).
    _writable_fields = {"message_main_attachment_id", "message_follower_ids"}

    @api.model
    def _selection_document_ref(self):
        return [
            ("stock.picking", "Transfer"),
            ("purchase.order", "Purchase Order"),
            ("mrp.production", "Manufacturing Order"),
            ("stock.move", "Stock Move"),
            ("stock.location", "Location"),
            ("stock.serial.block", "Serial Block"),
        ]

    @api.depends("name", "product_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = allocation.name

    # ------------------------------------------------------------------
    # Protection: an append-only register
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(SERVICE_KEY):
            raise UserError(
                self.env._(
                    "Serial allocations are recorded by the allocation wizards only."
                )
            )
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            vals["name"] = sequence.next_by_code("stock.serial.allocation") or "/"
        return super().create(vals_list)

    def write(self, vals):
        protected = set(vals) - self._writable_fields
        if protected and not self.env.context.get(SERVICE_KEY):
            raise UserError(
                self.env._(
                    "The facts of a serial allocation cannot be edited (%(fields)s). "
                    "Void it with a reason instead.",
                    fields=", ".join(sorted(protected)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Serial allocations cannot be deleted; void them with a reason.")
        )

    # ------------------------------------------------------------------
    # The allocation service
    # ------------------------------------------------------------------
    @api.model
    def _fields_with_default(self, model, fnames):
        """The names of `fnames` that can get a default value on `model`: from
        the context, the users' defaults, the field itself or a parent model.

        Odoo looks up every field a new record lacks, one record at a time;
        for the thousands of lots and lines the service creates, only these
        are worth looking up. (Of the modules this one depends on, only stock
        overrides their ``default_get``, to drop a context default.)"""
        candidates = self._fields_with_own_default(model._name).union(
            model.env["ir.default"]._get_model_defaults(model._name),
            (key[8:] for key in model.env.context if key.startswith("default_")),
        )
        return [name for name in fnames if name in candidates]

    @api.model
    @tools.ormcache("model_name")
    def _fields_with_own_default(self, model_name):
        return frozenset(
            name
            for name, field in self.env[model_name]._fields.items()
            if field.default or field.inherited
        )

    @api.model
    def _allocate(self, requests, source):
        """Allocate serials for `requests` (SerialRequest objects) in one go.

        Everything is validated first and every problem is reported at once;
        then the numbers are reserved with one locked update per generator,
        all lots are created with one batched create, each target receives
        its lots through ``_apply_serial_allocation`` of its model, and one
        register entry per request is written. Returns the allocations.
        """
        if not requests:
            raise UserError(self.env._("There is nothing to allocate."))
        # Defaults meant for the calling form (default_picking_id, ...) must
        # not reach the lots, move lines and register entries created here.
        service = self.with_context(clean_context(self.env.context))
        allocations = service._allocate_requests(requests, source)
        # The service's rights and context stay here.
        return allocations.with_env(self.env)

    @api.model
    def _allocate_requests(self, requests, source):
        self.env["stock.lot"].check_access("create")
        errors = []
        for request in requests:
            errors += self._validate_request(request)
        errors += self._validate_targets(requests)
        errors += self._check_duplicates(requests)
        if not errors:
            # Generated serials are rendered from the counters' next numbers,
            # without taking them, and checked like typed ones.
            reservations = self._assign_names(requests, source)
            errors += self._check_duplicates(requests)
        if errors:
            raise UserError(
                self.env._(
                    "No serial was allocated:\n%(errors)s", errors="\n".join(errors)
                )
            )
        # Numbers are taken only once everything is known to be right.
        self._reserve_names(requests, reservations, source)
        allocations = self._create_register_entries(requests, source)
        lots = self._create_lots(requests, allocations)
        by_model = defaultdict(list)
        for request, allocation in zip(requests, allocations, strict=True):
            by_model[request.target._name].append(
                (request.target, lots[allocation.id], request)
            )
        for model, items in by_model.items():
            self.env[model]._apply_serial_allocation(items, source)
        return allocations

    def _validate_request(self, request):
        """Return error lines for one request (nothing is written)."""
        errors = []
        product = request.product
        label = request.label
        if product.tracking != "serial":
            return [
                self.env._(
                    "- %(label)s: %(product)s is not a serial product.",
                    label=label,
                    product=product.display_name,
                )
            ]
        quantity = request.quantity
        if quantity <= 0 or not float_is_zero(quantity % 1, precision_digits=6):
            return [
                self.env._(
                    "- %(label)s: the quantity to allocate must be a positive whole "
                    "number of units, not %(quantity)s.",
                    label=label,
                    quantity=quantity,
                )
            ]
        if request.method == "generate":
            generator = product.product_tmpl_id._get_serial_generator()
            if not generator:
                errors.append(
                    self.env._(
                        "- %(label)s: %(product)s has no serial generator.",
                        label=label,
                        product=product.display_name,
                    )
                )
            return errors
        if request.method == "block":
            return self._validate_block_request(request)
        names, line_errors = self._clean_serial_lines(request.serials)
        errors += ["- %s: %s" % (label, error) for error in line_errors]
        count = len(request.serials)
        if count > quantity or (count < quantity and not request.partial):
            errors.append(
                self.env._(
                    "- %(label)s: %(count)s serials given for %(quantity)s units to "
                    "allocate.",
                    label=label,
                    count=count,
                    quantity=int(quantity),
                )
            )
        generator = product.product_tmpl_id._get_serial_generator()
        if generator and generator.check_digit != "none" and not request.legacy:
            lines = self._get_serial_line_numbers(request)
            wrong = [
                self.env._("%(serial)s (line %(line)s)", serial=name, line=lines[name])
                for name in names
                if not generator._is_valid_check_digit(name)
            ]
            if wrong:
                errors.append(
                    self.env._(
                        "- %(label)s: wrong check digit (%(algorithm)s) in %(serials)s",
                        label=label,
                        algorithm=generator.check_digit,
                        serials=", ".join(wrong),
                    )
                )
        request.names = names
        return errors

    def _validate_targets(self, requests):
        """Let each target model check its requests in one batch (quantity
        left, location, ...) through ``_check_serial_requests(requests)``,
        which returns error lines; targets without that hook accept all."""
        errors = []
        by_model = defaultdict(list)
        for request in requests:
            by_model[request.target._name].append(request)
        for model, model_requests in by_model.items():
            check = getattr(self.env[model], "_check_serial_requests", None)
            if check:
                errors += check(model_requests)
        return errors

    def _validate_block_request(self, request):
        """Error lines of a request drawing on a serial block: the block's
        state, company, generator or product, and the unused serials left
        (or, for reported usage, each reported serial)."""
        if not request.block:
            return [
                self.env._("- %(label)s: no serial block given.", label=request.label)
            ]
        return request.block._check_serial_request(request)

    @api.model
    def _clean_serial_lines(self, lines):
        """Trim serials and check each one; return (valid names, error lines)."""
        names, errors, seen = [], [], {}
        for line_number, raw in lines:
            name = (raw or "").strip()
            if not name:
                errors.append(self.env._("line %(line)s is blank", line=line_number))
            elif any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
                errors.append(
                    self.env._(
                        "line %(line)s (%(serial)r) has control characters",
                        line=line_number,
                        serial=name,
                    )
                )
            elif len(name) > MAX_SERIAL_LENGTH:
                errors.append(
                    self.env._(
                        "line %(line)s is longer than %(max)s characters",
                        line=line_number,
                        max=MAX_SERIAL_LENGTH,
                    )
                )
            elif name in seen:
                errors.append(
                    self.env._(
                        "line %(line)s repeats %(serial)s (line %(first)s)",
                        line=line_number,
                        serial=name,
                        first=seen[name],
                    )
                )
            else:
                seen[name] = line_number
                names.append(name)
        return names, errors

    def _assign_names(self, requests, source):
        """Render the serials to generate from the counters' next numbers,
        without taking them; return what `_reserve_names` must reserve."""
        by_generator = defaultdict(list)
        reservations = []
        for request in requests:
            if request.method == "generate":
                generator = request.product.product_tmpl_id._get_serial_generator()
                by_generator[generator].append(request)
            elif request.method == "block" and not request.serials:
                # Reported usage (request.serials) keeps the serials given.
                request.names = request.block._take_serials(int(request.quantity))
        for generator, gen_requests in by_generator.items():
            # Render first: a missing code must fail before the counter moves.
            values_list = [
                generator._get_pattern_values(
                    request.product, request.location, source, request.target.company_id
                )
                for request in gen_requests
            ]
            total = sum(int(request.quantity) for request in gen_requests)
            counter = generator._get_counter(create=False)
            if counter:
                counter.invalidate_recordset(["number_next"])
            self._render_generated_names(
                generator,
                gen_requests,
                values_list,
                generator._peek_numbers(total),
                counter.date_from if counter and "date_from" in counter else None,
            )
            reservations.append((generator, gen_requests, values_list, total))
        return reservations

    @api.model
    def _render_generated_names(
        self, generator, requests, values_list, numbers, date_range
    ):
        """Give each request its share of `numbers`, rendered (`date_range`:
        the first day of the counter's period, if any); return the requests
        whose names changed."""
        changed = []
        start = 0
        for request, values in zip(requests, values_list, strict=True):
            count = int(request.quantity)
            names = generator._render_serials(
                numbers[start : start + count], values, date_range=date_range
            )
            if names != request.names:
                request.names = names
                changed.append(request)
            start += count
        return changed

    def _reserve_names(self, requests, reservations, source):
        """Take the generated numbers: one locked update per generator. The
        serials were checked from the counters' next numbers: were they taken
        meanwhile, the serials actually reserved are checked again."""
        changed = []
        for generator, gen_requests, values_list, total in reservations:

            def render(
                draw, generator=generator, head=values_list[0], tail=values_list[-1]
            ):
                # The draw keeps its first and last serial.
                last = draw.first + (draw.count - 1) * draw.step
                return generator._render_serials(
                    [draw.first], head, None, draw.period_start
                ) + generator._render_serials([last], tail, None, draw.period_start)

            draw = generator._draw_numbers(
                total, render=render, product=gen_requests[0].product, source=source
            )
            changed += self._render_generated_names(
                generator, gen_requests, values_list, draw.numbers(), draw.period_start
            )
            for request in gen_requests:
                request.draw_token = draw.token
        errors = self._check_duplicates(requests) if changed else []
        if errors:
            raise UserError(
                self.env._(
                    "No serial was allocated:\n%(errors)s", errors="\n".join(errors)
                )
            )

    def _check_duplicates(self, requests):
        """Serials repeated across requests or existing in the uniqueness scope."""
        errors = []
        owners = {}
        by_scope = defaultdict(set)
        for request in requests:
            company = request.target.company_id or self.env.company
            for name in request.names:
                if name in owners and owners[name] is not request:
                    errors.append(
                        self.env._(
                            "- %(serial)s is given for both %(first)s and %(second)s",
                            serial=name,
                            first=owners[name].label,
                            second=request.label,
                        )
                    )
                owners.setdefault(name, request)
                by_scope[request.product, company].add(name)
        Lot = self.env["stock.lot"]
        for (product, company), names in by_scope.items():
            existing = Lot._find_existing_serials(product, company, names - {""})
            for lot in existing:
                request = owners[lot.name]
                line = self._get_serial_line_numbers(request).get(lot.name)
                errors.append(
                    self.env._(
                        "- %(serial)s (%(where)s) already exists "
                        "(%(product)s, %(company)s)",
                        serial=lot.name,
                        where=self.env._(
                            "%(label)s, line %(line)s", label=request.label, line=line
                        )
                        if line
                        else request.label,
                        product=lot.product_id.display_name,
                        company=lot.company_id.name or self.env._("all companies"),
                    )
                )
        return errors

    @api.model
    def _get_serial_line_numbers(self, request):
        """{serial: line number} of the serials typed or imported for `request`."""
        return {(raw or "").strip(): line for line, raw in reversed(request.serials)}

    def _prepare_allocation_vals(self, request, source):
        """Register values for one request; flows extend the document links."""
        target = request.target
        generator = (
            request.block.generator_id
            if request.block
            else request.product.product_tmpl_id._get_serial_generator()
        )
        vals = {
            "block_id": request.block.id if request.block else False,
            "company_id": (target.company_id or self.env.company).id,
            "source": source,
            "method": request.method,
            "product_id": request.product.id,
            "generator_id": generator.id,
            "count": len(request.names),
            "first_serial": request.names[0],
            "last_serial": request.names[-1],
            "location_id": request.location.id if request.location else False,
            "partner_id": request.vendor.id if request.vendor else False,
            "draw_token": request.draw_token,
        }
        document = request.document or target
        if document._name in dict(self._selection_document_ref()):
            vals["document_ref"] = "%s,%s" % (document._name, document.id)
        vals.update(target._prepare_serial_allocation_vals(request))
        return vals

    def _create_register_entries(self, requests, source):
        vals_list = [
            self._prepare_allocation_vals(request, source) for request in requests
        ]
        return self.sudo().with_context(**{SERVICE_KEY: True}).create(vals_list)

    def _prepare_lot_vals(self, request, allocation):
        """Values of the lots of one request."""
        base_vals = {
            "product_id": request.product.id,
            "company_id": allocation.company_id.id,
            "serial_allocation_id": allocation.id,
            "serial_vendor_id": allocation.partner_id.id,
            # Given (the products are serial products): neither recomputed nor
            # updated after the INSERT.
            "serial_scope": allocation.company_id.serial_uniqueness_scope,
            # A new lot holds no stock yet: given, its location is not computed.
            "location_id": False,
        }
        extra = request.lot_values
        return [
            {**base_vals, "name": name, **extra.get(name, {})} for name in request.names
        ]

    def _create_lots(self, requests, allocations):
        """Create every lot with one batched create; return lots per allocation."""
        vals_list = []
        for request, allocation in zip(requests, allocations, strict=True):
            vals_list += self._prepare_lot_vals(request, allocation)
        lots = (
            self.env["stock.lot"]
            .with_context(
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
                **{SERVICE_KEY: True},
            )
            .create(vals_list)
        )
        # Their uniqueness scope was given with the values: not recomputed.
        self.env.remove_to_compute(lots._fields["serial_scope"], lots)
        result = defaultdict(lambda: self.env["stock.lot"])
        start = 0
        for request, allocation in zip(requests, allocations, strict=True):
            result[allocation.id] = lots[start : start + len(request.names)]
            start += len(request.names)
        return result

    # ------------------------------------------------------------------
    # Serials from files
    # ------------------------------------------------------------------
    @api.model
    def _read_serial_file(self, file_data, filename, column):
        """Return [(line number, value)] of `column` in a CSV or XLSX file."""
        if not file_data:
            raise UserError(self.env._("Choose a file to import."))
        raw = base64.b64decode(file_data)
        column = (column or "").strip()
        name = (filename or "").lower()
        if name.endswith(".xlsx"):
            rows = self._read_xlsx_rows(raw, filename)
        elif name.endswith((".csv", ".txt")):
            rows = self._read_csv_rows(raw, filename)
        else:
            raise UserError(
                self.env._(
                    "%(file)s is neither a CSV nor an XLSX file.", file=filename or "?"
                )
            )
        if not rows:
            raise UserError(self.env._("%(file)s is empty.", file=filename))
        header = [str(cell or "").strip() for cell in rows[0]]
        if column not in header:
            raise UserError(
                self.env._(
                    "%(file)s has no column %(column)s (columns: %(columns)s).",
                    file=filename,
                    column=column or "?",
                    columns=", ".join(filter(None, header)),
                )
            )
        index = header.index(column)
        result = []
        rows = rows[1:]
        while rows and not any(
            str("" if cell is None else cell).strip() for cell in rows[-1]
        ):
            rows.pop()  # trailing empty rows of a spreadsheet are not serials
        for line_number, row in enumerate(rows, start=2):
            value = row[index] if index < len(row) else ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            result.append((line_number, "" if value is None else str(value)))
        return result

    @api.model
    def _read_csv_rows(self, raw, filename):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(
                self.env._("%(file)s is not a UTF-8 CSV file.", file=filename)
            ) from None
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", ",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            return list(csv.reader(io.StringIO(text), dialect))
        except csv.Error as error:
            raise UserError(
                self.env._(
                    "%(file)s is not valid CSV: %(error)s", file=filename, error=error
                )
            ) from None

    @api.model
    def _read_xlsx_rows(self, raw, filename):
        import openpyxl  # noqa: PLC0415 - optional at import time

        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=True
            )
        except Exception:  # openpyxl raises many kinds for a broken file
            raise UserError(
                self.env._("%(file)s is not a valid XLSX file.", file=filename)
            ) from None
        return [list(row) for row in workbook.active.iter_rows(values_only=True)]

    # ------------------------------------------------------------------
    # Void
    # ------------------------------------------------------------------
    def _void_lots(self, lots, reason):
        """Void `lots` of these allocations: they are never reissued, and the
        register keeps them with the reason."""
        lots = lots.filtered(lambda lot: not lot.serial_voided)
        if not lots:
            return
        lots.sudo().with_context(**{SERVICE_KEY: True}).write(
            {"serial_voided": True, "serial_void_reason": reason}
        )
        service = self.sudo().with_context(**{SERVICE_KEY: True})
        for allocation in service.filtered(lambda a: a in lots.serial_allocation_id):
            voided = len(allocation.lot_ids.filtered("serial_voided"))
            vals = {"voided_count": voided}
            if voided == allocation.count:
                vals.update(state="voided", void_reason=reason)
            allocation.write(vals)
            allocation.message_post(
                body=self.env._(
                    "%(count)s serial(s) voided: %(reason)s",
                    count=len(lots & allocation.lot_ids),
                    reason=reason,
                )
            )

    def action_void(self, reason):
        """Void the allocation's serials that never received stock."""
        if not self.env.user.has_group(
            "stock_serial_allocation.group_serial_allocation_manager"
        ):
            raise AccessError(
                self.env._("Only serial allocation managers can void allocations.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason to void an allocation."))
        for allocation in self:
            lots = allocation.lot_ids.filtered(lambda lot: not lot.sudo().quant_ids)
            allocation._void_lots(lots, reason.strip())
        return True

    def _action_view_result(self):
        """Close the wizard and tell what was allocated."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s serial(s) allocated: %(refs)s",
                    count=sum(self.mapped("count")),
                    refs=", ".join(self.mapped("name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_print_labels(self):
        """Print the allocated serials with Odoo's own lot label report."""
        lots = self.lot_ids.filtered(lambda lot: not lot.serial_voided)
        if not lots:
            raise UserError(self.env._("There is no serial to print."))
        return self.env.ref("stock.action_report_lot_label").report_action(lots)

    def action_open_lots(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_production_lot_form"
        )
        action["domain"] = [("serial_allocation_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action

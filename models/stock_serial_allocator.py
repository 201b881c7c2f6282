# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The allocation service: the one way serials are issued.

Every flow (receipts, opening stock, manufacturing orders, serial blocks, the
migration import) builds `SerialRequest` tuples and calls
``env["stock.serial.allocator"]._allocate(requests, source)``, as Odoo's
flows call ``stock.rule.run(procurements)``. The targets of the requests
(moves, orders, quants, locations, blocks) take part through the hooks of
``stock.serial.allocation.target``.
"""

import unicodedata
from collections import defaultdict
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context, float_is_zero

from .stock_serial_allocation import SERVICE_KEY
from .stock_serial_draw import SerialShare
from .stock_serial_gs1 import (
    normalize_gtin,
    printable_element_string,
    to_element_string,
)
from .stock_serial_job import JOB_KEY

# Odoo's lot names have no limit; a longer serial is a pasting mistake.
MAX_SERIAL_LENGTH = 128


class SerialRequest(NamedTuple):
    """What one line of an allocation asks for (see `_allocate`)."""

    product: object
    quantity: float
    # The record that receives the serials (a stock.serial.allocation.target).
    target: object
    method: str = "generate"
    # Typed or imported serials: ((line number, raw value), ...).
    serials: tuple = ()
    location: object = None
    document: object = None
    vendor: object = None
    partial: bool = False
    block: object = None
    # How error lines name the request (default: the product).
    label: str = ""
    # Legacy serials (opening stock) keep their format: no check digit test.
    legacy: bool = False
    # Extra lot values per serial name (e.g. dates read from a migration file).
    lot_values: dict | None = None
    # Accounting date of the stock entered with the serials (opening stock).
    accounting_date: object = None
    # {line number: error} of the serials that could not be read (GS1 codes);
    # None until `_complete_requests` read them.
    serial_errors: dict | None = None


class SerialClash(NamedTuple):
    """A serial given twice (`first_index` and `first_line` say where first)
    or already held by `lot`; indexes are positions in the requests."""

    index: int
    serial: str
    line: int | None
    first_index: int | None = None
    first_line: int | None = None
    lot: object = None


class StockSerialAllocator(models.AbstractModel):
    _name = "stock.serial.allocator"
    _description = "Serial Allocation Service"

    Request = SerialRequest

    @api.model
    def _allocate(self, requests, source, checked_names=None):
        """Allocate serials for `requests` (SerialRequest) in one go and return
        the register entries, one per request.

        Everything is checked first and every problem is reported at once;
        then the numbers are taken with one locked update per generator, all
        lots are created with one batched create, each target model receives
        its lots through ``_apply_serial_allocation``, and the register is
        written. A caller that reported the problems itself passes the names
        `_check_requests` returned for these requests as `checked_names`."""
        if not requests:
            raise UserError(self.env._("There is nothing to allocate."))
        # Defaults meant for the calling form (default_picking_id, ...) must
        # not reach the lots, move lines and register entries created here.
        service = self.with_context(clean_context(self.env.context))
        allocations = service._allocate_requests(requests, source, checked_names)
        # The service's rights and context stay here.
        return allocations.with_env(self.env)

    @api.model
    def _allocate_requests(self, requests, source, checked_names=None):
        self.env["stock.lot"].check_access("create")
        progress = self.env["stock.serial.job"]._report_job_progress
        progress(5, self.env._("Checking the serials"))
        requests = self._complete_requests(requests)
        names = checked_names
        if names is None:
            errors, names = self._check_requests(requests, source)
            self._raise_if(errors)
        # Numbers are taken only once everything is known to be right.
        progress(20, self.env._("Taking the numbers"))
        names, tokens = self._take_names(requests, names, source)
        allocations = self._create_register_entries(requests, names, tokens, source)
        progress(30, self.env._("Creating the serials"))
        lots = self._create_lots(requests, names, allocations)
        by_model = defaultdict(list)
        for request, allocation in zip(requests, allocations, strict=True):
            by_model[request.target._name].append(
                (request.target, lots[allocation.id], request)
            )
        progress(60, self.env._("Setting the serials on their documents"))
        for model, items in by_model.items():
            self.env[model]._apply_serial_allocation(items, source)
        progress(95, self.env._("Writing"))
        return allocations

    @api.model
    def _complete_requests(self, requests):
        """The requests with their defaults: a label, tuples of serials, and
        the serials of scanned GS1 codes read (`_read_serial_lines`)."""
        completed = []
        for request in requests:
            request = request._replace(
                label=request.label or request.product.display_name,
                serials=tuple(request.serials or ()),
            )
            if request.serial_errors is None:
                lines, lot_values, errors = self._read_serial_lines(
                    request.product, request.serials
                )
                renamed = {
                    (raw or "").strip(): name
                    for (_line, raw), (_same, name) in zip(
                        request.serials, lines, strict=True
                    )
                    if name != raw
                }
                if renamed or lot_values:
                    # Values the caller gives (a migration file) follow their
                    # serial as read, and come before those of the code.
                    merged = {
                        renamed.get(key, key): vals
                        for key, vals in (request.lot_values or {}).items()
                    }
                    for name, vals in lot_values.items():
                        merged[name] = {**vals, **merged.get(name, {})}
                    request = request._replace(lot_values=merged)
                request = request._replace(serials=lines, serial_errors=errors)
            completed.append(request)
        return completed

    def _raise_if(self, errors):
        if errors:
            raise UserError(
                self.env._(
                    "No serial was allocated:\n%(errors)s", errors="\n".join(errors)
                )
            )

    # ------------------------------------------------------------------
    # Checks (nothing is written)
    # ------------------------------------------------------------------
    @api.model
    def _check_requests(self, requests, source, clashes=True):
        """Return (error lines, serial names per request). Generated serials
        are rendered from the counters' next numbers, without taking them,
        and checked like typed ones. With `clashes` false, serials given
        twice or already existing are left to the caller
        (`_find_serial_clashes`)."""
        requests = self._complete_requests(requests)
        errors, names = [], []
        for request in requests:
            request_errors, request_names = self._validate_request(request)
            errors += request_errors
            names.append(request_names)
        errors += self._validate_targets(requests)
        if not errors:
            names = self._peek_generated_names(requests, names, source)
            errors += self._check_generated_names(requests, names)
        if clashes:
            errors += self._format_clashes(
                requests, self._find_serial_clashes(requests, names)
            )
        return errors, names

    def _validate_request(self, request):
        """(error lines, serial names) of one request."""
        product = request.product
        label = request.label
        if product.tracking != "serial":
            return [
                self.env._(
                    "- %(label)s: %(product)s is not a serial product.",
                    label=label,
                    product=product.display_name,
                )
            ], []
        quantity = request.quantity
        if quantity <= 0 or not float_is_zero(quantity % 1, precision_digits=6):
            return [
                self.env._(
                    "- %(label)s: the quantity to allocate must be a positive whole "
                    "number of units, not %(quantity)s.",
                    label=label,
                    quantity=quantity,
                )
            ], []
        generator = product.product_tmpl_id._get_serial_generator()
        if request.method == "generate":
            if generator:
                return [], []
            return [
                self.env._(
                    "- %(label)s: %(product)s has no serial generator.",
                    label=label,
                    product=product.display_name,
                )
            ], []
        if request.method == "block":
            if not request.block:
                return [
                    self.env._("- %(label)s: no serial block given.", label=label)
                ], []
            return request.block._check_serial_request(request)
        names, line_errors = self._clean_serial_lines(
            request.serials, request.serial_errors
        )
        errors = ["- %s: %s" % (label, error) for error in line_errors]
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
        return errors, names

    def _validate_targets(self, requests):
        """Let each target model check its requests in one batch (quantity
        left, location, ...): ``_check_serial_requests`` of the target."""
        errors = []
        by_model = defaultdict(list)
        for request in requests:
            by_model[request.target._name].append(request)
        for model, model_requests in by_model.items():
            errors += self.env[model]._check_serial_requests(model_requests)
        return errors

    @api.model
    def _clean_serial_lines(self, lines, line_errors=None):
        """Trim serials and check each one; return (names, error lines). A
        serial given twice is a clash (`_find_serial_clashes`), kept here.
        `line_errors` ({line number: error}) are the lines already found
        wrong (`_read_serial_lines`)."""
        names, errors = [], []
        line_errors = line_errors or {}
        for line_number, raw in lines:
            name = (raw or "").strip()
            if line_number in line_errors:
                errors.append(line_errors[line_number])
            elif not name:
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
            else:
                names.append(name)
        return names, errors

    @api.model
    def _split_serial_text(self, text):
        """[(line number, value)] of typed, scanned or pasted serials (a
        trailing newline is not a blank serial)."""
        lines = (text or "").replace("\r\n", "\n").split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return list(enumerate(lines, start=1))

    @api.model
    def _get_serial_line_numbers(self, request):
        """{serial: first line number} of the serials typed or imported."""
        return {(raw or "").strip(): line for line, raw in reversed(request.serials)}

    # ------------------------------------------------------------------
    # Scanned GS1 codes
    # ------------------------------------------------------------------
    @api.model
    def _get_gs1_nomenclature(self):
        """The GS1 nomenclature scanned codes are read with: the company's,
        else Odoo's default one (stock installs it whatever the company uses)."""
        nomenclature = self.env.company.sudo().nomenclature_id
        if nomenclature.is_gs1_nomenclature:
            return nomenclature
        return self.env.ref(
            "barcodes_gs1_nomenclature.default_gs1_nomenclature",
            raise_if_not_found=False,
        ) or self.env["barcode.nomenclature"].sudo().search(
            [("is_gs1_nomenclature", "=", True)], limit=1
        )

    @api.model
    def _read_scanned_serial(self, text, nomenclature=None):
        """(serial, GTIN-14 or None) of one scanned or typed serial: a GS1
        code gives its AI (21) and its AI (01); any other text is the serial."""
        text = (text or "").strip()
        code = to_element_string(text) if text else None
        if not code:
            return text, None
        nomenclature = nomenclature or self._get_gs1_nomenclature()
        try:
            elements = nomenclature and nomenclature.sudo().gs1_decompose_extended(code)
        except ValidationError:
            elements = None
        values = {element["ai"]: element["value"] for element in elements or ()}
        if "21" not in values:
            return text, None
        return values["21"], normalize_gtin(values.get("01"))

    @api.model
    def _read_serial_lines(self, product, lines, nomenclature=None):
        """Read the GS1 codes among typed or imported serial `lines` ((line
        number, value), ...) of `product`: the serial is their AI (21), AI
        (01) must be the product's GTIN, and the other values the lots keep
        come along (`_prepare_gs1_lot_vals`). Return (lines with the serials
        read, {serial: lot values}, {line number: error}); the other lines
        are left as they are."""
        if not lines:
            return (), {}, {}
        gtin = normalize_gtin(product.barcode)
        result, lot_values, errors = [], {}, {}
        for line_number, raw in lines:
            text = (raw or "").strip()
            code = to_element_string(text, gtin)
            if code is None:
                result.append((line_number, raw))
                continue
            nomenclature = nomenclature or self._get_gs1_nomenclature()
            serial, vals, error = self._read_gs1_code(product, gtin, code, nomenclature)
            if error:
                errors[line_number] = self.env._(
                    "line %(line)s: %(error)s", line=line_number, error=error
                )
                result.append((line_number, raw))
                continue
            result.append((line_number, serial))
            if vals:
                lot_values[serial] = vals
        return tuple(result), lot_values, errors

    @api.model
    def _read_gs1_code(self, product, gtin, code, nomenclature):
        """(serial, lot values, error) of the GS1 element string `code`."""
        shown = printable_element_string(code)
        elements = None
        if nomenclature:
            try:
                elements = nomenclature.sudo().gs1_decompose_extended(code)
            except ValidationError as error:
                return None, None, error.args[0]
        if not elements:
            return (
                None,
                None,
                self.env._(
                    "GS1 code %(code)s cannot be read: an application identifier "
                    "is unknown, a value is too long or the GTIN's check digit "
                    "is wrong.",
                    code=shown,
                ),
            )
        values = {element["ai"]: element for element in elements}
        serial = values.get("21", {}).get("value")
        if not serial:
            return (
                None,
                None,
                self.env._(
                    "GS1 code %(code)s has no serial number (AI 21).", code=shown
                ),
            )
        code_gtin = values.get("01", {}).get("value")
        if code_gtin and code_gtin != gtin:
            if not product.barcode:
                error = self.env._(
                    "serial %(serial)s is for GTIN %(gtin)s (AI 01), but "
                    "%(product)s has no barcode to compare it with.",
                    serial=serial,
                    gtin=code_gtin,
                    product=product.display_name,
                )
            else:
                error = self.env._(
                    "serial %(serial)s is for GTIN %(gtin)s (AI 01), but "
                    "%(product)s has GTIN %(product_gtin)s.",
                    serial=serial,
                    gtin=code_gtin,
                    product=product.display_name,
                    product_gtin=gtin or product.barcode,
                )
            return None, None, error
        return serial, self._prepare_gs1_lot_vals(elements), None

    @api.model
    def _prepare_gs1_lot_vals(self, elements):
        """Lot values of the decomposed GS1 code `elements`: the batch or lot
        number (AI 10) as the lot's Internal Reference, the expiration date
        (AI 17) when Product Expiry gives lots one."""
        lot_fields = self.env["stock.lot"]._fields
        vals = {}
        for element in elements:
            if element["ai"] == "10" and element["value"]:
                vals["ref"] = element["value"]
            elif (
                element["type"] == "expiration_date" and "expiration_date" in lot_fields
            ):
                vals["expiration_date"] = fields.Datetime.to_datetime(element["value"])
        return vals

    def _peek_generated_names(self, requests, names, source):
        """`names` with the serials the generated requests would get now."""
        names = list(names)
        offsets = defaultdict(int)
        for index, request in enumerate(requests):
            if request.method != "generate":
                continue
            generator = request.product.product_tmpl_id._get_serial_generator()
            if generator not in offsets:
                # Another transaction may have drawn since this one looked.
                counter = generator._get_counter(create=False)
                counter.invalidate_recordset(["number_next"])
            serial_format = generator._get_serial_format(
                request.product, request.location, source, request.target.company_id
            )
            count = int(request.quantity)
            names[index] = generator._peek_serials(
                count, serial_format, offsets[generator]
            )
            offsets[generator] += count
        return names

    def _check_generated_names(self, requests, names):
        """Error lines naming every generated serial its generator's GS1
        Compliant or RFID (SGTIN-96) option refuses."""
        errors = []
        for request, request_names in zip(requests, names, strict=True):
            if request.method != "generate":
                continue
            generator = request.product.product_tmpl_id._get_serial_generator()
            errors += [
                "- %s: %s" % (request.label, error)
                for error in generator._get_serial_standard_errors(request_names)
            ]
        return errors

    @api.model
    def _find_serial_clashes(self, requests, names, by_scope=False):
        """The serials of `requests` (`names`: per request) given twice, in a
        request or across them, and those existing in the uniqueness scope.
        A serial given for two products is a clash, unless `by_scope` and the
        company's scope lets each product have its own serials (legacy
        serials of a migration file)."""
        requests = self._complete_requests(requests)
        clashes = []
        owners = {}
        lookup = defaultdict(dict)
        for index, request in enumerate(requests):
            company = request.target.company_id or self.env.company
            if request.method == "generate" or not request.serials:
                entries = [(None, name) for name in names[index]]
            else:
                kept = set(names[index])
                entries = [
                    (line, name)
                    for line, raw in request.serials
                    if (name := (raw or "").strip()) in kept
                ]
            scope = company.serial_uniqueness_scope if by_scope else "global"
            for line, name in entries:
                key = {
                    "global": name,
                    "company": (company, name),
                    "product": (company, request.product, name),
                }[scope]
                if key in owners:
                    clashes.append(SerialClash(index, name, line, *owners[key]))
                    continue
                owners[key] = (index, line)
                lookup[request.product, company][name] = (index, line)
        Lot = self.env["stock.lot"]
        for (product, company), found in lookup.items():
            for lot in Lot._find_existing_serials(product, company, set(found)):
                index, line = found[lot.name]
                clashes.append(SerialClash(index, lot.name, line, lot=lot))
        return clashes

    def _format_clashes(self, requests, clashes):
        errors = []
        for clash in clashes:
            request = requests[clash.index]
            if clash.lot:
                lot = clash.lot
                errors.append(
                    self.env._(
                        "- %(serial)s (%(where)s) already exists "
                        "(%(product)s, %(company)s)",
                        serial=clash.serial,
                        where=self.env._(
                            "%(label)s, line %(line)s",
                            label=request.label,
                            line=clash.line,
                        )
                        if clash.line
                        else request.label,
                        product=lot.product_id.display_name,
                        company=lot.company_id.name or self.env._("all companies"),
                    )
                )
            elif clash.first_index == clash.index:
                errors.append(
                    self.env._(
                        "- %(label)s: line %(line)s repeats %(serial)s (line "
                        "%(first)s)",
                        label=request.label,
                        line=clash.line,
                        serial=clash.serial,
                        first=clash.first_line,
                    )
                )
            else:
                errors.append(
                    self.env._(
                        "- %(serial)s is given for both %(first)s and %(second)s",
                        serial=clash.serial,
                        first=requests[clash.first_index].label,
                        second=request.label,
                    )
                )
        return errors

    # ------------------------------------------------------------------
    # Taking the serials and writing
    # ------------------------------------------------------------------
    def _take_names(self, requests, names, source):
        """Take the generated numbers (one draw per generator) and the
        blocks' next serials; return (names, draw tokens) per request. The
        serials were checked as the counters stood: were numbers taken
        meanwhile, the serials actually taken are checked again."""
        peeked = names
        names, tokens = list(names), [None] * len(requests)
        by_generator = defaultdict(list)
        for index, request in enumerate(requests):
            if request.method == "generate":
                generator = request.product.product_tmpl_id._get_serial_generator()
                by_generator[generator].append(index)
            elif request.method == "block" and not request.serials:
                # Reported usage (request.serials) keeps the serials given.
                names[index] = request.block._take_serials(int(request.quantity))
        for generator, indexes in by_generator.items():
            shares = [
                SerialShare(
                    int(requests[index].quantity),
                    requests[index].product,
                    requests[index].location,
                    requests[index].target.company_id,
                )
                for index in indexes
            ]
            take = generator._take_serials(shares, source)
            for index, share_names in zip(indexes, take.names_by_share(), strict=True):
                names[index] = share_names
                tokens[index] = take.draw.token
        if names != peeked:
            clashes = self._find_serial_clashes(requests, names)
            self._raise_if(self._format_clashes(requests, clashes))
        return names, tokens

    def _prepare_allocation_vals(self, request, names, source):
        """Register values of one request; its target adds its documents."""
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
            "count": len(names),
            "first_serial": names[0],
            "last_serial": names[-1],
            "location_id": request.location.id if request.location else False,
            "partner_id": request.vendor.id if request.vendor else False,
        }
        Register = self.env["stock.serial.allocation"]
        document = request.document or target
        if document._name in dict(Register._selection_document_ref()):
            vals["document_ref"] = "%s,%s" % (document._name, document.id)
        vals.update(target._prepare_serial_allocation_vals(request))
        return vals

    def _create_register_entries(self, requests, names, tokens, source):
        vals_list = [
            dict(
                self._prepare_allocation_vals(request, request_names, source),
                draw_token=token,
            )
            for request, request_names, token in zip(
                requests, names, tokens, strict=True
            )
        ]
        return self._write_register(vals_list)

    @api.model
    def _write_register(self, vals_list):
        """Write register entries: the only way to create them."""
        Register = self.env["stock.serial.allocation"]
        job_id = self.env.context.get(JOB_KEY)
        if job_id:
            vals_list = [dict(vals, job_id=job_id) for vals in vals_list]
        return Register.sudo().with_context(**{SERVICE_KEY: True}).create(vals_list)

    def _prepare_lot_vals(self, request, names, allocation):
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
        extra = request.lot_values or {}
        return [{**base_vals, "name": name, **extra.get(name, {})} for name in names]

    def _create_lots(self, requests, names, allocations):
        """Create every lot with one batched create; return lots per allocation."""
        vals_list = []
        items = list(zip(requests, names, allocations, strict=True))
        for request, request_names, allocation in items:
            vals_list += self._prepare_lot_vals(request, request_names, allocation)
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
        for _request, request_names, allocation in items:
            result[allocation.id] = lots[start : start + len(request_names)]
            start += len(request_names)
        return result

    # ------------------------------------------------------------------
    # Records created by the thousand
    # ------------------------------------------------------------------
    @api.model
    def _get_default_fields(self, model, fnames):
        """The fields of `fnames` whose defaults ``model.default_get`` looks
        up: when the service creates the records, only those that can have
        one (`_fields_with_default`)."""
        if not model.env.context.get(SERVICE_KEY):
            return fnames
        return self._fields_with_default(model, fnames)

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

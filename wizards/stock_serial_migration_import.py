# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from collections import defaultdict
from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..models.stock_serial_allocator import SerialRequest

REQUIRED_COLUMNS = ("product", "location", "serial")
OPTIONAL_COLUMNS = ("in_date", "vendor", "warranty_end")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d")


class StockSerialMigrationImport(models.TransientModel):
    """Import the serials of a whole stock from one file (implementers).

    Columns (header row, any order, case-insensitive):

    - ``product``: internal reference or barcode of a serial product;
    - ``location``: full name (e.g. ``WH/Stock``) or barcode of an internal
      location;
    - ``serial``: the serial number, kept as it is;
    - ``in_date`` (optional): date the unit came into stock (YYYY-MM-DD);
    - ``vendor`` (optional): name or reference of the vendor;
    - ``warranty_end`` (optional): end of the warranty (YYYY-MM-DD).

    Serials go to the stock without serial of their product at their location
    (their number may not exceed it); where there is none, they come in as
    new stock. The whole file is checked first; it is applied all at once or
    not at all.
    """

    _name = "stock.serial.migration.import"
    _description = "Import Legacy Serials"

    import_file = fields.Binary("File", required=True, attachment=False)
    import_filename = fields.Char("File Name")
    accounting_date = fields.Date(
        help="Accounting date of the new stock the file enters (lines at a "
        "location without stock without serial); empty: today.",
    )

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _read_rows(self):
        """Return [(line number, {column: value})] of the file's data rows."""
        self.ensure_one()
        filename = self.import_filename or ""
        rows = self.env["stock.serial.file"]._read_rows(self.import_file, filename)
        header = [
            re.sub(r"[\s\-]+", "_", str(cell or "").strip().lower()) for cell in rows[0]
        ]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise UserError(
                self.env._(
                    "%(file)s lacks the column(s) %(missing)s (columns: %(columns)s). "
                    "Expected: product, location, serial and optionally in_date, "
                    "vendor, warranty_end.",
                    file=filename,
                    missing=", ".join(missing),
                    columns=", ".join(filter(None, header)) or "-",
                )
            )
        indexes = {
            column: header.index(column)
            for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
            if column in header
        }
        result = []
        for line_number, row in enumerate(rows[1:], start=2):
            values = {}
            for column, index in indexes.items():
                value = row[index] if index < len(row) else None
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, str):
                    value = value.strip()
                values[column] = "" if value is None else value
            if not any(str(value) for value in values.values()):
                continue  # blank rows are not lines
            result.append((line_number, values))
        if not result:
            raise UserError(
                self.env._("%(file)s has no line to import.", file=filename)
            )
        return result

    # ------------------------------------------------------------------
    # Checking
    # ------------------------------------------------------------------
    def _match_records(self, model, keys, fnames, extra_domain=None):
        """{key: records} of `model` whose `fnames` equal one of `keys`
        (one search)."""
        keys = {key for key in keys if key}
        if not keys:
            return {}
        domain = Domain.OR([[(fname, "in", list(keys))] for fname in fnames])
        if extra_domain:
            domain &= Domain(extra_domain)
        records = self.env[model].search(domain)
        matches = defaultdict(lambda: self.env[model])
        for record in records:
            for fname in fnames:
                if record[fname] in keys:
                    matches[record[fname]] |= record
        return matches

    def _parse_date(self, value):
        """Return a date for a cell value (date cell or text), or raise ValueError."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for date_format in DATE_FORMATS:
            try:
                return datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(text)

    def _check_lines(self, lines):
        """Resolve every line; return (resolved lines, errors by line number).
        A resolved line is (line number, product, location, serial, lot values)."""
        errors = defaultdict(list)
        records = {
            "product": self._match_records(
                "product.product",
                {str(values["product"]) for _line, values in lines},
                ["default_code", "barcode"],
            ),
            "location": self._match_records(
                "stock.location",
                {str(values["location"]) for _line, values in lines},
                ["complete_name", "barcode"],
            ),
            "vendor": self._match_records(
                "res.partner",
                {str(values.get("vendor") or "") for _line, values in lines},
                ["name", "ref"],
            ),
        }
        resolved = []
        for line, values in lines:
            product = self._check_product(values, records["product"], errors[line])
            location = self._check_location(values, records["location"], errors[line])
            serial = str(values["serial"])
            if not serial:
                errors[line].append(self.env._("no serial"))
            lot_values = self._read_lot_values(values, records["vendor"], errors[line])
            if not errors[line]:
                resolved.append((line, product, location, serial, lot_values))
        return resolved, errors

    def _check_product(self, values, products, errors):
        key = str(values["product"])
        product = products.get(key, self.env["product.product"])
        if not key:
            errors.append(self.env._("no product"))
        elif not product:
            errors.append(self.env._("unknown product %(product)s", product=key))
        elif len(product) > 1:
            errors.append(
                self.env._(
                    "%(product)s matches several products (%(names)s)",
                    product=key,
                    names=", ".join(product.mapped("display_name")),
                )
            )
        elif product.tracking != "serial":
            errors.append(
                self.env._(
                    "%(product)s is not a serial product", product=product.display_name
                )
            )
        return product

    def _check_location(self, values, locations, errors):
        key = str(values["location"])
        location = locations.get(key, self.env["stock.location"])
        if not key:
            errors.append(self.env._("no location"))
        elif not location:
            errors.append(self.env._("unknown location %(location)s", location=key))
        elif len(location) > 1:
            errors.append(
                self.env._("%(location)s matches several locations", location=key)
            )
        elif location.usage != "internal":
            errors.append(
                self.env._(
                    "%(location)s is not an internal location",
                    location=location.display_name,
                )
            )
        return location

    def _read_lot_values(self, values, vendors, errors):
        """Lot values of the optional columns (vendor, in-date, warranty end)."""
        lot_values = {}
        key = str(values.get("vendor") or "")
        if key:
            vendor = vendors.get(key, self.env["res.partner"])
            if not vendor:
                errors.append(self.env._("unknown vendor %(vendor)s", vendor=key))
            elif len(vendor) > 1:
                errors.append(
                    self.env._(
                        "%(vendor)s matches %(count)s partners",
                        vendor=key,
                        count=len(vendor),
                    )
                )
            else:
                lot_values["serial_vendor_id"] = vendor.id
        for column, fname in (
            ("in_date", "serial_in_date"),
            ("warranty_end", "serial_warranty_end"),
        ):
            if values.get(column) not in (None, ""):
                try:
                    lot_values[fname] = self._parse_date(values[column])
                except ValueError:
                    errors.append(
                        self.env._(
                            "%(column)s %(value)s is not a date (YYYY-MM-DD)",
                            column=column,
                            value=values[column],
                        )
                    )
        return lot_values

    def _get_clash_error(self, clash):
        """The error of a serial of the file given twice or already existing."""
        if clash.lot:
            return self.env._(
                "serial %(serial)s already exists (%(product)s)",
                serial=clash.serial,
                product=clash.lot.product_id.display_name,
            )
        return self.env._(
            "serial %(serial)s is repeated (line %(first)s)",
            serial=clash.serial,
            first=clash.first_line,
        )

    def _prepare_requests(self, resolved, errors):
        """Group the lines by product and location into allocation requests:
        on the stock without serial there, else as new stock at the location."""
        groups = defaultdict(list)
        for item in resolved:
            if not errors.get(item[0]):
                groups[item[1], item[2]].append(item)
        if not groups:
            return []
        Quant = self.env["stock.quant"]
        products = self.env["product.product"].union(*(key[0] for key in groups))
        locations = self.env["stock.location"].union(*(key[1] for key in groups))
        quants = Quant.search(
            Quant._get_serial_pending_domain()
            & Domain(
                [
                    ("product_id", "in", products.ids),
                    ("location_id", "in", locations.ids),
                ]
            )
        ).sorted(
            # Loose units first, then packages and stock owned by others.
            lambda quant: (
                bool(quant.package_id),
                bool(quant.owner_id),
                quant.in_date,
                quant.id,
            )
        )
        quants_by_key = quants.grouped(
            lambda quant: (quant.product_id, quant.location_id)
        )
        requests = []
        for (product, location), items in groups.items():
            first, last = items[0][0], items[-1][0]
            label = self.env._(
                "%(product)s at %(location)s (lines %(first)s-%(last)s)",
                product=product.display_name,
                location=location.display_name,
                first=first,
                last=last,
            )
            targets = quants_by_key.get((product, location), Quant)
            if not targets:
                requests.append(
                    self._prepare_request(
                        product, location, items, label, accounting=True
                    )
                )
                continue
            todo = sum(targets.mapped("serial_todo_qty"))
            if len(items) > todo:
                errors[first].append(
                    self.env._(
                        "%(count)s serials for %(product)s at %(location)s (lines "
                        "%(first)s-%(last)s), but only %(todo)s units without serial "
                        "are there",
                        count=len(items),
                        product=product.display_name,
                        location=location.display_name,
                        first=first,
                        last=last,
                        todo=int(todo),
                    )
                )
                continue
            start = 0
            for quant in targets:
                count = min(int(quant.serial_todo_qty), len(items) - start)
                if count > 0:
                    requests.append(
                        self._prepare_request(
                            product, quant, items[start : start + count], label
                        )
                    )
                start += count
        return requests

    def _prepare_request(self, product, target, items, label, accounting=False):
        values = target._get_serial_request_values()
        vendors = {item[4].get("serial_vendor_id") for item in items}
        if len(vendors) == 1 and None not in vendors:
            values["vendor"] = self.env["res.partner"].browse(vendors.pop())
        values["label"] = label
        if accounting and self.accounting_date:
            values["accounting_date"] = self.accounting_date
        return SerialRequest(
            product,
            len(items),
            target,
            method="import",
            serials=tuple((item[0], item[3]) for item in items),
            lot_values={item[3]: item[4] for item in items if item[4]},
            **values,
        )

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        """Check the whole file, then allocate all its serials at once."""
        self.ensure_one()
        lines = self._read_rows()
        Job = self.env["stock.serial.job"]
        if Job._runs_in_background(len(lines)):
            return Job._queue(
                self,
                "action_import",
                len(lines),
                self.env._(
                    "Import of %(count)s legacy serials (%(file)s)",
                    count=len(lines),
                    file=self.import_filename,
                ),
            )
        Job._report_job_progress(2, self.env._("Checking the file"))
        resolved, errors = self._check_lines(lines)
        requests = self._prepare_requests(resolved, errors)
        Allocator = self.env["stock.serial.allocator"]
        service_errors, names = [], []
        if requests:
            service_errors, names = Allocator._check_requests(
                requests, "opening", clashes=False
            )
            clashes = Allocator._find_serial_clashes(requests, names, by_scope=True)
            for clash in clashes:
                errors[clash.line].append(self._get_clash_error(clash))
        messages = [
            self.env._("- line %(line)s: %(error)s", line=line, error=error)
            for line in sorted(errors)
            for error in errors[line]
        ] + service_errors
        if messages:
            raise UserError(
                self.env._(
                    "Nothing was imported; %(file)s has %(count)s error(s):\n"
                    "%(errors)s",
                    file=self.import_filename,
                    count=len(messages),
                    errors="\n".join(messages),
                )
            )
        allocations = Allocator._allocate(requests, "opening", checked_names=names)
        return allocations._action_view_result()

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

from odoo import api, models
from odoo.exceptions import UserError


class StockSerialFile(models.AbstractModel):
    """Reads the serials of a CSV or XLSX file (wizards, block usage, the
    migration import)."""

    _name = "stock.serial.file"
    _description = "Serial File Reader"

    @api.model
    def _read_rows(self, file_data, filename):
        """Return the rows (lists of cells) of a CSV or XLSX file, header
        included; refuse a missing, empty or unknown file."""
        if not file_data:
            raise UserError(self.env._("Choose a file to import."))
        raw = base64.b64decode(file_data)
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
        return rows

    @api.model
    def _read_serial_file(self, file_data, filename, column):
        """Return [(line number, value)] of `column` in a CSV or XLSX file."""
        rows = self._read_rows(file_data, filename)
        column = (column or "").strip()
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

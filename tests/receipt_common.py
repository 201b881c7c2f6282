# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tools import SQL

from .common import SerialAllocationCommon


class ReceiptAllocationCommon(SerialAllocationCommon):
    """Records and helpers of the purchase receipt flow and of the service.

    Two vendors, one generator shared by two serial products (so one
    allocation reserves their numbers together), factories for confirmed
    purchase orders and plain receipts, and ``assertRefused``: the service's
    errors must name every bad value and leave no lot, move line, quant,
    register entry or counter change behind.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.vendor, cls.vendor_2 = cls.env["res.partner"].create(
            [{"name": "Serial Vendor"}, {"name": "Second Serial Vendor"}]
        )
        cls.generator = cls._create_generator(name="Receipts", prefix="RC-", padding=5)
        cls.laptop = cls._create_serial_product(
            "Laptop Pro 14", cls.generator, default_code="LAP14"
        )
        cls.router = cls._create_serial_product(
            "Router X200", cls.generator, default_code="RX200"
        )
        cls.receipt_type = cls.warehouse.in_type_id
        cls.Allocation = cls.env["stock.serial.allocation"]
        cls.Lot = cls.env["stock.lot"]

    # ------------------------------------------------------------------
    # Factories
    # ------------------------------------------------------------------
    @classmethod
    def _create_purchase(cls, lines, vendor=None, confirm=True):
        """A purchase order of (product, quantity) lines, confirmed: its
        receipt waits for serials."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": (vendor or cls.vendor).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "price_unit": 100.0,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            order.button_confirm()
        return order

    @classmethod
    def _create_receipt(cls, lines, vendor=None):
        """A confirmed receipt of (product, quantity) lines, without order."""
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.receipt_type.id,
                "partner_id": (vendor or cls.vendor).id,
                "location_id": cls.supplier_location.id,
                "location_dest_id": cls.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": cls.supplier_location.id,
                            "location_dest_id": cls.stock_location.id,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )
        picking.action_confirm()
        return picking

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _open_wizard(self, action):
        """The allocation wizard an ``action_allocate_serials`` opened."""
        self.assertEqual(action["res_model"], "stock.serial.allocation.wizard")
        self.assertEqual(action["target"], "new")
        return self.env[action["res_model"]].browse(action["res_id"])

    @staticmethod
    def _csv_file(rows, delimiter=","):
        """Base64 of a CSV file made of `rows` (the first one is the header)."""
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(rows)
        return base64.b64encode(buffer.getvalue().encode())

    @staticmethod
    def _xlsx_file(rows):
        """Base64 of an XLSX workbook whose active sheet holds `rows`."""
        import openpyxl  # noqa: PLC0415 - shipped with Odoo

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return base64.b64encode(buffer.getvalue())

    def _snapshot(self):
        """What an allocation writes: lots, move lines, quants, register
        entries, chatter messages and every counter."""
        self.env.flush_all()
        cr = self.env.cr
        counts = {}
        for table in (
            "stock_lot",
            "stock_move_line",
            "stock_quant",
            "stock_serial_allocation",
            "mail_message",
        ):
            cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
            counts[table] = cr.fetchone()[0]
        cr.execute("SELECT id, number_next FROM ir_sequence ORDER BY id")
        counts["ir_sequence"] = cr.fetchall()
        cr.execute("SELECT id, number_next FROM ir_sequence_date_range ORDER BY id")
        counts["ir_sequence_date_range"] = cr.fetchall()
        return counts

    @contextmanager
    def assertRefused(self, *fragments):
        """The block raises a UserError whose message holds every fragment,
        and nothing was written (checked in the database, without rolling
        back to a savepoint first)."""
        before = self._snapshot()
        try:
            yield
        except UserError as error:
            message = error.args[0]
        else:
            self.fail("The allocation was not refused.")
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(self._snapshot(), before, "Nothing may be written.")
        self.env.invalidate_all()
        self.refused_message = message

    def _allocate_receipt(self, receipt, validate=False, lines=None, **common):
        """Open the wizard from the receipt's button and allocate: `common`
        values go on every line, `lines` maps a product to its line's values."""
        wizard = self._open_wizard(receipt.action_allocate_serials())
        form = Form(wizard)
        form.validate = validate
        lines = lines or {}
        for index, record in enumerate(wizard.line_ids):
            values = dict(common, **lines.get(record.product_id, {}))
            if values:
                with form.line_ids.edit(index) as line:
                    for field, value in values.items():
                        setattr(line, field, value)
        return form.save().action_allocate()

    def _request(self, target, quantity=None, method="generate", serials=None, **kw):
        """A SerialRequest for a receipt move, as the wizard builds it."""
        from ..models.stock_serial_allocator import SerialRequest  # noqa: PLC0415

        values = target._get_serial_request_values()
        values.update(kw)
        if serials is not None and serials and not isinstance(serials[0], tuple):
            serials = list(enumerate(serials, start=1))
        return SerialRequest(
            target.product_id,
            target.serial_to_allocate_qty if quantity is None else quantity,
            target,
            method=method,
            serials=serials,
            **values,
        )


class ReceiptFlowCommon(ReceiptAllocationCommon):
    """A confirmed purchase of five laptops and three routers: its receipt
    waits for serials; ``_allocate_receipt`` drives the wizard opened from
    the receipt's button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_purchase([(cls.laptop, 5), (cls.router, 3)])
        cls.receipt = cls.order.picking_ids
        cls.move_laptop = cls.receipt.move_ids.filtered(
            lambda m: m.product_id == cls.laptop
        )
        cls.move_router = cls.receipt.move_ids.filtered(
            lambda m: m.product_id == cls.router
        )

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io
import logging
import time
from datetime import date, datetime

import openpyxl

from odoo.exceptions import UserError
from odoo.fields import Domain

from .opening_common import OpeningStockCommon

_logger = logging.getLogger(__name__)

HEADER = ("product", "location", "serial", "in_date", "vendor", "warranty_end")


class TestMigrationImport(OpeningStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.router = cls._create_serial_product(
            "Legacy Router",
            cls.generator,
            default_code="LRT",
            barcode="4006381333931",
            standard_price=50,
        )
        cls.cable = cls.env["product.product"].create(
            {
                "name": "Cable",
                "default_code": "CBL",
                "type": "consu",
                "is_storable": True,
            }
        )
        cls.shelf.barcode = "SHELF-9"

    def _csv(self, rows, header=HEADER, delimiter=","):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
        return base64.b64encode(buffer.getvalue().encode())

    def _xlsx(self, rows, header=HEADER):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return base64.b64encode(buffer.getvalue())

    def _stock_quant(self, lot):
        return lot.quant_ids.filtered(
            lambda quant: quant.location_id.usage == "internal"
        )

    def _import(self, data, filename="serials.csv", **vals):
        wizard = self.env["stock.serial.migration.import"].create(
            dict(vals, import_file=data, import_filename=filename)
        )
        return wizard.action_import()

    def test_import_csv(self):
        """Serials for stock without serial, and new stock where there is none,
        with the optional columns stored on the serials."""
        quant = self._put_untracked(self.product, 3)
        value = self._value(self.product)
        rows = [
            [
                "OPSC",
                "WH/Stock",
                "OLD-001",
                "2019-03-01",
                "Legacy Vendor",
                "2027-01-31",
            ],
            ["OPSC", "WH/Stock", "OLD-002", "", "", ""],
            # The router by barcode, the shelf by barcode: new stock.
            ["4006381333931", "SHELF-9", "R-1", "2020-06-15", "", ""],
            ["LRT", "WH/Stock/Shelf 9", "R-2", "", "Legacy Vendor", ""],
        ]
        action = self._import(self._csv(rows), accounting_date=date(2025, 12, 31))
        self.assertEqual(action["params"]["type"], "success")
        # Two of the three units without serial got theirs.
        self.assertEqual(quant.quantity, 1)
        lots = self._serial_quants(self.product).lot_id
        self.assertEqual(sorted(lots.mapped("name")), ["OLD-001", "OLD-002"])
        old_1 = lots.filtered(lambda lot: lot.name == "OLD-001")
        self.assertEqual(old_1.serial_in_date, date(2019, 3, 1))
        self.assertEqual(old_1.serial_warranty_end, date(2027, 1, 31))
        self.assertEqual(old_1.serial_vendor_id, self.vendor)
        self.assertEqual(self._stock_quant(old_1).in_date, datetime(2019, 3, 1))
        self.assertFalse((lots - old_1).serial_vendor_id)
        self.assertEqual(self._stock_quant(lots - old_1).in_date, quant.in_date)
        self.assertEqual(self.product.qty_available, 3)
        self.assertEqual(self._value(self.product), value)
        router_quants = self._serial_quants(self.router, self.shelf)
        self.assertEqual(sorted(router_quants.lot_id.mapped("name")), ["R-1", "R-2"])
        self.assertEqual(self.router.qty_available, 2)
        allocations = (lots | router_quants.lot_id).serial_allocation_id
        self.assertEqual(len(allocations), 2)
        self.assertEqual(set(allocations.mapped("source")), {"opening"})
        self.assertEqual(set(allocations.mapped("method")), {"import"})
        router_allocation = allocations.filtered(lambda a: a.product_id == self.router)
        self.assertEqual(router_allocation.document_ref, self.shelf)
        move = self._allocation_moves(router_allocation)
        self.assertEqual(len(move), 1)
        self.assertEqual(move.location_dest_id, self.shelf)
        self.assertEqual(len(move.move_line_ids), 2)
        self.assertEqual(move.value, 100)

    def test_import_xlsx(self):
        """XLSX with date cells, numeric serials and header case/spaces."""
        self._put_untracked(self.product, 2, self.shelf)
        rows = [
            ["OPSC", "SHELF-9", 100234, datetime(2018, 1, 2), None, None],
            ["OPSC", "SHELF-9", 100235, None, None, date(2030, 5, 1)],
        ]
        header = ["Product", "Location", "Serial", "In Date", "Vendor", "Warranty End"]
        self._import(self._xlsx(rows, header), "serials.xlsx")
        lots = self._serial_quants(self.product, self.shelf).lot_id
        self.assertEqual(sorted(lots.mapped("name")), ["100234", "100235"])
        self.assertEqual(
            lots.filtered(lambda lot: lot.name == "100234").serial_in_date,
            date(2018, 1, 2),
        )
        self.assertEqual(
            lots.filtered(lambda lot: lot.name == "100235").serial_warranty_end,
            date(2030, 5, 1),
        )
        self.assertFalse(self._untracked_quant(self.product, self.shelf))

    def test_import_semicolon_csv_minimal_columns(self):
        data = self._csv(
            [["OPSC", "WH/Stock", "S-1"], ["OPSC", "WH/Stock", "S-2"]],
            header=["serial", "location", "product"][::-1],
            delimiter=";",
        )
        self._import(data)
        self.assertEqual(
            sorted(self._serial_quants(self.product).lot_id.mapped("name")),
            ["S-1", "S-2"],
        )

    def test_import_errors_all_listed(self):
        """Every bad line comes back with its line number; nothing is written."""
        self._put_untracked(self.product, 2)
        self.env["stock.lot"].create({"name": "IN-DB", "product_id": self.router.id})
        self.env["res.partner"].create([{"name": "Twin"}, {"name": "Twin"}])
        customers = self.env.ref("stock.stock_location_customers")
        rows = [
            ["OPSC", "WH/Stock", "A-1", "", "", ""],  # 2: fine
            ["NOPE", "WH/Stock", "A-2", "", "", ""],  # 3
            ["CBL", "WH/Stock", "A-3", "", "", ""],  # 4
            ["OPSC", "WH/Nowhere", "A-4", "", "", ""],  # 5
            ["LRT", "WH/Stock", "A-5", "", "", ""],  # 6: fine
            ["LRT", "WH/Stock", "A-5", "", "", ""],  # 7: repeated
            ["LRT", "WH/Stock", "IN-DB", "", "", ""],  # 8
            ["LRT", "WH/Stock", "A-6", "31-31-2020", "Nobody", ""],  # 9
            ["LRT", "WH/Stock", "A-7", "", "Twin", "soon"],  # 10
            ["LRT", customers.complete_name, "A-8", "", "", ""],  # 11
            ["LRT", "WH/Stock", "", "", "", ""],  # 12
            ["OPSC", "WH/Stock", "A-9", "", "", ""],  # 13
            ["OPSC", "WH/Stock", "A-10", "", "", ""],  # 14: 3 for 2 units
        ]
        before = self._counts()
        with self.assertRaises(UserError) as error:
            self._import(self._csv(rows))
        message = str(error.exception)
        expected = [
            "line 3: unknown product NOPE",
            "line 4: [CBL] Cable is not a serial product",
            "line 5: unknown location WH/Nowhere",
            "line 7: serial A-5 is repeated (line 6)",
            "line 8: serial IN-DB already exists ([LRT] Legacy Router)",
            "line 9: unknown vendor Nobody",
            "line 9: in_date 31-31-2020 is not a date",
            "line 10: Twin matches 2 partners",
            "line 10: warranty_end soon is not a date",
            "line 11: %s is not an internal location" % customers.display_name,
            "line 12: no serial",
            "line 2: 3 serials for [OPSC] Opening Scanner at WH/Stock (lines "
            "2-14), but only 2 units without serial are there",
        ]
        for text in expected:
            self.assertIn(text, message)
        self.assertIn("has 12 error(s)", message)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.generator.number_next, 1)

    def test_import_same_serial_for_two_products(self):
        """Legacy serials follow the company's uniqueness scope: per product,
        two products may each have serial X-1; per company, the second line
        repeats the first."""
        rows = [
            ["OPSC", "WH/Stock", "X-1", "", "", ""],
            ["LRT", "WH/Stock", "X-1", "", "", ""],
        ]
        self.company.serial_uniqueness_scope = "company"
        before = self._counts()
        with self.assertRaises(UserError) as error:
            self._import(self._csv(rows))
        self.assertIn("line 3: serial X-1 is repeated (line 2)", str(error.exception))
        self.assertEqual(self._counts(), before)
        self.company.serial_uniqueness_scope = "product"
        self._import(self._csv(rows))
        lots = self.env["stock.lot"].search([("name", "=", "X-1")])
        self.assertEqual(lots.product_id, self.product | self.router)

    def test_import_file_errors(self):
        cases = [
            (
                self._csv([["OPSC", "WH/Stock"]], header=["product", "location"]),
                "x.csv",
                "lacks the column(s) serial",
            ),
            (base64.b64encode(b"hello"), "serials.pdf", "neither a CSV nor an XLSX"),
            (base64.b64encode(b"not a zip"), "serials.xlsx", "not a valid XLSX file"),
            (self._csv([]), "empty.csv", "has no line to import"),
            (base64.b64encode("é".encode("latin-1")), "latin.csv", "not a UTF-8 CSV"),
        ]
        for data, filename, message in cases:
            with self.subTest(filename):
                before = self._counts()
                with self.assertRaises(UserError) as error:
                    self._import(data, filename)
                self.assertIn(message, str(error.exception))
                self.assertEqual(self._counts(), before)

    def _time_odoo_inventory(self, count):
        """Seconds Odoo's own path takes to bring `count` new serials into
        stock (one lot create, inventory mode quants, Apply), over ten
        products of their own: the reference for the import's speed,
        measured in the same run on the same machine."""
        products = self.env["product.product"].create(
            [
                {
                    "name": "Native %s" % index,
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "standard_price": 10,
                }
                for index in range(10)
            ]
        )
        per_product = count // len(products)
        self.env.flush_all()
        start = time.perf_counter()
        lots = self.env["stock.lot"].create(
            [
                {"name": "N%s-%06d" % (index, number), "product_id": product.id}
                for index, product in enumerate(products)
                for number in range(per_product)
            ]
        )
        quants = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": lot.product_id.id,
                        "location_id": self.stock_location.id,
                        "lot_id": lot.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            )
        )
        quants.action_apply_inventory()
        self.env.flush_all()
        elapsed = time.perf_counter() - start
        self.assertEqual(sum(products.mapped("qty_available")), count)
        return elapsed

    def test_import_10000_lines_faster_than_odoo_inventory(self):
        """10,000 lines: 5,000 serials for stock without serial, 5,000 entered
        as new stock, over ten products and two locations. The import does
        more than Odoo's own inventory adjustment of 10,000 new serials (it
        also replaces the stock without serial, records vendors and in-dates)
        and must still take less time than it, measured in the same run: a
        goal that holds on any machine, where a fixed number of seconds does
        not (on the reference machine the import took about 40 s)."""
        # Odoo's path for 2,000 serials, times 5: its cost per serial does not
        # fall with size, and a smaller sample leaves fewer dead rows for the
        # tests that follow in the same database.
        native = self._time_odoo_inventory(2000) * 5
        products = self.env["product.product"].create(
            [
                {
                    "name": "Bulk %s" % index,
                    "default_code": "BULK%s" % index,
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "standard_price": 10,
                }
                for index in range(10)
            ]
        )
        for product in products[:5]:
            self._put_untracked(product, 1000)
        rows = []
        for index, product in enumerate(products):
            location = "WH/Stock" if index < 5 or index % 2 else "WH/Stock/Shelf 9"
            for number in range(1000):
                rows.append(
                    [
                        product.default_code,
                        location,
                        "B%s-%06d" % (index, number),
                        "2020-01-01" if number % 2 else "",
                        "Legacy Vendor" if number % 3 else "",
                        "",
                    ]
                )
        data = self._csv(rows)
        self.env.flush_all()
        start = time.perf_counter()
        self._import(data)
        self.env.flush_all()
        elapsed = time.perf_counter() - start
        _logger.info(
            "Imported 10,000 serials in %.1f s; Odoo's inventory adjustment "
            "takes %.1f s for as many (2,000 timed, times 5; ratio %.2f)",
            elapsed,
            native,
            elapsed / native,
        )
        self.assertLess(elapsed, native)
        lots = self.env["stock.lot"].search([("product_id", "in", products.ids)])
        self.assertEqual(len(lots), 10000)
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", products.ids),
                ("lot_id", "!=", False),
                ("location_id.usage", "=", "internal"),
            ]
        )
        self.assertEqual(len(quants), 10000)
        self.assertEqual(set(quants.mapped("quantity")), {1})
        for product in products:
            self.assertEqual(product.qty_available, 1000)
        Quant = self.env["stock.quant"]
        self.assertFalse(
            Quant.search(
                Quant._get_serial_pending_domain()
                & Domain([("product_id", "in", products.ids)])
            )
        )

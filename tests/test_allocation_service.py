# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.tests import Form

from .receipt_common import ReceiptAllocationCommon


class TestAllocationService(ReceiptAllocationCommon):
    """The one allocation service (`stock.serial.allocation._allocate`),
    exercised on receipt moves: every method, and every bad input refused
    with a message naming it while nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receipt = cls._create_receipt([(cls.laptop, 3), (cls.router, 2)])
        cls.move_laptop, cls.move_router = cls.receipt.move_ids.sorted("id")
        cls.label_laptop = "%s - [LAP14] Laptop Pro 14" % cls.receipt.name
        cls.label_router = "%s - [RX200] Router X200" % cls.receipt.name

    def _allocate(self, *requests, source="purchase"):
        return self.env["stock.serial.allocator"]._allocate(list(requests), source)

    # ------------------------------------------------------------------
    # Methods
    # ------------------------------------------------------------------
    def test_generate_batches_everything(self):
        """Two requests of one generator: one locked counter update, one lot
        create, one register create, one move line create, no chatter."""
        with self._capture_queries() as queries:
            allocations = self._allocate(
                self._request(self.move_laptop), self._request(self.move_router)
            )
        self.assertEqual(self._count_queries(queries, 'INSERT INTO "stock_lot"'), 1)
        self.assertEqual(
            self._count_queries(queries, 'INSERT INTO "stock_serial_allocation"'), 1
        )
        self.assertEqual(
            self._count_queries(queries, 'INSERT INTO "stock_move_line"'), 1
        )
        self.assertEqual(
            self._count_queries(
                queries, 'UPDATE "ir_sequence" SET number_next = number_next'
            ),
            1,
        )
        # The lots' uniqueness scope and location are given, not updated after.
        self.assertEqual(self._count_queries(queries, 'UPDATE "stock_lot"'), 0)
        laptop_alloc, router_alloc = allocations
        self.assertEqual(
            laptop_alloc.lot_ids.sorted("name").mapped("name"),
            ["RC-00001", "RC-00002", "RC-00003"],
        )
        self.assertEqual(
            router_alloc.lot_ids.sorted("name").mapped("name"), ["RC-00004", "RC-00005"]
        )
        self.assertEqual(self.generator.number_next, 6)
        self.assertEqual(self.generator.last_serial, "RC-00005")
        self.assertRecordValues(
            allocations,
            [
                {
                    "source": "purchase",
                    "method": "generate",
                    "state": "done",
                    "product_id": self.laptop.id,
                    "generator_id": self.generator.id,
                    "count": 3,
                    "first_serial": "RC-00001",
                    "last_serial": "RC-00003",
                    "move_id": self.move_laptop.id,
                    "picking_id": self.receipt.id,
                    "partner_id": self.vendor.id,
                    "company_id": self.company.id,
                    "user_id": self.env.user.id,
                    "location_id": self.stock_location.id,
                },
                {
                    "source": "purchase",
                    "method": "generate",
                    "state": "done",
                    "product_id": self.router.id,
                    "generator_id": self.generator.id,
                    "count": 2,
                    "first_serial": "RC-00004",
                    "last_serial": "RC-00005",
                    "move_id": self.move_router.id,
                    "picking_id": self.receipt.id,
                    "partner_id": self.vendor.id,
                    "company_id": self.company.id,
                    "user_id": self.env.user.id,
                    "location_id": self.stock_location.id,
                },
            ],
        )
        self.assertEqual(laptop_alloc.document_ref, self.receipt)
        self.assertNotEqual(laptop_alloc.name, router_alloc.name)
        lots = allocations.lot_ids
        self.assertEqual(set(lots.mapped("serial_vendor_id")), {self.vendor})
        self.assertEqual(set(lots.mapped("company_id")), {self.company})
        self.assertFalse(
            self.env["mail.message"].search_count(
                [("model", "=", "stock.lot"), ("res_id", "in", lots.ids)]
            ),
            "no chatter message per lot",
        )
        for move, allocation in zip(
            self.receipt.move_ids.sorted("id"), allocations, strict=True
        ):
            self.assertEqual(move.move_line_ids.lot_id, allocation.lot_ids)
            self.assertEqual(
                move.move_line_ids.mapped("quantity"), [1.0] * allocation.count
            )
            self.assertEqual(move.serial_allocated_qty, allocation.count)
            self.assertEqual(move.serial_to_allocate_qty, 0)

    def test_lots_carry_the_company_scope(self):
        """The scope given to the new lots is the one their company chooses."""
        self.company.serial_uniqueness_scope = "global"
        allocation = self._allocate(self._request(self.move_laptop))
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(set(allocation.lot_ids.mapped("serial_scope")), {"global"})

    def test_new_records_keep_the_defaults(self):
        """Lots and lines are created in bulk, with the defaults users set on
        them and the fields' own defaults."""
        self.env["ir.default"].set("stock.lot", "ref", "Checked at receipt")
        self.env["ir.default"].set("stock.move.line", "owner_id", self.vendor_2.id)
        allocation = self._allocate(self._request(self.move_laptop))
        self.assertEqual(allocation.lot_ids.mapped("ref"), ["Checked at receipt"] * 3)
        lines = self.move_laptop.move_line_ids
        self.assertEqual(lines.lot_id, allocation.lot_ids)
        self.assertEqual(lines.owner_id, self.vendor_2)
        self.assertTrue(all(lines.mapped("date")))

    def test_generate_renders_codes_and_check_digit(self):
        generator = self._create_generator(
            prefix="%(product_code)s-%(source)s-", padding=4, check_digit="mod_37_36"
        )
        self.laptop.serial_generator_id = generator
        allocation = self._allocate(self._request(self.move_laptop))
        names = allocation.lot_ids.sorted("name").mapped("name")
        self.assertEqual(
            [name[:-1] for name in names],
            ["LAP14-P-0001", "LAP14-P-0002", "LAP14-P-0003"],
        )
        self.assertTrue(all(generator._is_valid_check_digit(name) for name in names))

    def test_enter_trims_and_keeps_the_counter(self):
        allocation = self._allocate(
            self._request(
                self.move_laptop,
                method="enter",
                serials=[" V-100", "V-101 ", "\tV-102"],
            )
        )
        self.assertEqual(allocation.method, "enter")
        self.assertEqual(
            allocation.lot_ids.sorted("name").mapped("name"),
            ["V-100", "V-101", "V-102"],
        )
        self.assertEqual(
            (allocation.first_serial, allocation.last_serial), ("V-100", "V-102")
        )
        self.assertEqual(self.generator.number_next, 1, "typed serials take no number")

    def test_enter_partial_leaves_the_rest_pending(self):
        allocation = self._allocate(
            self._request(
                self.move_laptop, method="enter", serials=["P-1", "P-2"], partial=True
            )
        )
        self.assertEqual(allocation.count, 2)
        self.assertEqual(self.move_laptop.serial_allocated_qty, 2)
        self.assertEqual(self.move_laptop.serial_to_allocate_qty, 1)
        # The rest is allocated later, on the same move.
        self._allocate(self._request(self.move_laptop))
        self.assertEqual(self.move_laptop.serial_to_allocate_qty, 0)
        self.assertEqual(len(self.move_laptop.move_line_ids), 3)

    def test_import_csv(self):
        data = self._csv_file(
            [
                ["Box", "Serial Number"],
                ["1", "VX-001"],
                ["1", " VX-002 "],
                ["2", "VX-003"],
                ["", ""],
            ],
            delimiter=";",
        )
        lines = self.env["stock.serial.file"]._read_serial_file(
            data, "vendor.csv", "Serial Number"
        )
        self.assertEqual(lines, [(2, "VX-001"), (3, " VX-002 "), (4, "VX-003")])
        allocation = self._allocate(
            self._request(self.move_laptop, method="import", serials=lines)
        )
        self.assertEqual(allocation.method, "import")
        self.assertEqual(
            allocation.lot_ids.sorted("name").mapped("name"),
            ["VX-001", "VX-002", "VX-003"],
        )

    def test_import_xlsx(self):
        data = self._xlsx_file(
            [
                ["Model", "SN", "Note"],
                ["RX", 70001, "ok"],
                ["RX", "70002-B", None],
                [None, None, None],
            ]
        )
        lines = self.env["stock.serial.file"]._read_serial_file(
            data, "delivery note.XLSX", "SN"
        )
        self.assertEqual(lines, [(2, "70001"), (3, "70002-B")])
        allocation = self._allocate(
            self._request(self.move_router, method="import", serials=lines)
        )
        self.assertEqual(
            allocation.lot_ids.sorted("name").mapped("name"), ["70001", "70002-B"]
        )

    def test_import_through_the_wizard(self):
        """The wizard reads the file and its column; the service does the rest."""
        wizard = self._open_wizard(self.move_laptop.action_allocate_serials())
        form = Form(wizard)
        with form.line_ids.edit(0) as line:
            line.method = "import"
            line.import_file = self._xlsx_file([["serial"], ["W-1"], ["W-2"], ["W-3"]])
            line.import_filename = "serials.xlsx"
        form.save().action_allocate()
        self.assertEqual(
            self.move_laptop.move_line_ids.lot_id.sorted("name").mapped("name"),
            ["W-1", "W-2", "W-3"],
        )

    def test_same_serial_for_another_product(self):
        """Product scope: the same serial may exist for another product."""
        self.Lot.create({"product_id": self.router.id, "name": "SHARED-1"})
        allocation = self._allocate(
            self._request(
                self.move_laptop, quantity=1, method="enter", serials=["SHARED-1"]
            )
        )
        self.assertEqual(allocation.lot_ids.name, "SHARED-1")

    def test_form_defaults_stay_out_of_the_allocation(self):
        """Defaults meant for the form the wizard was opened from do not reach
        the lots, move lines or register entries the service creates."""
        service = self.env["stock.serial.allocator"].with_context(
            default_ref="FORM-REF",
            default_owner_id=self.vendor.id,
            default_void_reason="FORM-REASON",
        )
        allocation = service._allocate([self._request(self.move_laptop)], "purchase")
        self.assertEqual(len(allocation.lot_ids), 3)
        self.assertFalse(allocation.lot_ids.filtered("ref"))
        self.assertFalse(self.move_laptop.move_line_ids.owner_id)
        self.assertFalse(allocation.void_reason)
        self.assertEqual(allocation.env.context.get("default_ref"), "FORM-REF")

    # ------------------------------------------------------------------
    # Bad input: refused, named, nothing written
    # ------------------------------------------------------------------
    def test_refuse_nothing_to_allocate(self):
        with self.assertRefused("There is nothing to allocate."):
            self._allocate()

    def test_refuse_count_not_equal_to_quantity(self):
        with self.assertRefused(
            "No serial was allocated:",
            "- %s: 2 serials given for 3 units to allocate." % self.label_laptop,
            "- %s: 3 serials given for 2 units to allocate." % self.label_router,
        ):
            self._allocate(
                self._request(self.move_laptop, method="enter", serials=["A-1", "A-2"]),
                self._request(
                    self.move_router, method="enter", serials=["B-1", "B-2", "B-3"]
                ),
            )
        # More than asked is refused even for a partial allocation.
        with self.assertRefused("3 serials given for 2 units to allocate."):
            self._allocate(
                self._request(
                    self.move_router,
                    method="enter",
                    serials=["B-1", "B-2", "B-3"],
                    partial=True,
                )
            )

    def test_refuse_more_than_the_move_lacks(self):
        with self.assertRefused(
            "- %s: 4 serials asked, but only 3 units lack one." % self.label_laptop
        ):
            self._allocate(self._request(self.move_laptop, quantity=4))
        # Two requests on the same move add up.
        with self.assertRefused("5 serials asked, but only 3 units lack one."):
            self._allocate(
                self._request(self.move_laptop, quantity=2),
                self._request(self.move_laptop, quantity=3),
            )

    def test_refuse_closed_moves(self):
        self._allocate(self._request(self.move_laptop), self._request(self.move_router))
        self.receipt.button_validate()
        self.assertEqual(self.receipt.state, "done")
        with self.assertRefused("the move is Done; only confirmed moves take serials."):
            self._allocate(self._request(self.move_laptop, quantity=1))

    def test_refuse_duplicates_inside_the_list(self):
        with self.assertRefused(
            "line 3 repeats D-1 (line 1)",
            "line 4 repeats D-1 (line 1)",
        ):
            self._allocate(
                self._request(
                    self.move_laptop,
                    quantity=4,
                    method="enter",
                    serials=["D-1", "D-2", "D-1", " D-1 "],
                    partial=True,
                )
            )

    def test_refuse_spaces_trimmed_then_rechecked(self):
        """' S-1' and 'S-1 ' are the same serial once trimmed; a space-only
        line is blank."""
        with self.assertRefused("line 2 repeats S-1 (line 1)", "line 3 is blank"):
            self._allocate(
                self._request(
                    self.move_laptop, method="enter", serials=[" S-1", "S-1 ", "   "]
                )
            )

    def test_refuse_blank_lines(self):
        with self.assertRefused("line 2 is blank", "line 4 is blank"):
            self._allocate(
                self._request(
                    self.move_laptop,
                    quantity=3,
                    method="enter",
                    serials=["B-1", "", "B-2", ""],
                    partial=True,
                )
            )

    def test_refuse_control_characters(self):
        with self.assertRefused(
            "line 1 ('C\\x00-1') has control characters",
            "line 2 ('C\\t2') has control characters",
            "line 3 ('C\\u200b3') has control characters",
        ):
            self._allocate(
                self._request(
                    self.move_laptop,
                    method="enter",
                    serials=["C\x00-1", "C\t2", "C\u200b3"],
                )
            )

    def test_refuse_serials_longer_than_128(self):
        with self.assertRefused("line 2 is longer than 128 characters"):
            self._allocate(
                self._request(
                    self.move_router, method="enter", serials=["L" * 128, "L" * 129]
                )
            )
        allocation = self._allocate(
            self._request(
                self.move_router, method="enter", serials=["L" * 128, "M" * 128]
            )
        )
        self.assertEqual(allocation.count, 2)

    def test_refuse_failed_check_digits(self):
        generator = self._create_generator(prefix="40", padding=6, check_digit="luhn")
        self.laptop.serial_generator_id = generator
        good = generator._add_check_digit("40000123")
        wrong_1 = "400001240"
        wrong_2 = "400001250"
        self.assertFalse(generator._is_valid_check_digit(wrong_1))
        self.assertFalse(generator._is_valid_check_digit(wrong_2))
        with self.assertRefused("wrong check digit (luhn)", wrong_1, wrong_2):
            self._allocate(
                self._request(
                    self.move_laptop, method="enter", serials=[good, wrong_1, wrong_2]
                )
            )
        self.assertIn("(line 2)", self.refused_message)
        self.assertIn("(line 3)", self.refused_message)
        self.assertNotIn(good, self.refused_message)

    def test_refuse_existing_serials_in_scope(self):
        self.Lot.create(
            [{"product_id": self.laptop.id, "name": name} for name in ("E-1", "E-3")]
        )
        with self.assertRefused(
            "- E-1 (%s, line 1) already exists" % self.label_laptop,
            "- E-3 (%s, line 3) already exists" % self.label_laptop,
        ):
            self._allocate(
                self._request(
                    self.move_laptop, method="enter", serials=["E-1", "E-2", "E-3"]
                )
            )
        self.assertNotIn("E-2", self.refused_message)

    def test_refuse_existing_serials_company_scope(self):
        """Per-company uniqueness: a serial of another product also clashes."""
        self.company.serial_uniqueness_scope = "company"
        self.Lot.create({"product_id": self.router.id, "name": "CO-1"})
        with self.assertRefused("CO-1", "already exists"):
            self._allocate(
                self._request(
                    self.move_laptop, quantity=1, method="enter", serials=["CO-1"]
                )
            )

    def test_refuse_existing_generated_serials(self):
        """A generated serial that already exists (a legacy lot) is refused
        and the counter does not move."""
        self.Lot.create({"product_id": self.laptop.id, "name": "RC-00002"})
        with self.assertRefused("- RC-00002 (%s) already exists" % self.label_laptop):
            self._allocate(self._request(self.move_laptop))
        self.assertEqual(self.generator.number_next, 1)

    def test_refuse_duplicates_across_requests(self):
        with self.assertRefused(
            "- X-2 is given for both %s and %s" % (self.label_laptop, self.label_router)
        ):
            self._allocate(
                self._request(
                    self.move_laptop, method="enter", serials=["X-1", "X-2", "X-3"]
                ),
                self._request(self.move_router, method="enter", serials=["X-2", "X-4"]),
            )

    def test_refuse_duplicates_across_allocations(self):
        """A serial allocated by an earlier request (another receipt) is refused."""
        self._allocate(
            self._request(
                self.move_laptop, method="enter", serials=["R-1", "R-2", "R-3"]
            )
        )
        other = self._create_receipt([(self.laptop, 2)], vendor=self.vendor_2)
        with self.assertRefused("R-3", "already exists"):
            self._allocate(
                self._request(other.move_ids, method="enter", serials=["R-4", "R-3"])
            )

    def test_refuse_non_integer_quantity(self):
        with self.assertRefused(
            "- %s: the quantity to allocate must be a positive whole number of units, "
            "not 1.5." % self.label_laptop
        ):
            self._allocate(self._request(self.move_laptop, quantity=1.5))
        with self.assertRefused("not 0"):
            self._allocate(self._request(self.move_laptop, quantity=0))

    def test_refuse_products_that_are_not_serial_products(self):
        lot_product = self._create_serial_product("Cable Drum", tracking="lot")
        plain = self._create_serial_product("Screws", tracking="none")
        receipt = self._create_receipt([(lot_product, 2), (plain, 2)])
        move_lot, move_plain = receipt.move_ids.sorted("id")
        with self.assertRefused(
            "Cable Drum is not a serial product.", "Screws is not a serial product."
        ):
            self._allocate(self._request(move_lot), self._request(move_plain))

    def test_refuse_product_without_generator(self):
        product = self._create_serial_product("No Generator")
        receipt = self._create_receipt([(product, 1)])
        with self.assertRefused("No Generator has no serial generator."):
            self._allocate(self._request(receipt.move_ids))

    def test_refuse_missing_pattern_code_before_the_counter_moves(self):
        generator = self._create_generator(prefix="%(product_code)s-")
        product = self._create_serial_product("No Reference", generator)
        receipt = self._create_receipt([(product, 2)])
        with self.assertRefused("No Reference has no Internal Reference"):
            self._allocate(self._request(receipt.move_ids))
        self.assertEqual(generator.number_next, 1)

    def test_refuse_every_error_at_once(self):
        """One message lists the problems of every request."""
        with self.assertRefused(
            "line 2 is blank",
            "- %s: 2 serials given for 3 units to allocate." % self.label_laptop,
            "- %s: 3 serials given for 2 units to allocate." % self.label_router,
            "line 3 repeats Y-1 (line 1)",
        ):
            self._allocate(
                self._request(self.move_laptop, method="enter", serials=["Y-0", ""]),
                self._request(
                    self.move_router, method="enter", serials=["Y-1", "Y-2", "Y-1"]
                ),
            )

    def test_refuse_bad_files(self):
        """Files that are not valid CSV/XLSX, or lack the column, are refused
        by the wizard before anything is allocated."""
        cases = [
            (
                b"%PDF-1.4 not a list",
                "serials.pdf",
                "serial",
                "serials.pdf is neither a CSV nor an XLSX file.",
            ),
            (
                b"PK\x03\x04 broken zip",
                "serials.xlsx",
                "serial",
                "serials.xlsx is not a valid XLSX file.",
            ),
            (
                "serial\nÉ-1\n".encode("latin-1"),
                "serials.csv",
                "serial",
                "serials.csv is not a UTF-8 CSV file.",
            ),
            (b"", "empty.csv", "serial", "Choose a file to import."),
            (
                b"Serial,Box\nQ-1,1\n",
                "serials.csv",
                "SN",
                "serials.csv has no column SN (columns: Serial, Box).",
            ),
        ]
        for content, filename, column, message in cases:
            with self.subTest(filename=filename, column=column):
                wizard = self._open_wizard(self.move_laptop.action_allocate_serials())
                wizard.line_ids.write(
                    {
                        "method": "import",
                        "import_file": base64.b64encode(content) if content else False,
                        "import_filename": filename,
                        "import_column": column,
                    }
                )
                with self.assertRefused(message):
                    wizard.action_allocate()
        # An XLSX file lacking the column.
        wizard = self._open_wizard(self.move_laptop.action_allocate_serials())
        wizard.line_ids.write(
            {
                "method": "import",
                "import_file": self._xlsx_file([["Model", "Serial"], ["X", "Z-1"]]),
                "import_filename": "list.xlsx",
                "import_column": "serial number",
            }
        )
        with self.assertRefused(
            "list.xlsx has no column serial number (columns: Model, Serial)."
        ):
            wizard.action_allocate()

    def test_refuse_bad_rows_of_a_file(self):
        """Rows of an imported file are checked like typed lines, named by
        their line in the file."""
        data = self._csv_file([["serial"], ["F-1"], [" "], ["F-1"]])
        lines = self.env["stock.serial.file"]._read_serial_file(
            data, "list.csv", "serial"
        )
        with self.assertRefused("line 3 is blank", "line 4 repeats F-1 (line 2)"):
            self._allocate(
                self._request(self.move_laptop, method="import", serials=lines)
            )

    def test_wizard_needs_a_quantity(self):
        wizard = self._open_wizard(self.receipt.action_allocate_serials())
        wizard.line_ids.quantity = 0
        with self.assertRefused("Set a quantity to allocate on at least one line."):
            wizard.action_allocate()

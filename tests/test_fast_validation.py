# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form

from ..models.stock_move_line import FAST_VALIDATION_PARAM
from .mrp_common import MrpAllocationCommon
from .opening_common import OpeningStockCommon
from .receipt_common import ReceiptAllocationCommon

QUANT_INSERT = 'INSERT INTO "stock_quant"'


class FastValidationMixin:
    """Validations of fresh serials, through the fast path and through
    Odoo's own quant updates (the system parameter off), compared field by
    field.

    The products are valued in real time (FIFO), so that the stock values
    and the journal entries of both paths are compared too.
    """

    maxDiff = None

    @classmethod
    def _setup_valuation(cls):
        company = cls.env.company
        if not company.chart_template:
            cls.env["account.chart.template"]._load(
                "generic_coa", company, install_demo=False
            )
        cls.env.invalidate_all()
        cls.categ_valued = cls.env["product.category"].create(
            {
                "name": "Serial Fast Validation",
                "property_valuation": "real_time",
                "property_cost_method": "fifo",
            }
        )
        cls.Quant = cls.env["stock.quant"]

    # ------------------------------------------------------------------
    # The two paths
    # ------------------------------------------------------------------
    def _set_fast_validation(self, enabled):
        self.env["ir.config_parameter"].sudo().set_param(
            FAST_VALIDATION_PARAM, "True" if enabled else "False"
        )

    @contextmanager
    def _validation(self, fast, since=None):
        """Validate in the block through the fast path or Odoo's own; yields
        the validation window (start, end: from `since` if given) and the
        quant INSERTs counted."""
        self._set_fast_validation(fast)
        self.env.flush_all()
        window = {"start": since or fields.Datetime.now() - timedelta(seconds=1)}
        with self._capture_queries() as queries:
            yield window
            self.env.flush_all()
        window["end"] = fields.Datetime.now() + timedelta(seconds=1)
        window["quant_inserts"] = self._count_queries(queries, QUANT_INSERT)
        self._set_fast_validation(True)

    # ------------------------------------------------------------------
    # What a validation leaves behind, comparable between two receipts
    # ------------------------------------------------------------------
    def _validation_outcome(self, moves, window):
        """Quants, move lines, moves, lots, packages and journal entries of
        `moves` after validation, with the records each path creates
        (lots, packages) named by their position and dates checked against
        the validation window."""
        self.env.invalidate_all()
        pickings = moves.picking_id
        lines = moves.move_line_ids
        lots = lines.lot_id.sorted("name")
        lot_index = {lot.id: index for index, lot in enumerate(lots)}
        packages = (lines.package_id | lines.result_package_id).sorted("id")
        package_index = {package.id: index for index, package in enumerate(packages)}
        package_index[False] = None

        def in_window(date):
            return bool(date) and window["start"] <= date <= window["end"]

        quants = self.Quant.search(
            [
                "|",
                ("lot_id", "in", lots.ids),
                "&",
                ("product_id", "in", lines.product_id.ids),
                ("lot_id", "=", False),
            ]
        )
        in_dates = {}
        for quant in quants.filtered("lot_id"):
            in_dates.setdefault(quant.lot_id.id, set()).add(quant.in_date)
        outcome = {
            "quants": sorted(
                (
                    lot_index.get(quant.lot_id.id, -1),
                    quant.product_id.display_name,
                    quant.location_id.id,
                    quant.quantity,
                    quant.reserved_quantity,
                    package_index[quant.package_id.id],
                    quant.owner_id.id,
                    quant.company_id.id,
                    in_window(quant.in_date) if quant.lot_id else None,
                    quant.inventory_quantity,
                    quant.inventory_quantity_set,
                    quant.inventory_diff_quantity,
                    quant.inventory_date,
                    quant.user_id.id,
                )
                for quant in quants
            ),
            # Each serial entered its places at one date.
            "one_in_date_per_serial": all(
                len(dates) == 1 for dates in in_dates.values()
            ),
            "move_lines": sorted(
                (
                    lot_index.get(line.lot_id.id, -1),
                    line.product_id.display_name,
                    line.location_id.id,
                    line.location_dest_id.id,
                    line.quantity,
                    line.quantity_product_uom,
                    line.picked,
                    line.state,
                    package_index[line.package_id.id],
                    package_index[line.result_package_id.id],
                    line.owner_id.id,
                    in_window(line.date),
                )
                for line in lines
            ),
            "moves": sorted(
                (
                    move.product_id.display_name,
                    move.location_id.id,
                    move.location_dest_id.id,
                    move.state,
                    move.quantity,
                    move.product_uom_qty,
                    move.value,
                    move.remaining_qty,
                    move.remaining_value,
                    move.is_in,
                    move.is_out,
                    bool(move.account_move_id),
                )
                for move in moves
            ),
            "journal": sorted(
                (
                    line.account_id.id,
                    line.product_id.display_name,
                    line.debit,
                    line.credit,
                    line.quantity,
                    line.parent_state,
                )
                for line in moves.account_move_id.line_ids
            ),
            "lots": [
                (
                    lot.product_id.display_name,
                    lot.location_id.id,
                    lot.product_qty,
                    len(lot.quant_ids),
                )
                for lot in lots
            ],
            "packages": [
                (
                    package.location_id.id,
                    len(package.quant_ids),
                    sum(package.quant_ids.mapped("quantity")),
                    self.env["stock.package.history"].search_count(
                        [("package_id", "=", package.id)]
                    ),
                )
                for package in packages
            ],
            "pickings": sorted(
                (picking.state, in_window(picking.date_done)) for picking in pickings
            ),
        }
        return outcome

    def _assert_same_outcome(self, make, validate=None, moves_of=None):
        """Make the same records twice (pickings by default), validate one
        set through Odoo's own path and the other through the fast path: the
        outcomes of their moves are equal."""
        validate = validate or (lambda pickings: pickings.button_validate())
        moves_of = moves_of or (lambda pickings: pickings.move_ids)
        outcomes = {}
        for fast in (False, True):
            records = make()
            with self._validation(fast) as window:
                self.assertIs(validate(records), True)
            outcomes[fast] = self._validation_outcome(moves_of(records), window)
            outcomes[fast, "quant_inserts"] = window["quant_inserts"]
        self.assertEqual(outcomes[True], outcomes[False])
        self.assertTrue(outcomes[True]["one_in_date_per_serial"])
        return outcomes


class TestFastValidation(FastValidationMixin, ReceiptAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_valuation()
        (cls.laptop | cls.router).write(
            {"categ_id": cls.categ_valued.id, "standard_price": 80.0}
        )
        cls.owner = cls.env["res.partner"].create({"name": "Consignment Owner"})

    def _allocated_receipt(self, lines, vendor=None, **line_values):
        """A purchase of (product, quantity) lines whose receipt got its
        serials from the wizard; `line_values` go on every detailed line."""
        order = self._create_purchase(lines, vendor=vendor)
        receipt = order.picking_ids
        self._allocate_receipt(receipt)
        if line_values:
            receipt.move_line_ids.write(line_values)
        return receipt

    def test_receipt_same_as_odoo(self):
        outcomes = self._assert_same_outcome(
            lambda: self._allocated_receipt([(self.laptop, 6), (self.router, 2)])
        )
        # Two quants per serial: one INSERT, against one per quant.
        self.assertEqual(outcomes[True, "quant_inserts"], 1)
        self.assertEqual(outcomes[False, "quant_inserts"], 16)
        quants = outcomes[True]["quants"]
        self.assertEqual(len(quants), 16)
        self.assertEqual(
            sorted({(q[2], q[3]) for q in quants}),
            sorted({(self.supplier_location.id, -1.0), (self.stock_location.id, 1.0)}),
        )
        # Valued at the purchase price.
        self.assertEqual(sum(move[6] for move in outcomes[True]["moves"]), 8 * 100.0)

    def test_receipt_with_packages_same_as_odoo(self):
        def receipt_in_packages():
            receipt = self._allocated_receipt([(self.laptop, 4)])
            first, second = self.env["stock.package"].create(
                [{"name": "FAST-PACK-1"}, {"name": "FAST-PACK-2"}]
            )
            lines = receipt.move_line_ids.sorted("id")
            lines[:2].result_package_id = first
            lines[2:].result_package_id = second
            return receipt

        outcomes = self._assert_same_outcome(receipt_in_packages)
        self.assertEqual(outcomes[True, "quant_inserts"], 1)
        self.assertEqual(
            [package[:3] for package in outcomes[True]["packages"]],
            [(self.stock_location.id, 2, 2.0)] * 2,
        )

    def test_receipt_with_owner_same_as_odoo(self):
        outcomes = self._assert_same_outcome(
            lambda: self._allocated_receipt([(self.laptop, 3)], owner_id=self.owner.id)
        )
        self.assertEqual(outcomes[True, "quant_inserts"], 1)
        self.assertEqual(
            {quant[6] for quant in outcomes[True]["quants"]}, {self.owner.id}
        )
        # Stock owned by someone else is not valued.
        self.assertFalse(outcomes[True]["journal"])

    def test_receipt_with_putaway_same_as_odoo(self):
        # No annual count; the shelf is counted every week: only its quants
        # have a next count date.
        self.env.company.annual_inventory_month = False
        shelf = self.env["stock.location"].create(
            {
                "name": "Fast Shelf",
                "location_id": self.stock_location.id,
                "cyclic_inventory_frequency": 7,
            }
        )
        self.env["stock.putaway.rule"].create(
            {
                "product_id": self.laptop.id,
                "location_in_id": self.stock_location.id,
                "location_out_id": shelf.id,
            }
        )
        outcomes = self._assert_same_outcome(
            lambda: self._allocated_receipt([(self.laptop, 3)])
        )
        self.assertEqual(
            {quant[2] for quant in outcomes[True]["quants"]},
            {self.supplier_location.id, shelf.id},
        )
        self.assertEqual(
            {(quant[2], quant[12]) for quant in outcomes[True]["quants"]},
            {
                (self.supplier_location.id, False),
                (shelf.id, fields.Date.today() + timedelta(days=7)),
            },
        )

    def test_two_step_reception_same_as_odoo(self):
        self.warehouse.reception_steps = "two_steps"

        def validate_both_steps(receipt):
            self.assertIs(receipt.button_validate(), True)
            storage = receipt.move_ids.move_dest_ids.picking_id
            self.assertEqual(storage.state, "assigned")
            self.assertIs(storage.button_validate(), True)
            return True

        def receipt_and_storage():
            receipt = self._allocated_receipt([(self.laptop, 3), (self.router, 1)])
            self.assertEqual(
                receipt.location_dest_id, self.warehouse.wh_input_stock_loc_id
            )
            return receipt

        outcomes = {}
        for fast in (False, True):
            receipt = receipt_and_storage()
            with self._validation(fast) as window:
                validate_both_steps(receipt)
            moves = receipt.move_ids | receipt.move_ids.move_dest_ids
            outcomes[fast] = self._validation_outcome(moves, window)
        self.assertEqual(outcomes[True], outcomes[False])
        in_stock = [
            quant[0]
            for quant in outcomes[True]["quants"]
            if quant[2:4] == (self.stock_location.id, 1.0)
        ]
        self.assertEqual(sorted(in_stock), [0, 1, 2, 3])

    def _returned_serial(self):
        """A serial received, then given back to the vendor: it has quants."""
        receipt = self._allocated_receipt([(self.router, 1)])
        receipt.button_validate()
        lot = receipt.move_line_ids.lot_id
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=receipt.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        give_back = wizard._create_return()
        give_back.move_ids.picked = True
        give_back.button_validate()
        # Back at the vendor: its quants remain, holding nothing.
        self.assertTrue(lot.quant_ids)
        self.assertFalse(lot.quant_ids.filtered("quantity"))
        return lot

    def _mixed_receipt(self):
        """New serials, a serial that had stock before and a product
        without tracking, on one receipt."""
        returned_lot = self._returned_serial()
        cable = self.env["product.product"].create(
            {
                "name": "Fast Cable",
                "is_storable": True,
                "categ_id": self.categ_valued.id,
            }
        )
        receipt = self._allocated_receipt([(self.laptop, 3), (cable, 5)])
        move = self.env["stock.move"].create(
            {
                "picking_id": receipt.id,
                "product_id": self.router.id,
                "product_uom_qty": 1,
                "product_uom": self.router.uom_id.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": receipt.id,
                "product_id": self.router.id,
                "lot_id": returned_lot.id,
                "quantity": 1,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
            }
        )
        receipt.move_ids.filtered(lambda m: m.product_id == cable).quantity = 5
        receipt.move_ids.picked = True
        return receipt

    def test_mixed_receipt_falls_back(self):
        """Only the new serials take the fast path, and the whole result is
        Odoo's."""
        receipt = self._mixed_receipt()
        self.assertEqual(
            receipt.move_line_ids._get_fresh_serial_lines(),
            receipt.move_line_ids.filtered(lambda line: line.product_id == self.laptop),
        )
        outcomes = self._assert_same_outcome(self._mixed_receipt)
        # Odoo: two quants per new serial and two for the cable, none for
        # the returned serial (its quants are updated).
        self.assertEqual(outcomes[False, "quant_inserts"], 8)
        self.assertEqual(outcomes[True, "quant_inserts"], 1 + 2)
        self.assertIn(
            (0, self.router.display_name, self.stock_location.id, 1.0),
            [quant[:4] for quant in outcomes[True]["quants"]],
        )

    def test_existing_untracked_stock_at_source_falls_back(self):
        """Units without serial at the vendor's location: Odoo takes the
        serial's unit from them, so the line keeps Odoo's path."""
        self.Quant._update_available_quantity(self.laptop, self.supplier_location, 2)
        receipt = self._allocated_receipt([(self.laptop, 3)])
        self.assertFalse(receipt.move_line_ids._get_fresh_serial_lines())

    def test_switched_off(self):
        receipt = self._allocated_receipt([(self.laptop, 2)])
        self._set_fast_validation(False)
        self.assertFalse(receipt.move_line_ids._get_fresh_serial_lines())
        self._set_fast_validation(True)
        self.assertEqual(
            receipt.move_line_ids._get_fresh_serial_lines(), receipt.move_line_ids
        )


class TestFastValidationMrp(FastValidationMixin, MrpAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_valuation()
        cls.product.write({"categ_id": cls.categ_valued.id, "standard_price": 50.0})
        cls.runs = 0
        # Compared with Odoo's own production, which links every consumed
        # line to every finished one (components per unit: test_serial_components).
        cls.env.company.serial_components_per_unit = False

    def _allocated_production(self, quantity=3):
        """An order of `quantity` serial units made from a serial component
        and a board without serial, both in stock (new products on each
        call, named alike), with its serials allocated."""
        self.runs += 1
        chip, board = self.env["product.product"].create(
            [
                {
                    "name": "Fast Chip",
                    "is_storable": True,
                    "tracking": "serial",
                    "categ_id": self.categ_valued.id,
                    "standard_price": 7.0,
                },
                {
                    "name": "Fast Board",
                    "is_storable": True,
                    "categ_id": self.categ_valued.id,
                    "standard_price": 3.0,
                },
            ]
        )
        chips = self.env["stock.lot"].create(
            [
                {"name": "K%s-%03d" % (self.runs, number), "product_id": chip.id}
                for number in range(quantity)
            ]
        )
        for lot in chips:
            self.Quant._update_available_quantity(
                chip, self.stock_location, 1, lot_id=lot
            )
        self.Quant._update_available_quantity(board, self.stock_location, 10)
        bom = self._create_bom(
            self.product,
            bom_line_ids=[
                Command.create({"product_id": chip.id, "product_qty": 1}),
                Command.create({"product_id": board.id, "product_qty": 2}),
            ],
        )
        production = self._create_mo(quantity, bom=bom)
        self._allocate(production)
        self.assertEqual(len(production.lot_producing_ids), quantity)
        return production

    def test_production_same_as_odoo(self):
        outcomes = self._assert_same_outcome(
            self._allocated_production,
            validate=lambda production: production.button_mark_done(),
            moves_of=lambda production: (
                production.move_raw_ids | production.move_finished_ids
            ),
        )
        # The finished serials' quants in one INSERT; the components' quants
        # are updated by Odoo (the board's quant at production is created).
        self.assertLess(
            outcomes[True, "quant_inserts"], outcomes[False, "quant_inserts"]
        )
        finished = [
            quant
            for quant in outcomes[True]["quants"]
            if quant[1] == self.product.display_name
        ]
        self.assertEqual(
            sorted((quant[2], quant[3]) for quant in finished),
            sorted(
                [(self.stock_location.id, 1.0)] * 3
                + [(self.product.property_stock_production.id, -1.0)] * 3
            ),
        )


class TestFastValidationOpening(FastValidationMixin, OpeningStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_valuation()

    def _new_product(self):
        """A serial product drawing on the class's generator (new on each
        call, named alike)."""
        return self._create_serial_product(
            "Fast Opening",
            self.generator,
            categ_id=self.categ_valued.id,
            standard_price=20.0,
        )

    def _allocate_opening(
        self, product, location=None, quantity=3, fast=True, since=None
    ):
        """Allocate opening serials to `product` (its stock without serial,
        or new stock at `location`) through the fast path or Odoo's own;
        return the inventory moves and the validation window."""
        wizard = self._wizard(product.product_tmpl_id.action_allocate_opening_serials())
        if location:
            wizard.line_ids.write({"location_id": location.id, "quantity": quantity})
        with self._validation(fast, since) as window:
            wizard.action_allocate()
        lots = self._serial_quants(product, location).lot_id
        return self._allocation_moves(lots.serial_allocation_id), window

    def _assert_same_opening(self, prepare):
        outcomes = {}
        for fast in (False, True):
            # Serialized stock keeps the in-date of the stock it replaces.
            since = fields.Datetime.now() - timedelta(seconds=1)
            product, location = prepare()
            moves, window = self._allocate_opening(
                product, location, fast=fast, since=since
            )
            outcomes[fast] = self._validation_outcome(moves, window)
            outcomes[fast, "quant_inserts"] = window["quant_inserts"]
        self.assertEqual(outcomes[True], outcomes[False])
        return outcomes

    def test_new_stock_same_as_odoo(self):
        outcomes = self._assert_same_opening(lambda: (self._new_product(), self.shelf))
        self.assertEqual(outcomes[True, "quant_inserts"], 1)
        self.assertEqual(outcomes[False, "quant_inserts"], 6)

    def test_serialized_stock_same_as_odoo(self):
        # Stock entered days ago: its serials keep that in-date, whatever
        # second the validation runs in.
        entered = fields.Datetime.now().replace(microsecond=0) - timedelta(days=3)
        products = []

        def stock_without_serial():
            product = self._new_product()
            self._put_untracked(product, 3).sudo().write({"in_date": entered})
            products.append(product)
            return product, None

        outcomes = self._assert_same_opening(stock_without_serial)
        for product in products:
            serial_quants = self._serial_quants(product)
            self.assertEqual(len(serial_quants), 3)
            self.assertEqual(set(serial_quants.mapped("in_date")), {entered})
        # The serial units in one INSERT; the units without serial leave
        # through Odoo's own updates of the quants they were entered with.
        self.assertEqual(outcomes[True, "quant_inserts"], 1)
        self.assertEqual(outcomes[False, "quant_inserts"], 6)

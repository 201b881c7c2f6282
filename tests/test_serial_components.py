# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form

from .mrp_common import MrpAllocationCommon


class TestSerialComponents(MrpAllocationCommon):
    """Which component serials went into each finished serial of an order of
    five: shared out in order, edited, read from a list, checked, stored on
    the lots, shown by the traceability report, kept by backorders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.board = cls._create_serial_product("Main Board", default_code="MB")
        cls.sensor = cls._create_serial_product("Sensor", default_code="SE")
        cls.glue = cls.env["product.product"].create(
            {
                "name": "Glue",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        Lot = cls.env["stock.lot"]
        for product, prefix in ((cls.board, "MB"), (cls.sensor, "SE")):
            for number in range(1, 6):
                lot = Lot.create(
                    {
                        "name": "%s-%02d" % (prefix, number),
                        "product_id": product.id,
                        "company_id": cls.env.company.id,
                    }
                )
                cls.env["stock.quant"]._update_available_quantity(
                    product, cls.stock_location, 1, lot_id=lot
                )
        cls.glue_lot = Lot.create(
            {
                "name": "GLUE-A",
                "product_id": cls.glue.id,
                "company_id": cls.env.company.id,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.glue, cls.stock_location, 10, lot_id=cls.glue_lot
        )
        cls.bom_tracked = cls._create_bom(
            cls.product,
            bom_line_ids=[
                Command.create({"product_id": cls.board.id, "product_qty": 1}),
                Command.create({"product_id": cls.sensor.id, "product_qty": 1}),
                Command.create({"product_id": cls.component.id, "product_qty": 1}),
            ],
        )

    def _lot(self, name):
        return self.env["stock.lot"].search([("name", "=", name)])

    def _produce(self, quantity=5, allocate=None, bom=None):
        """An order of `quantity` with `allocate` serials allocated (all by
        default), its components reserved; the step opened by Mark as Done."""
        production = self._create_mo(quantity, bom=bom or self.bom_tracked)
        production.action_assign()
        self._allocate(production, quantity=allocate or quantity)
        action = production.button_mark_done()
        if action["res_model"] == "mrp.production.backorder":
            backorder_wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            ).save()
            action = backorder_wizard.action_backorder()
        self.assertEqual(action["res_model"], "mrp.serial.component.wizard")
        self.assertNotEqual(production.state, "done")
        # As the web client does, the step's buttons run in its action's context.
        wizard = self.env[action["res_model"]].with_context(**action["context"])
        return production, wizard.browse(action["res_id"])

    def _lines(self, wizard):
        return sorted(
            (line.finished_lot_id.name, line.component_lot_id.name, line.quantity)
            for line in wizard.line_ids
        )

    def _made_from(self, production):
        production.invalidate_recordset()
        return {
            lot.name: sorted(lot.component_lot_ids.mapped("name"))
            for lot in production.lot_producing_ids
        }

    def _state(self, production):
        """What confirming writes: the rows, the lots' links, the order."""
        self.env.invalidate_all()
        return (
            self.env["mrp.production.serial.component"].search_count([]),
            self._made_from(production),
            production.state,
            production.move_raw_ids.mapped("state"),
        )

    def _assert_refused(self, wizard, *fragments):
        production = wizard.production_id
        before = self._state(production)
        with self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(self._state(production), before)
        return str(caught.exception)

    def test_default_assignment_in_order(self):
        production, wizard = self._produce()
        finished = production.lot_producing_ids.sorted("id").mapped("name")
        self.assertEqual(
            self._lines(wizard),
            sorted(
                [(name, "MB-%02d" % n, 1.0) for n, name in enumerate(finished, 1)]
                + [(name, "SE-%02d" % n, 1.0) for n, name in enumerate(finished, 1)]
            ),
        )
        self.assertFalse(wizard.problems)
        self.assertIn("ready", wizard.summary)
        wizard.action_confirm()
        self.assertEqual(production.state, "done")
        self.assertEqual(
            self._made_from(production),
            {
                name: ["MB-%02d" % n, "SE-%02d" % n]
                for n, name in enumerate(finished, 1)
            },
        )
        self.assertEqual(
            self._lot("MB-03").used_in_lot_ids.mapped("name"), [finished[2]]
        )
        # Each finished serial's detailed operation consumes its own component
        # serials (and the untracked component), so that the traceability
        # report shows only them.
        finished_lines = production.move_finished_ids.move_line_ids
        for number, name in enumerate(finished, 1):
            line = finished_lines.filtered(lambda ml, n=name: ml.lot_id.name == n)
            self.assertEqual(
                sorted(line.consume_line_ids.mapped(lambda ml: ml.lot_id.name or "")),
                ["", "MB-%02d" % number, "SE-%02d" % number],
            )
        report = self.env["stock.traceability.report"]
        second = finished_lines.filtered(lambda ml: ml.lot_id.name == finished[1])
        upstream, _used = report._get_linked_move_lines(second)
        self.assertEqual(sorted(upstream.lot_id.mapped("name")), ["MB-02", "SE-02"])
        self.assertEqual(
            report._get_linked_move_lines(
                production.move_raw_ids.move_line_ids.filtered(
                    lambda ml: ml.lot_id.name == "SE-02"
                )
            )[1],
            second,
        )

    def test_edited_assignment(self):
        production, wizard = self._produce()
        first, second = production.lot_producing_ids.sorted("id")[:2]
        # Swap the boards of the first two finished serials.
        boards = wizard.line_ids.filtered(lambda line: line.product_id == self.board)
        boards.filtered(
            lambda line: line.finished_lot_id == first
        ).finished_lot_id = second
        boards.filtered(
            lambda line: line.component_lot_id.name == "MB-02"
        ).finished_lot_id = first
        self.assertFalse(wizard.problems)
        wizard.action_confirm()
        made_from = self._made_from(production)
        self.assertEqual(made_from[first.name], ["MB-02", "SE-01"])
        self.assertEqual(made_from[second.name], ["MB-01", "SE-02"])
        self.assertEqual(
            production.serial_component_ids.filtered(
                lambda row: row.component_lot_id.name == "MB-01"
            ).finished_lot_id,
            second,
        )

    def test_assignment_from_a_pasted_list_and_a_file(self):
        production, wizard = self._produce()
        finished = production.lot_producing_ids.sorted("id").mapped("name")
        # Reversed: the last finished serial takes the first components.
        pairs = [
            (finished[4 - index], "%s-%02d" % (prefix, index + 1))
            for index in range(5)
            for prefix in ("MB", "SE")
        ]
        wizard.pasted_list = "\n".join("%s\t%s" % pair for pair in pairs) + "\n"
        wizard.action_read_list()
        self.assertEqual(self._lines(wizard), sorted(p + (1.0,) for p in pairs))
        self.assertFalse(wizard.pasted_list)
        # The same from a CSV file, in the file's own column order.
        content = "component_serial;finished_serial\n" + "\n".join(
            "%s;%s" % (component, finished_name) for finished_name, component in pairs
        )
        wizard.write(
            {
                "line_ids": [Command.clear()],
                "list_file": base64.b64encode(content.encode()),
                "list_filename": "units.csv",
            }
        )
        wizard.action_read_list()
        self.assertEqual(self._lines(wizard), sorted(p + (1.0,) for p in pairs))
        wizard.action_confirm()
        self.assertEqual(self._made_from(production)[finished[0]], ["MB-05", "SE-05"])

    def test_unreadable_list_names_every_wrong_line(self):
        production, wizard = self._produce()
        finished = production.lot_producing_ids.sorted("id").mapped("name")
        before = self._lines(wizard)
        wizard.pasted_list = "\n".join(
            [
                "%s, MB-01" % finished[0],
                "NOT-A-UNIT, MB-02",
                "%s, XX-99" % finished[1],
                "%s" % finished[2],
                "%s, GLUE-A, many" % finished[3],
            ]
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_read_list()
        message = str(caught.exception)
        for fragment in (
            "line 2: NOT-A-UNIT is not a serial %s produces" % production.name,
            "line 3: XX-99 is not a lot or serial %s consumes" % production.name,
            "line 4: give a finished serial",
            "line 5: GLUE-A is not a lot or serial",
            "line 5: many is not a quantity",
        ):
            self.assertIn(fragment, message)
        self.assertNotIn("line 1", message)
        wizard.invalidate_recordset()
        self.assertEqual(self._lines(wizard), before)

    def test_component_given_twice(self):
        production, wizard = self._produce()
        first, second = production.lot_producing_ids.sorted("id")[:2]
        # MB-02 goes to the first serial too: the first has two boards,
        # MB-01 stays in it, the second has none.
        wizard.line_ids.filtered(
            lambda line: line.component_lot_id.name == "MB-02"
        ).copy({"finished_lot_id": first.id, "wizard_id": wizard.id})
        message = self._assert_refused(
            wizard,
            "The components per unit of %s are wrong" % production.name,
            "- MB-02: given more than once (to %s, %s)." % (first.name, second.name),
            "- %s: 2.0 Units of [MB] Main Board instead of 1.0 per unit." % first.name,
        )
        self.assertEqual(production.state, "to_close")
        self.assertNotIn(second.name + ": ", message)

    def test_component_left_unassigned(self):
        production, wizard = self._produce()
        third = production.lot_producing_ids.sorted("id")[2]
        wizard.line_ids.filtered(
            lambda line: line.component_lot_id.name in ("SE-03", "MB-04")
        ).unlink()
        fourth = production.lot_producing_ids.sorted("id")[3]
        self._assert_refused(
            wizard,
            "- MB-04: consumed but given to no finished serial.",
            "- SE-03: consumed but given to no finished serial.",
            "- %s: 0.0 Units of [SE] Sensor instead of 1.0 per unit." % third.name,
            "- %s: 0.0 Units of [MB] Main Board instead of 1.0 per unit." % fourth.name,
        )

    def test_wrong_count_per_unit(self):
        production, wizard = self._produce()
        first, second = production.lot_producing_ids.sorted("id")[:2]
        # The second serial's sensor goes to the first: every serial given
        # once, but the first has two sensors and the second none.
        wizard.line_ids.filtered(
            lambda line: line.component_lot_id.name == "SE-02"
        ).finished_lot_id = first
        message = self._assert_refused(
            wizard,
            "- %s: 2.0 Units of [SE] Sensor instead of 1.0 per unit." % first.name,
            "- %s: 0.0 Units of [SE] Sensor instead of 1.0 per unit." % second.name,
        )
        self.assertNotIn("given more than once", message)

    def test_foreign_serials_are_refused(self):
        production, wizard = self._produce()
        other = self.env["stock.lot"].create(
            {"name": "MB-99", "product_id": self.board.id}
        )
        wizard.line_ids[:1].component_lot_id = other
        self._assert_refused(wizard, "- MB-99: not consumed by %s." % production.name)

    def test_stored_assignment_is_used_when_marking_done(self):
        production = self._create_mo(5, bom=self.bom_tracked)
        production.action_assign()
        self._allocate(production)
        self.assertTrue(production.show_serial_components)
        action = production.action_serial_components()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertFalse(wizard.mark_done_production_ids)
        self.assertEqual(wizard.action_confirm()["type"], "ir.actions.act_window_close")
        self.assertEqual(len(production.serial_component_ids), 10)
        self.assertEqual(production.state, "to_close")
        # Not done yet: Made from is empty until the order is done.
        self.assertEqual(set(map(tuple, self._made_from(production).values())), {()})
        # Valid and complete: Mark as Done does not ask again.
        self.assertTrue(production.button_mark_done())
        self.assertEqual(production.state, "done")
        self.assertEqual(len(self._made_from(production)), 5)

    def test_lot_components_share_a_lot(self):
        bom = self._create_bom(
            self.product,
            bom_line_ids=[
                Command.create({"product_id": self.board.id, "product_qty": 1}),
                Command.create({"product_id": self.glue.id, "product_qty": 0.5}),
            ],
        )
        production, wizard = self._produce(quantity=4, bom=bom)
        glue = wizard.line_ids.filtered(lambda line: line.product_id == self.glue)
        self.assertEqual(glue.mapped("quantity"), [0.5] * 4)
        glue[:1].quantity = 1.0
        self._assert_refused(
            wizard,
            "- lot GLUE-A: 2.0 Units consumed, 2.5 given to finished serials.",
            "instead of 0.5 per unit",
        )
        glue[:1].quantity = 0.5
        wizard.action_confirm()
        self.env.invalidate_all()
        self.assertEqual(
            self._lot("GLUE-A").used_in_lot_ids, production.lot_producing_ids
        )

    def test_partial_production_with_backorder(self):
        production, wizard = self._produce(quantity=5, allocate=3)
        # Odoo asked about the backorder first; the step comes after it.
        self.assertEqual(
            self._lines(wizard),
            sorted(
                [
                    (lot.name, "MB-%02d" % n, 1.0)
                    for n, lot in enumerate(
                        production.lot_producing_ids.sorted("id"), 1
                    )
                ]
                + [
                    (lot.name, "SE-%02d" % n, 1.0)
                    for n, lot in enumerate(
                        production.lot_producing_ids.sorted("id"), 1
                    )
                ]
            ),
        )
        self.assertEqual(len(wizard.line_ids), 6)
        wizard.action_confirm()
        self.assertEqual(production.state, "done")
        backorder = production.production_group_id.production_ids - production
        self.assertEqual(backorder.product_qty, 2)
        made_from = self._made_from(production)
        self.assertEqual(len(made_from), 3)
        self.assertEqual(
            sorted(sum(made_from.values(), [])),
            ["MB-01", "MB-02", "MB-03", "SE-01", "SE-02", "SE-03"],
        )
        # The backorder records its own two units; the first three keep theirs.
        backorder.action_assign()
        self._allocate(backorder)
        action = backorder.button_mark_done()
        self.env[action["res_model"]].with_context(**action["context"]).browse(
            action["res_id"]
        ).action_confirm()
        self.assertEqual(backorder.state, "done")
        self.assertEqual(
            sorted(sum(self._made_from(backorder).values(), [])),
            ["MB-04", "MB-05", "SE-04", "SE-05"],
        )
        self.assertEqual(self._made_from(production), made_from)

    def test_orders_without_the_setting_keep_odoo_behaviour(self):
        self.env.company.serial_components_per_unit = False
        production = self._create_mo(2, bom=self.bom_tracked)
        production.action_assign()
        self._allocate(production)
        self.assertFalse(production.show_serial_components)
        self.assertTrue(production.button_mark_done())
        self.assertEqual(production.state, "done")
        finished_line = production.move_finished_ids.move_line_ids[:1]
        # Odoo links every finished line to every consumed line.
        self.assertEqual(
            finished_line.consume_line_ids, production.move_raw_ids.move_line_ids
        )
        self.assertFalse(production.lot_producing_ids.component_lot_ids)

    def test_unbuild_gives_back_the_serial_s_own_components(self):
        production, wizard = self._produce()
        wizard.action_confirm()
        second = production.lot_producing_ids.sorted("id")[1]
        unbuild = Form(self.env["mrp.unbuild"])
        unbuild.product_id = self.product
        unbuild.mo_id = production
        unbuild.lot_id = second
        unbuild.save().action_unbuild()
        back = self.env["stock.quant"].search(
            [
                ("location_id", "=", self.stock_location.id),
                ("product_id", "in", (self.board | self.sensor).ids),
                ("quantity", "=", 1),
            ]
        )
        self.assertEqual(sorted(back.lot_id.mapped("name")), ["MB-02", "SE-02"])

    def test_one_unit_takes_every_component_without_asking(self):
        production = self._create_mo(1, bom=self.bom_tracked)
        production.action_assign()
        self._allocate(production)
        self.assertTrue(production.button_mark_done())
        self.assertEqual(production.state, "done")
        [name] = production.lot_producing_ids.mapped("name")
        self.assertEqual(self._made_from(production), {name: ["MB-01", "SE-01"]})

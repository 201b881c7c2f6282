# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from ast import literal_eval

from odoo import Command
from odoo.tests import Form

from .mrp_common import MrpAllocationCommon


class TestMrpAllocation(MrpAllocationCommon):
    def test_allocate_then_produce_n_units(self):
        """One order of N units gets N serials at once and is produced and
        closed as that one order, with stock and traceability right."""
        production = self._create_mo(12)
        self.assertEqual(production.serial_to_allocate_qty, 12)
        wizard = self._open_wizard(production)
        self.assertEqual(wizard.source, "manufacture")
        line = wizard.line_ids
        self.assertRecordValues(
            line,
            [
                {
                    "production_id": production.id,
                    "product_id": self.product.id,
                    "document": production.name,
                    "quantity_todo": 12,
                    "quantity": 12,
                    "method": "generate",
                    "preview": "MOM-0001 … MOM-0012",
                }
            ],
        )
        wizard = Form(wizard).save()
        result = wizard.action_allocate()
        self.assertEqual(result["tag"], "stock_serial_allocation_result")
        self.assertIn(
            "12 serial(s) allocated: MOM-0001 … MOM-0012", result["params"]["message"]
        )
        # The wizard's last step shows the same result.
        self.assertEqual(result["params"]["next"]["res_id"], wizard.id)
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.allocation_ids, production.serial_allocation_ids)
        self.assertEqual(wizard.result_message, result["params"]["message"])

        names = ["MOM-%04d" % number for number in range(1, 13)]
        lots = production.lot_producing_ids
        self.assertEqual(sorted(lots.mapped("name")), names)
        self.assertEqual(production.qty_producing, 12)
        self.assertRecordValues(
            production, [{"serial_allocated_qty": 12, "serial_to_allocate_qty": 0}]
        )
        allocation = production.serial_allocation_ids
        self.assertRecordValues(
            allocation,
            [
                {
                    "source": "manufacture",
                    "method": "generate",
                    "production_id": production.id,
                    "product_id": self.product.id,
                    "count": 12,
                    "first_serial": "MOM-0001",
                    "last_serial": "MOM-0012",
                    "state": "done",
                }
            ],
        )
        self.assertEqual(allocation.document_ref, production)
        self.assertEqual(allocation.lot_ids, lots)
        self.assertEqual(lots.serial_production_id, production)
        self.assertEqual(set(lots.mapped("serial_source")), {"manufacture"})
        self.assertEqual(lots[0].serial_production_date, allocation.date)
        self.assertEqual(self.generator.sequence_id.number_next_actual, 13)
        # Components are consumed for the units producing.
        self.assertEqual(production.move_raw_ids.quantity, 12)

        self.assertIs(production.button_mark_done(), True)
        self.assertEqual(production.state, "done")
        # Not split: the order is alone in its group, with all its serials.
        self.assertEqual(production.production_group_id.production_ids, production)
        self.assertEqual(production.qty_produced, 12)
        finished_lines = production.move_finished_ids.move_line_ids
        self.assertEqual(finished_lines.lot_id, lots)
        self.assertEqual(set(finished_lines.mapped("quantity")), {1})
        self.assertEqual(self._stock_lots(self.product), lots)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(
                self.component, self.stock_location
            ),
            500 - 12,
        )
        # Traceability: the components consumed went into these serials.
        self.assertEqual(
            production.move_raw_ids.move_line_ids.produce_line_ids, finished_lines
        )
        self.assertEqual(lots[0].serial_production_date, production.date_finished)
        self.assertEqual(production.serial_to_allocate_qty, 0)
        self.assertEqual(production.serial_allocated_qty, 12)

    def test_validate_at_once(self):
        """The option produces and closes the order right after allocating."""
        production = self._create_mo(4)
        self._allocate(production, validate=True)
        self.assertEqual(production.state, "done")
        self.assertEqual(len(production.lot_producing_ids), 4)
        self.assertEqual(self._stock_lots(self.product), production.lot_producing_ids)
        self.assertEqual(production.production_group_id.production_ids, production)

    def test_pending_list(self):
        """The pending list holds open orders of serial products lacking
        serials, with the quantities and the work center."""
        workcenter = self.env["mrp.workcenter"].create({"name": "Assembly Line"})
        routed_bom = self._create_bom(
            self.product,
            operation_ids=[
                Command.create({"name": "Assemble", "workcenter_id": workcenter.id})
            ],
        )
        plain = self.env["product.product"].create(
            {"name": "Plain Product", "type": "consu", "is_storable": True}
        )
        confirmed = self._create_mo(5)
        routed = self._create_mo(3, bom=routed_bom)
        draft = self._create_mo(2, confirm=False)
        untracked = self._create_mo(2, bom=self._create_bom(plain))
        done = self._create_mo(1)
        self._allocate(done, validate=True)
        cancelled = self._create_mo(2)
        cancelled.action_cancel()
        partial = self._create_mo(6)
        self._allocate(partial, quantity=2)

        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_mrp_production_serial_allocation"
        )
        domain = literal_eval(action["domain"])
        pending = self.env["mrp.production"].search(domain)
        self.assertIn(confirmed, pending)
        self.assertIn(routed, pending)
        self.assertIn(partial, pending)
        for production in (draft, untracked, done, cancelled):
            self.assertNotIn(production, pending)
        self.assertRecordValues(
            partial + routed,
            [
                {"serial_allocated_qty": 2, "serial_to_allocate_qty": 4},
                {"serial_allocated_qty": 0, "serial_to_allocate_qty": 3},
            ],
        )
        self.assertEqual(routed.serial_workcenter_id, workcenter)
        groups = self.env["mrp.production"]._read_group(
            domain + [("id", "in", (confirmed + routed).ids)],
            ["serial_workcenter_id"],
            ["serial_to_allocate_qty:sum"],
        )
        self.assertEqual(dict(groups), {workcenter: 3, self.env["mrp.workcenter"]: 5})
        # Filters of the search view.
        partially = self.env["mrp.production"].search(
            domain + [("serial_allocated_qty", ">", 0)]
        )
        self.assertIn(partial, partially)
        self.assertNotIn(confirmed, partially)
        # Allocating the selection of the list: one wizard line per order.
        wizard = self._open_wizard(confirmed + routed + untracked)
        self.assertEqual(wizard.line_ids.production_id, confirmed + routed)
        wizard.action_allocate()
        pending = self.env["mrp.production"].search(domain)
        self.assertNotIn(confirmed, pending)
        self.assertNotIn(routed, pending)
        # An order in progress can still take serials, until it is done.
        self.assertEqual(partial.state, "progress")
        self._allocate(partial)
        self.assertEqual(len(partial.lot_producing_ids), 6)

    def test_quantity_defaults_to_producing(self):
        """The wizard proposes the quantity producing when one is set."""
        production = self._create_mo(8)
        production.qty_producing = 3
        wizard = self._open_wizard(production)
        self.assertRecordValues(wizard.line_ids, [{"quantity_todo": 8, "quantity": 3}])
        wizard.action_allocate()
        self.assertEqual(production.qty_producing, 3)
        self.assertEqual(len(production.lot_producing_ids), 3)

    def test_partial_production_with_backorder(self):
        """Serials for part of the order: that part is produced, the rest goes
        to a backorder that takes its own serials later."""
        production = self._create_mo(5)
        self._allocate(production, quantity=3)
        self.assertEqual(production.qty_producing, 3)
        self.assertEqual(production.serial_to_allocate_qty, 2)
        first_lots = production.lot_producing_ids

        action = production.button_mark_done()
        self.assertEqual(action["res_model"], "mrp.production.backorder")
        Form(
            self.env["mrp.production.backorder"].with_context(**action["context"])
        ).save().action_backorder()
        self.assertEqual(production.state, "done")
        self.assertEqual(production.product_qty, 3)
        self.assertEqual(production.move_finished_ids.move_line_ids.lot_id, first_lots)
        backorder = production.production_group_id.production_ids - production
        self.assertEqual(len(backorder), 1)
        self.assertRecordValues(
            backorder,
            [
                {
                    "product_qty": 2,
                    "state": "confirmed",
                    "serial_allocated_qty": 0,
                    "serial_to_allocate_qty": 2,
                }
            ],
        )
        self.assertFalse(backorder.lot_producing_ids)

        self._allocate(backorder, validate=True)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(
            sorted(backorder.lot_producing_ids.mapped("name")), ["MOM-0004", "MOM-0005"]
        )
        self.assertEqual(
            self._stock_lots(self.product), first_lots | backorder.lot_producing_ids
        )
        self.assertEqual(production.serial_allocation_ids.lot_ids, first_lots)
        self.assertEqual(
            backorder.serial_allocation_ids.lot_ids, backorder.lot_producing_ids
        )

    def test_validate_at_once_partial_asks_backorder(self):
        """Producing at once part of an order returns Odoo's backorder dialog."""
        production = self._create_mo(4)
        _wizard, action = self._allocate(production, validate=True, quantity=1)
        self.assertEqual(action["res_model"], "mrp.production.backorder")
        Form(
            self.env["mrp.production.backorder"].with_context(**action["context"])
        ).save().action_close_mo()
        self.assertEqual(production.state, "done")
        self.assertEqual(self._stock_lots(self.product), production.lot_producing_ids)
        self.assertEqual(len(production.lot_producing_ids), 1)

    def test_cancel_voids_serials(self):
        """Serials of a cancelled order are voided in the register, with the
        reason, and never issued again."""
        production = self._create_mo(3)
        self._allocate(production)
        lots = production.lot_producing_ids
        production.action_cancel()
        self.assertEqual(production.state, "cancel")
        allocation = production.serial_allocation_ids
        self.assertEqual(allocation.state, "voided")
        self.assertEqual(allocation.voided_count, 3)
        self.assertTrue(all(lots.mapped("serial_voided")))
        self.assertIn(production.name, lots[0].serial_void_reason)
        self.assertIn("cancelled", allocation.void_reason)
        self.assertFalse(self._stock_lots(self.product))
        # The numbers are not reused.
        other = self._create_mo(1)
        self._allocate(other)
        self.assertEqual(other.lot_producing_ids.name, "MOM-0004")

    def test_by_products(self):
        """Serial by-products get serials the same way, in the same wizard."""
        by_generator = self._create_generator(prefix="BP-", padding=3)
        by_product = self._create_serial_product(
            "Spare Housing", generator=by_generator
        )
        bom = self._create_bom(
            self.product,
            byproduct_ids=[
                Command.create(
                    {"product_id": by_product.id, "product_qty": 1, "cost_share": 0}
                )
            ],
        )
        production = self._create_mo(3, bom=bom)
        self.assertEqual(production.serial_to_allocate_qty, 6)
        by_move = production.move_byproduct_ids
        wizard = self._open_wizard(production)
        self.assertRecordValues(
            wizard.line_ids.sorted(lambda line: bool(line.move_id)),
            [
                {"production_id": production.id, "move_id": False, "quantity": 3},
                {"production_id": False, "move_id": by_move.id, "quantity": 3},
            ],
        )
        self.assertEqual(wizard.line_ids.mapped("document"), [production.name] * 2)
        wizard.validate = True
        wizard.action_allocate()

        self.assertEqual(production.state, "done")
        by_lots = by_move.move_line_ids.lot_id
        self.assertEqual(sorted(by_lots.mapped("name")), ["BP-001", "BP-002", "BP-003"])
        self.assertEqual(self._stock_lots(by_product), by_lots)
        self.assertEqual(len(self._stock_lots(self.product)), 3)
        by_allocation = by_lots.serial_allocation_id
        self.assertRecordValues(
            by_allocation,
            [
                {
                    "source": "manufacture",
                    "production_id": production.id,
                    "move_id": by_move.id,
                    "product_id": by_product.id,
                    "count": 3,
                }
            ],
        )
        self.assertEqual(by_allocation.document_ref, production)
        self.assertEqual(by_lots.serial_production_id, production)
        self.assertEqual(
            production.serial_allocation_ids,
            by_allocation | (production.lot_producing_ids.serial_allocation_id),
        )

    def test_cancel_voids_by_product_serials(self):
        by_product = self._create_serial_product(
            "Spare Housing", generator=self._create_generator(prefix="BQ-")
        )
        bom = self._create_bom(
            self.product,
            byproduct_ids=[
                Command.create({"product_id": by_product.id, "product_qty": 1})
            ],
        )
        production = self._create_mo(2, bom=bom)
        self._allocate(production)
        lots = production.serial_allocation_ids.lot_ids
        self.assertEqual(len(lots), 4)
        production.action_cancel()
        self.assertTrue(all(lots.mapped("serial_voided")))
        self.assertEqual(
            set(production.serial_allocation_ids.mapped("state")), {"voided"}
        )

    def test_multi_step_production(self):
        """Three steps: the serials travel with the finished products to the
        transfer storing them."""
        self.warehouse.manufacture_steps = "pbm_sam"
        production = self._create_mo(3)
        self.assertEqual(production.location_dest_id, self.warehouse.sam_loc_id)
        pick = production.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pbm_type_id
        )
        pick.action_assign()
        pick.button_validate()
        self.assertEqual(pick.state, "done")

        self._allocate(production, validate=True)
        self.assertEqual(production.state, "done")
        lots = production.lot_producing_ids
        self.assertEqual(len(lots), 3)
        self.assertEqual(
            self._stock_lots(self.product, self.warehouse.sam_loc_id), lots
        )
        store = production.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.sam_type_id
        )
        self.assertEqual(store.state, "assigned")
        self.assertEqual(store.move_line_ids.lot_id, lots)
        store.button_validate()
        self.assertEqual(store.state, "done")
        self.assertEqual(self._stock_lots(self.product), lots)

    def test_native_generate_dialog(self):
        """Odoo's own "Generate Serial" dialog keeps working: it renders the
        generator's serials for the product and takes their numbers."""
        production = self._create_mo(3)
        action = production.action_generate_serial()
        self.assertEqual(action["res_model"], "mrp.production.serials")
        self.assertEqual(action["context"]["serial_product_id"], self.product.id)
        serials = Form.from_action(self.env, action)
        self.assertEqual(serials.lot_name, "MOM-0001")
        serials.lot_quantity = 3
        action = serials.save().action_generate_serial_numbers()
        serials = Form.from_action(self.env, action)
        serials.save().action_apply()
        self.assertEqual(
            sorted(production.lot_producing_ids.mapped("name")),
            ["MOM-0001", "MOM-0002", "MOM-0003"],
        )
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(self._stock_lots(self.product), production.lot_producing_ids)
        # Our next allocation continues after them.
        other = self._create_mo(1)
        self._allocate(other)
        self.assertEqual(other.lot_producing_ids.name, "MOM-0004")

    def test_allocate_from_block(self):
        """Serials reserved earlier as a block can go to an order."""
        block = self.env["stock.serial.block"].create(
            {"generator_id": self.generator.id, "size": 10, "holder_name": "Line 1"}
        )
        expected = list(block._iter_serials())[:3]
        production = self._create_mo(3)
        wizard = self._open_wizard(production)
        with Form(wizard) as form, form.line_ids.edit(0) as line:
            line.method = "block"
            line.block_id = block
        wizard.action_allocate()
        self.assertEqual(
            production.lot_producing_ids.sorted("id").mapped("name"), expected
        )
        allocation = production.serial_allocation_ids
        self.assertRecordValues(
            allocation,
            [{"source": "manufacture", "method": "block", "block_id": block.id}],
        )
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(self._stock_lots(self.product), production.lot_producing_ids)

    def test_serials_changed_after_allocation(self):
        """Serials taken off the order after allocating (in Odoo's own serial
        dialog) are not produced: the order's serials are what is produced."""
        production = self._create_mo(3)
        self._allocate(production)
        allocated = production.lot_producing_ids.sorted("name")
        serials = Form.from_action(self.env, production.action_generate_serial())
        self.assertEqual(serials.serial_numbers, "\n".join(allocated.mapped("name")))
        serials.serial_numbers = "\n".join(allocated[1:].mapped("name"))
        serials.save().action_apply()
        self.assertEqual(production.lot_producing_ids, allocated[1:])
        self.assertEqual(production.qty_producing, 2)
        action = production.button_mark_done()
        Form(
            self.env["mrp.production.backorder"].with_context(**action["context"])
        ).save().action_backorder()
        self.assertEqual(production.state, "done")
        produced = production.move_finished_ids.move_line_ids.lot_id
        self.assertEqual(produced, allocated[1:])
        self.assertEqual(self._stock_lots(self.product), produced)

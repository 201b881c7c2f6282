# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError

from odoo.addons.mrp.tests.common import TestMrpCommon

from .common import SerialAllocationCommon


class MrpAllocationCommon(SerialAllocationCommon, TestMrpCommon):
    """Serial products made from one component in stock, through a bill of
    materials, and helpers to drive the allocation wizard.

    Odoo's manufacturing test base is combined with ours: Odoo's stock base
    sets up first, then Odoo's manufacturing records (work centers, bills of
    materials, users of its own warehouse ``warehouse_1``), then ours, so that
    ``warehouse`` and ``stock_location`` stay those of the main warehouse. Our
    orders name the main warehouse's operation type.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls._create_generator(prefix="MO%(source)s-", padding=4)
        cls.product = cls._create_serial_product(
            "Serial Controller", generator=cls.generator, default_code="SC1"
        )
        cls.component = cls.env["product.product"].create(
            {"name": "Controller Board", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.component, cls.stock_location, 500
        )
        cls.bom = cls._create_bom(cls.product)

    @classmethod
    def _create_bom(cls, product, **vals):
        values = {
            "product_tmpl_id": product.product_tmpl_id.id,
            "product_qty": 1,
            "bom_line_ids": [
                Command.create({"product_id": cls.component.id, "product_qty": 1})
            ],
        }
        values.update(vals)
        return cls.env["mrp.bom"].create(values)

    def _create_mo(self, quantity, bom=None, confirm=True, **vals):
        bom = bom or self.bom
        values = {
            "product_id": bom.product_id.id
            or bom.product_tmpl_id.product_variant_id.id,
            "bom_id": bom.id,
            "product_qty": quantity,
            "picking_type_id": self.warehouse.manu_type_id.id,
        }
        values.update(vals)
        production = self.env["mrp.production"].create(values)
        if confirm:
            production.action_confirm()
        return production

    def _open_wizard(self, productions):
        action = productions.action_allocate_serials()
        self.assertEqual(action["res_model"], "stock.serial.allocation.wizard")
        return self.env[action["res_model"]].browse(action["res_id"])

    def _allocate(self, productions, validate=False, **line_vals):
        """Open the wizard on `productions`, write `line_vals` on every line,
        allocate; return (wizard, action returned)."""
        wizard = self._open_wizard(productions)
        if line_vals:
            wizard.line_ids.write(line_vals)
        wizard.validate = validate
        action = wizard.action_allocate()
        self.assertEqual(action["tag"], "stock_serial_allocation_result")
        # What comes after the result: the wizard's last step, or what Odoo
        # asks when producing at once.
        return wizard, action["params"]["next"]

    def _snapshot(self, *productions):
        """What an allocation writes: counts of records and order state."""
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        return {
            "lots": env["stock.lot"].search_count([]),
            "allocations": env["stock.serial.allocation"].search_count([]),
            "move_lines": env["stock.move.line"].search_count([]),
            "quants": env["stock.quant"].search_count([]),
            "counter": self.generator.sequence_id.number_next_actual,
            "orders": [
                (p.lot_producing_ids.ids, p.qty_producing, p.state) for p in productions
            ],
        }

    def _assert_refused(self, wizard, productions, *fragments):
        """Allocating must fail with every fragment in the message and write
        nothing at all."""
        before = self._snapshot(*productions)
        with self.assertRaises(UserError) as caught:
            wizard.action_allocate()
        message = str(caught.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.env.invalidate_all()
        self.assertEqual(self._snapshot(*productions), before)
        return message

    def _stock_lots(self, product, location=None):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", (location or self.stock_location).id),
                ("quantity", "=", 1),
            ]
        )
        return quants.lot_id

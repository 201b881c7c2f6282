# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, new_test_user

from .common import SerialAllocationCommon


class SerialBlockCommon(SerialAllocationCommon):
    """Generators, products, users and helpers of the serial block tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.Block = cls.env["stock.serial.block"]
        # "LPB-" for blocks; mod 37-36 takes the letters of the prefix.
        cls.generator = cls._create_generator(
            name="Label Printer",
            prefix="LP%(source)s-",
            padding=6,
            check_digit="mod_37_36",
        )
        cls.plain_generator = cls._create_generator(
            name="Plain", prefix="PL-", padding=5
        )
        cls.product = cls._create_serial_product(
            "Scanner S1", generator=cls.generator, default_code="SCN1"
        )
        cls.plain_product = cls._create_serial_product(
            "Router X", generator=cls.plain_generator, default_code="RTX"
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Subcontractor Ltd"})
        cls.manager = new_test_user(
            cls.env, "blk_manager", groups="stock.group_stock_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, "blk_user", groups="stock.group_stock_user"
        )
        holder_groups = (
            "base.group_user,stock_serial_allocation.group_serial_block_holder"
        )
        cls.holder = new_test_user(cls.env, "blk_holder", groups=holder_groups)
        cls.other_holder = new_test_user(cls.env, "blk_holder2", groups=holder_groups)

    @classmethod
    def _reserve(cls, size=10, generator=None, **vals):
        values = {
            "generator_id": (generator or cls.generator).id,
            "size": size,
            "holder_name": "Line 2 label printer",
        }
        values.update(vals)
        return cls.Block.create(values)

    def _snapshot(self, *blocks):
        """What an allocation or a usage report writes."""
        self.env.invalidate_all()
        return {
            "lots": self.env["stock.lot"].search_count([]),
            "allocations": self.env["stock.serial.allocation"].search_count([]),
            "move_lines": self.env["stock.move.line"].search_count([]),
            "quants": self.env["stock.quant"].search_count([]),
            "blocks": [
                (block.used_count, block.next_offset, block.voided_count, block.state)
                for block in blocks
            ],
            "counter": self.generator.number_next_actual,
        }

    def _create_receipt(self, product, quantity, partner=None):
        supplier_location = self.supplier_location
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": supplier_location.id,
                "location_dest_id": self.stock_location.id,
                "partner_id": (partner or self.vendor).id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _wizard_from_action(self, action):
        return self.env[action["res_model"]].browse(action["res_id"])

    def _allocate_from_block(self, action, block, quantity=None):
        """Drive the allocation wizard: method From Block on every line."""
        wizard = self._wizard_from_action(action)
        with Form(wizard) as form:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    line.method = "block"
                    line.block_id = block
                    if quantity is not None:
                        line.quantity = quantity
        return wizard.action_allocate()

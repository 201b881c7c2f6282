# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from itertools import count

from odoo.tests import TransactionCase

_sequence = count(1)


class SerialAllocationCommon(TransactionCase):
    """Base class of the serial allocation tests.

    It only relies on records created by the modules themselves (no demo data):
    the main warehouse ``stock.warehouse0`` and its stock location, plus a
    product category with a serial code. The company starts with the
    per-product uniqueness scope, a company serial code and no default
    generator, whatever the database holds.

    Use the ``_create_generator`` and ``_create_serial_product`` factories to
    build the records a test needs; classes testing receipts, opening stock or
    manufacturing orders extend ``setUpClass`` with their own records.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.company.write(
            {
                "serial_company_code": "YC",
                "serial_uniqueness_scope": "product",
                "serial_generator_id": False,
            }
        )
        cls.categ_serial = cls.env["product.category"].create(
            {"name": "Serial Allocation Tests", "serial_code": "SAT"}
        )

    @classmethod
    def _create_generator(cls, **vals):
        """Create a serial generator; a unique name is given when none is."""
        vals.setdefault("name", "Test Generator %s" % next(_sequence))
        return cls.env["stock.serial.generator"].create(vals)

    @classmethod
    def _create_serial_product(cls, name, generator=None, **vals):
        """Create a storable product tracked by serial number (a variant)."""
        values = {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "categ_id": cls.categ_serial.id,
            "uom_id": cls.uom_unit.id,
        }
        if generator:
            values["serial_generator_id"] = generator.id
        values.update(vals)
        return cls.env["product.product"].create(values)

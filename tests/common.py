# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
import uuid
from contextlib import contextmanager
from itertools import count

from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, TransactionCase, get_db_name

from odoo.addons.stock.tests.common import TestStockCommon

_sequence = count(1)


class SerialAllocationMixin:
    """Records and factories of the serial allocation tests.

    ``_setup_serial_allocation`` names the main warehouse ``stock.warehouse0``
    and its stock location ``warehouse`` and ``stock_location`` (receipts of
    purchase orders and the default operation types go there), adds a product
    category with a serial code and starts the company on the per-product
    uniqueness scope, with a company serial code and no default generator,
    whatever the database holds. No demo data is needed.

    Use the ``_create_generator`` and ``_create_serial_product`` factories to
    build the records a test needs; classes testing receipts, opening stock or
    manufacturing orders extend ``setUpClass`` with their own records.
    """

    @classmethod
    def _setup_serial_allocation(cls):
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.stock_location = cls.warehouse.lot_stock_id
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

    @contextmanager
    def _capture_queries(self):
        """Record the SQL queries run in the block (flushed before and after)."""
        with contextmanager(self._patchExecute)([]) as queries:
            yield queries

    @staticmethod
    def _count_queries(queries, start):
        """How many of `queries` start with `start` (whitespace collapsed)."""
        return sum(1 for query in queries if " ".join(query.split()).startswith(start))

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


class SerialAllocationCommon(SerialAllocationMixin, TestStockCommon):
    """Base class of the serial allocation tests, on Odoo's stock test base.

    Odoo's base gives the company, ``uom_unit``, the supplier and customer
    locations, its users and products, and a warehouse of its own,
    ``warehouse_1``. Our tests work in the main warehouse: ``warehouse`` and
    ``stock_location`` (Odoo's ``stock_location`` is warehouse_1's) name it
    and its stock, and it stays the company's first warehouse, the one Odoo
    takes when none is given (opening stock of a product, a pattern's
    warehouse code without a location).
    """

    @classmethod
    def default_env_context(cls):
        # Only tracking is disabled, as in our tests before Odoo's base: some
        # check the chatter messages and creation logs.
        return {"tracking_disable": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_serial_allocation()
        # Odoo's warehouse_1 comes first (sequence 5): put the main one before.
        cls.warehouse.sequence = cls.warehouse_1.sequence - 1


class SerialAllocationCase(SerialAllocationMixin, TransactionCase):
    """The same records and factories without Odoo's stock test base, for the
    tests that base makes impossible: it makes every internal user a user of
    lots and serial numbers and of several companies (``base.group_user``
    implies ``stock.group_production_lot`` and ``base.group_multi_company``),
    while the access matrix checks users as Odoo has them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls._setup_serial_allocation()


class TwoTransactionsCase(BaseCase):
    """Base of the tests racing real transactions, as two users would: the
    records they share are committed first and deleted in a cleanup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _commit(self, create):
        """Run `create(env)` in a committed transaction; delete its records later."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            records = create(env)
            ids = {record._name: record.ids for record in records}
        self.addCleanup(self._delete, ids)
        return ids

    def _delete(self, ids):
        with self.registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '5s'")
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            products = env["product.product"].browse(ids.get("product.product", []))
            env["stock.lot"].search([("product_id", "in", products.ids)]).unlink()
            templates = products.product_tmpl_id
            products.unlink()
            templates.exists().unlink()
            generator_ids = tuple(ids.get("stock.serial.generator", [])) or (0,)
            # The draws of a test generator go with it (the model refuses).
            cr.execute(
                "DELETE FROM stock_serial_draw WHERE generator_id IN %s",
                [generator_ids],
            )
            env["stock.serial.generator"].browse(generator_ids).exists().unlink()

    def _new_env(self, lock_timeout="5s"):
        """A new transaction of its own, rolled back and closed after the test."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        self._begin(env, lock_timeout)
        return env

    def _begin(self, env, lock_timeout="5s"):
        """Bound every lock wait of the transaction `env` is in (or starts)."""
        env.cr.execute("SET LOCAL lock_timeout = %s", [lock_timeout])

    def _later(self, delay, function):
        """Call `function` from another thread after `delay` seconds."""
        timer = threading.Timer(delay, function)
        timer.start()
        self.addCleanup(timer.join)
        return timer

    def _commit_generator(self):
        ids = self._commit(
            lambda env: [
                env["stock.serial.generator"].create(
                    {
                        "name": "Race %s" % uuid.uuid4().hex[:8],
                        "prefix": "RC-",
                        "padding": 4,
                    }
                )
            ]
        )
        return ids["stock.serial.generator"][0]

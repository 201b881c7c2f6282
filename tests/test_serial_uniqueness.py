# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
import uuid

from psycopg2.errors import ExclusionViolation

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SerialAllocationCommon, TwoTransactionsCase


class TestSerialUniqueness(SerialAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Serial Company B", "serial_company_code": "B"}
        )
        Product = cls.env["product.product"]
        cls.product_a1, cls.product_a2, cls.product_b1 = Product.create(
            [
                cls._serial_product_vals("Serial A1", company_id=cls.company_a.id),
                cls._serial_product_vals("Serial A2", company_id=cls.company_a.id),
                cls._serial_product_vals("Serial B1", company_id=cls.company_b.id),
            ]
        )
        # Products shared between companies: their lots have no company.
        cls.shared_1, cls.shared_2 = Product.create(
            [cls._serial_product_vals("Shared 1"), cls._serial_product_vals("Shared 2")]
        )

    @classmethod
    def _serial_product_vals(cls, name, **vals):
        return {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            **vals,
        }

    def _create_lots(self, *product_names):
        """Create lots from (product, name) pairs and write them to the database."""
        lots = self.env["stock.lot"].create(
            [
                {"product_id": product.id, "name": name}
                for product, name in product_names
            ]
        )
        self.env.flush_all()
        return lots

    def assertDuplicateRefused(self, product, name):
        """Creating `name` for `product` is refused by the exclusion constraint."""
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(ExclusionViolation),
            self.env.cr.savepoint(),
        ):
            self._create_lots((product, name))

    # ------------------------------------------------------------------
    # Scopes, enforced by PostgreSQL
    # ------------------------------------------------------------------
    def test_product_scope(self):
        lot_1, lot_2, lot_3, lot_4 = self._create_lots(
            (self.product_a1, "SN-1"),
            (self.product_a2, "SN-1"),
            (self.product_b1, "SN-1"),
            (self.shared_1, "SN-1"),
        )
        self.assertEqual(lot_1.company_id, self.company_a)
        self.assertEqual(lot_3.company_id, self.company_b)
        self.assertFalse(lot_4.company_id)
        self.assertEqual(
            set((lot_1 | lot_2 | lot_3 | lot_4).mapped("serial_scope")), {"product"}
        )
        # Odoo refuses the same serial twice for one product ...
        with self.assertRaises(ValidationError):
            self._create_lots((self.product_a1, "SN-1"))
        # ... and so does the database, when that check is skipped: renaming
        # a lot onto an existing serial of its product hits the exclusion constraint.
        lot_5 = self._create_lots((self.product_a1, "SN-2"))
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(ExclusionViolation),
            self.env.cr.savepoint(),
        ):
            lot_5.name = "SN-1"
            self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(ExclusionViolation),
            self.env.cr.savepoint(flush=False),
        ):
            self.env.cr.execute(
                "UPDATE stock_lot SET name = 'SN-1' WHERE id = %s", [lot_5.id]
            )

    def test_company_scope(self):
        self.company_a.serial_uniqueness_scope = "company"
        lot_1 = self._create_lots((self.product_a1, "SN-1"))
        self.assertEqual(lot_1.serial_scope, "company")
        # Another product of the same company: refused by the database.
        self.assertDuplicateRefused(self.product_a2, "SN-1")
        # Another company (still per product) may use the same serial.
        lot_2 = self._create_lots((self.product_b1, "SN-1"))
        self.assertEqual(lot_2.serial_scope, "product")
        self.company_b.serial_uniqueness_scope = "company"
        self.assertEqual(lot_2.serial_scope, "company")
        # Lots of a product that is not tracked by serial are left alone.
        by_lot = self.env["product.product"].create(
            self._serial_product_vals(
                "By Lot", tracking="lot", company_id=self.company_a.id
            )
        )
        lot_3 = self._create_lots((by_lot, "SN-1"))
        self.assertFalse(lot_3.serial_scope)

    def test_global_scope(self):
        (self.company_a | self.company_b).serial_uniqueness_scope = "global"
        lot_1 = self._create_lots((self.product_a1, "SN-1"))
        self.assertEqual(lot_1.serial_scope, "global")
        self.assertDuplicateRefused(self.product_b1, "SN-1")
        self.assertDuplicateRefused(self.product_a2, "SN-1")
        self.assertDuplicateRefused(self.shared_1, "SN-1")
        lot_2 = self._create_lots((self.product_b1, "SN-2"))
        self.assertEqual(lot_2.serial_scope, "global")
        self.assertDuplicateRefused(self.product_a1, "SN-2")

    def test_find_existing_serials(self):
        self._create_lots(
            (self.product_a1, "SN-1"),
            (self.product_a1, "SN-2"),
            (self.product_a2, "SN-3"),
            (self.product_b1, "SN-4"),
            (self.shared_1, "SN-5"),
        )
        Lot = self.env["stock.lot"]
        names = ["SN-1", "SN-2", "SN-3", "SN-4", "SN-5", "SN-6"]

        def found(product, company):
            with self.assertQueryCount(1):
                lots = Lot._find_existing_serials(product, company, names)
            return sorted((lot.product_id.name, lot.name) for lot in lots)

        self.assertEqual(
            found(self.product_a1, self.company_a),
            [("Serial A1", "SN-1"), ("Serial A1", "SN-2")],
        )
        self.company_a.serial_uniqueness_scope = "company"
        self.assertEqual(
            found(self.product_a1, self.company_a),
            [
                ("Serial A1", "SN-1"),
                ("Serial A1", "SN-2"),
                ("Serial A2", "SN-3"),
                ("Shared 1", "SN-5"),
            ],
        )
        self.company_a.serial_uniqueness_scope = "global"
        self.assertEqual(
            found(self.product_a1, self.company_a),
            [
                ("Serial A1", "SN-1"),
                ("Serial A1", "SN-2"),
                ("Serial A2", "SN-3"),
                ("Serial B1", "SN-4"),
                ("Shared 1", "SN-5"),
            ],
        )
        self.assertFalse(
            Lot._find_existing_serials(self.product_a1, self.company_a, [])
        )

    # ------------------------------------------------------------------
    # Changing the scope
    # ------------------------------------------------------------------
    def test_scope_change_refused_with_duplicates(self):
        lots = self._create_lots(
            (self.product_a1, "DUP-1"),
            (self.product_a2, "DUP-1"),
            (self.product_a1, "DUP-2"),
            (self.product_a2, "DUP-2"),
            (self.product_b1, "DUP-2"),
            (self.product_a1, "UNIQUE-1"),
        )
        with self.assertRaises(UserError) as error:
            self.company_a.serial_uniqueness_scope = "company"
        message = str(error.exception)
        self.assertIn("- DUP-1 (2 times)", message)
        self.assertIn("- DUP-2 (2 times)", message)
        self.assertNotIn("UNIQUE-1", message)
        self.assertEqual(self.company_a.serial_uniqueness_scope, "product")
        # Across all companies DUP-2 is used three times.
        with self.assertRaises(UserError) as error:
            self.company_a.serial_uniqueness_scope = "global"
        message = str(error.exception)
        self.assertIn("- DUP-1 (2 times)", message)
        self.assertIn("- DUP-2 (3 times)", message)
        # Once the duplicates are gone, the scope changes and applies to the
        # existing serials.
        lots.filtered(lambda lot: lot.product_id == self.product_a2).unlink()
        self.company_a.serial_uniqueness_scope = "company"
        self.assertEqual(
            set(
                lots.exists()
                .filtered(lambda lot: lot.company_id == self.company_a)
                .mapped("serial_scope")
            ),
            {"company"},
        )
        self.assertDuplicateRefused(self.product_a2, "UNIQUE-1")
        # DUP-2 still exists in company B: global is refused, per product is fine.
        with self.assertRaises(UserError) as error:
            self.company_a.serial_uniqueness_scope = "global"
        self.assertIn("- DUP-2 (2 times)", str(error.exception))
        self.company_a.serial_uniqueness_scope = "product"
        self.assertEqual(
            set(lots.exists().mapped("serial_scope")),
            {"product"},
        )

    def test_scope_change_shared_products(self):
        """Lots of shared products (no company) follow the current company."""
        lot_1, lot_2 = self._create_lots(
            (self.shared_1, "SH-1"), (self.shared_2, "SH-1")
        )
        with self.assertRaises(UserError) as error:
            self.company_a.serial_uniqueness_scope = "company"
        self.assertIn("- SH-1 (2 times)", str(error.exception))
        lot_2.name = "SH-2"
        self.company_a.serial_uniqueness_scope = "company"
        self.assertEqual((lot_1 | lot_2).mapped("serial_scope"), ["company", "company"])
        self.assertDuplicateRefused(self.shared_2, "SH-1")
        self.company_a.serial_uniqueness_scope = "global"
        self.assertEqual((lot_1 | lot_2).mapped("serial_scope"), ["global", "global"])
        self.assertDuplicateRefused(self.product_a1, "SH-2")


# post_install: it commits real transactions, racing the still open install transaction
@tagged("post_install", "-at_install")
class TestSerialConcurrency(TwoTransactionsCase):
    """Two real transactions racing for serials, as two users would.

    Each test commits its own generator or product, and deletes it again in a
    cleanup. Every wait is bounded by PostgreSQL's lock_timeout.
    """

    def test_concurrent_reservations_never_overlap(self):
        """Two open transactions draw from one counter: neither waits for the
        other to end, the numbers never overlap, and the numbers of one that
        rolls back are not issued again."""
        generator_id = self._commit_generator()
        env_1, env_2 = self._new_env(), self._new_env(lock_timeout="1s")
        generator_1 = env_1["stock.serial.generator"].browse(generator_id)
        generator_2 = env_2["stock.serial.generator"].browse(generator_id)
        # Both transactions have started and see the same counter.
        self.assertEqual(generator_1.number_next, 1)
        self.assertEqual(generator_2.number_next, 1)
        self.assertEqual(generator_1._reserve_numbers(3)[0], [1, 2, 3])
        # The first is still open: the second draws at once, after it.
        start = time.monotonic()
        self.assertEqual(generator_2._reserve_numbers(2)[0], [4, 5])
        self.assertLess(time.monotonic() - start, 0.5, "it did not wait")
        self.assertEqual(generator_2._next_serials(1), ["RC-0006"])
        env_2.cr.commit()
        # The first fails after its draw: its numbers stay taken.
        env_1.cr.rollback()
        self.assertEqual(generator_1._next_serials(1), ["RC-0007"])
        env_1.cr.commit()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            draws = env["stock.serial.draw"].search(
                [("generator_id", "=", generator_id)], order="first_number"
            )
            self.assertEqual(
                [(d.first_number, d.number_count) for d in draws],
                [(1, 3), (4, 2), (6, 1), (7, 1)],
            )
            self.assertEqual(
                env["stock.serial.generator"].browse(generator_id).number_next, 8
            )

    def test_concurrent_reservation_waits_for_lock(self):
        """A draw waits for a transaction holding the counter's row lock
        (here, one that changed the counter), then takes the numbers after."""
        generator_id = self._commit_generator()
        env_1, env_2 = self._new_env(), self._new_env()
        generator_1 = env_1["stock.serial.generator"].browse(generator_id)
        generator_2 = env_2["stock.serial.generator"].browse(generator_id)
        # The first moves the counter itself and keeps the row locked ...
        generator_1.number_next_actual = 50
        generator_1.flush_recordset()
        self.assertEqual(generator_1._next_serials(2), ["RC-0050", "RC-0051"])
        # ... the second waits for its commit, then draws after its numbers.
        timer = self._later(0.5, env_1.cr.commit)
        start = time.monotonic()
        self.assertEqual(generator_2._next_serials(2), ["RC-0052", "RC-0053"])
        self.assertGreaterEqual(time.monotonic() - start, 0.4, "it waited")
        timer.join()
        env_2.cr.commit()

    def _commit_product(self):
        ids = self._commit(
            lambda env: [
                env["product.product"].create(
                    {
                        "name": "Race Product %s" % uuid.uuid4().hex[:8],
                        "type": "consu",
                        "is_storable": True,
                        "tracking": "serial",
                    }
                )
            ]
        )
        return ids["product.product"][0]

    def test_concurrent_same_serial(self):
        product_id = self._commit_product()
        name = "RACE-%s" % uuid.uuid4().hex[:8]
        env_1, env_2 = self._new_env(), self._new_env()
        # Both transactions start and see that the serial is free.
        self.assertFalse(env_1["stock.lot"].search([("name", "=", name)]))
        self.assertFalse(env_2["stock.lot"].search([("name", "=", name)]))
        env_1["stock.lot"].create({"product_id": product_id, "name": name})
        env_1.flush_all()
        # The second insert waits for the first transaction, then the
        # exclusion constraint refuses it (Odoo's own Python check cannot see the other
        # transaction's lot).
        timer = self._later(0.5, env_1.cr.commit)
        start = time.monotonic()
        with mute_logger("odoo.sql_db"), self.assertRaises(ExclusionViolation):
            env_2["stock.lot"].create({"product_id": product_id, "name": name})
            env_2.flush_all()
        self.assertGreaterEqual(
            time.monotonic() - start, 0.4, "it waited for the commit"
        )
        timer.join()
        env_2.cr.rollback()
        self.assertEqual(env_2["stock.lot"].search_count([("name", "=", name)]), 1)

    def test_concurrent_same_serial_first_rolled_back(self):
        product_id = self._commit_product()
        name = "RACE-%s" % uuid.uuid4().hex[:8]
        env_1, env_2 = self._new_env(), self._new_env()
        env_1["stock.lot"].create({"product_id": product_id, "name": name})
        env_1.flush_all()
        # The first transaction gives up: the second one gets the serial.
        timer = self._later(0.5, env_1.cr.rollback)
        start = time.monotonic()
        lot = env_2["stock.lot"].create({"product_id": product_id, "name": name})
        env_2.flush_all()
        self.assertGreaterEqual(
            time.monotonic() - start, 0.4, "it waited for the rollback"
        )
        timer.join()
        env_2.cr.commit()
        self.assertEqual(env_2["stock.lot"].search([("name", "=", name)]), lot)

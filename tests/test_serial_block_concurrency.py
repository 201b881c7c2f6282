# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
import time
import uuid

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


# post_install: it commits real transactions, racing the still open install transaction
@tagged("post_install", "-at_install")
class TestSerialBlockConcurrency(TransactionCase):
    """Two database cursors reserve blocks and allocate from the same
    generator at the same time: ranges never overlap, no serial is issued
    twice. The records they share are committed in a separate cursor first
    (the test's own transaction is invisible to them) and removed after."""

    LOCK_TIMEOUT = "5s"

    def setUp(self):
        super().setUp()
        name = "Concurrency %s" % uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = self._env(cr)
            generator = env["stock.serial.generator"].create(
                {"name": name, "prefix": "CC-", "padding": 8}
            )
            block = env["stock.serial.block"].create(
                {
                    "generator_id": generator.id,
                    "size": 100,
                    "holder_name": "Shared block",
                }
            )
            self.generator_id, self.block_id = generator.id, block.id
        self.addCleanup(self._cleanup, self.generator_id)

    def _env(self, cr):
        return api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "tz": "UTC"},
        )

    def _cleanup(self, generator_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM stock_serial_block WHERE generator_id = %s",
                [generator_id],
            )
            block_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            cr.execute(
                "DELETE FROM mail_message "
                "WHERE model = 'stock.serial.block' AND res_id IN %s",
                [block_ids],
            )
            cr.execute(
                "DELETE FROM mail_followers "
                "WHERE res_model = 'stock.serial.block' AND res_id IN %s",
                [block_ids],
            )
            cr.execute("DELETE FROM stock_serial_block WHERE id IN %s", [block_ids])
            # The draws of a test generator go with it (the model refuses).
            cr.execute(
                "DELETE FROM stock_serial_draw WHERE generator_id = %s", [generator_id]
            )
            self._env(cr)["stock.serial.generator"].browse(generator_id).unlink()

    def _cursor(self):
        cr = self.registry.cursor()
        cr.execute("SET LOCAL lock_timeout = %s", [self.LOCK_TIMEOUT])
        return cr

    def _run_with_retries(self, env, action, hold=0.0):
        """Run `action(env)` and commit, retrying like Odoo does when
        PostgreSQL refuses a concurrent update. `hold` keeps the transaction
        (and its row locks) open a while before committing."""
        for _attempt in range(20):
            env.cr.execute("SET LOCAL lock_timeout = %s", [self.LOCK_TIMEOUT])
            try:
                result = action(env)
                time.sleep(hold)
                env.cr.commit()
                return result
            except (errors.SerializationFailure, errors.LockNotAvailable):
                env.cr.rollback()
                time.sleep(0.05)
        raise AssertionError("too many retries")

    def _in_threads(self, *actions):
        """Start `actions` together, each in a thread with its own cursor.
        The cursors and environments are opened here, in the test's thread
        (which holds the registry lock during the tests)."""
        envs = [self._env(self.registry.cursor()) for _action in actions]
        barrier = threading.Barrier(len(actions))
        results = [None] * len(actions)
        failures = []

        def run(index, action, hold):
            try:
                barrier.wait(timeout=10)
                results[index] = self._run_with_retries(envs[index], action, hold)
            except Exception as error:  # reported below, in the test's thread
                failures.append(error)

        threads = [
            threading.Thread(target=run, args=(index, action, 0.3 * (index == 0)))
            for index, action in enumerate(actions)
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            for env in envs:
                env.cr.close()
        self.assertFalse([thread for thread in threads if thread.is_alive()])
        self.assertFalse(failures, failures)
        return results

    def _reserve_action(self, size):
        def action(env):
            block = env["stock.serial.block"].create(
                {
                    "generator_id": self.generator_id,
                    "size": size,
                    "holder_name": "Thread",
                }
            )
            return (block.first_number, block.last_number, list(block._iter_serials()))

        return action

    def _generate_action(self, count):
        def action(env):
            generator = env["stock.serial.generator"].browse(self.generator_id)
            return generator._next_serials(count, source="purchase")

        return action

    def _take_action(self, count):
        def action(env):
            return env["stock.serial.block"].browse(self.block_id)._take_serials(count)

        return action

    @mute_logger("odoo.sql_db")
    def test_second_cursor_does_not_wait_for_the_first(self):
        """A reservation takes its range in a moment of its own: another one
        goes on while the first transaction is still open, after its range,
        and a range whose transaction failed is never given again."""
        cr1, cr2 = self._cursor(), self._cursor()
        try:
            first = self._reserve_action(1000)(self._env(cr1))
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            second = self._reserve_action(500)(self._env(cr2))
            cr2.commit()
            cr1.rollback()
            cr1.execute("SET LOCAL lock_timeout = %s", [self.LOCK_TIMEOUT])
            third = self._reserve_action(10)(self._env(cr1))
            cr1.commit()
        finally:
            cr1.close()
            cr2.close()
        self.assertEqual(first[:2], (101, 1100))
        self.assertEqual(second[:2], (1101, 1600))
        self.assertEqual(third[:2], (1601, 1610))

    @mute_logger("odoo.sql_db")
    def test_concurrent_take_from_one_block(self):
        cr1, cr2 = self._cursor(), self._cursor()
        try:
            taken1 = self._take_action(10)(self._env(cr1))
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            with self.assertRaises(errors.LockNotAvailable):
                self._take_action(10)(self._env(cr2))
            cr2.rollback()
            cr1.commit()
            taken2 = self._take_action(10)(self._env(cr2))
            cr2.commit()
        finally:
            cr1.close()
            cr2.close()
        self.assertEqual(len(set(taken1) | set(taken2)), 20)
        self.assertEqual(taken1[0], "CC-00000001")
        self.assertEqual(taken2[0], "CC-00000011")

    @mute_logger("odoo.sql_db")
    def test_concurrent_reservations_and_allocations(self):
        """Threads reserve blocks, generate serials and take from a block of
        the same generator simultaneously: nothing overlaps."""
        results = self._in_threads(
            self._reserve_action(1000),
            self._reserve_action(2000),
            self._generate_action(50),
            self._take_action(30),
            self._take_action(30),
        )
        ranges = sorted(result[:2] for result in results[:2])
        self.assertLess(ranges[0][1], ranges[1][0], "block ranges overlap")
        serials = results[0][2] + results[1][2] + results[2] + results[3] + results[4]
        self.assertEqual(len(serials), 1000 + 2000 + 50 + 30 + 30)
        self.assertEqual(len(set(serials)), len(serials), "a serial was issued twice")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            generator = env["stock.serial.generator"].browse(self.generator_id)
            self.assertEqual(generator.number_next_actual, 101 + 1000 + 2000 + 50)
            block = env["stock.serial.block"].browse(self.block_id)
            self.assertEqual((block.used_count, block.next_offset), (60, 60))

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2.errors import ExclusionViolation

from odoo import api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SerialAllocationCommon, TwoTransactionsCase


class TestCounterSafety(SerialAllocationCommon):
    """Every number a generator's counter gives, whatever asks for it, is
    drawn the same way and accounted for; bad input is refused clearly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls._create_generator(prefix="CS-", padding=5)
        cls.product = cls._create_serial_product(
            "Counter Safe", generator=cls.generator, default_code="CSF"
        )
        cls.manager = new_test_user(
            cls.env, "counter_manager", groups="stock.group_stock_manager"
        )
        cls.stock_user = new_test_user(
            cls.env, "counter_user", groups="stock.group_stock_user"
        )
        cls.Draw = cls.env["stock.serial.draw"]

    def _draws(self, generator=None):
        return self.Draw.search(
            [("generator_id", "=", (generator or self.generator).id)], order="id"
        )

    # ------------------------------------------------------------------
    # Odoo's own entry points
    # ------------------------------------------------------------------
    def test_lots_named_in_one_create_take_one_counter_update(self):
        """Odoo names a lot created without a name from the product's
        lot_sequence_id, one lot at a time; 50 lots in one create take one
        counter update, and enter the register."""
        with self._capture_queries() as queries:
            lots = self.env["stock.lot"].create(
                [{"product_id": self.product.id} for _index in range(50)]
            )
        self.assertEqual(
            self._count_queries(queries, 'UPDATE "ir_sequence" SET number_next'), 1
        )
        self.assertEqual(
            lots.mapped("name"), ["CS-%05d" % number for number in range(1, 51)]
        )
        self.assertEqual(self.generator.number_next, 51)
        draw = self._draws()
        self.assertRecordValues(
            draw,
            [
                {
                    "entry_point": "lot_name",
                    "first_number": 1,
                    "number_count": 50,
                    "first_serial": "CS-00001",
                    "last_serial": "CS-00050",
                    "product_id": self.product.id,
                }
            ],
        )
        self.assertRecordValues(
            lots.serial_allocation_id,
            [
                {
                    "source": "manual",
                    "method": "generate",
                    "count": 50,
                    "first_serial": "CS-00001",
                    "last_serial": "CS-00050",
                    "draw_token": draw.token,
                    "state": "done",
                }
            ],
        )

    def test_new_lot_form(self):
        """Odoo's lot form names a new lot once its product is known."""
        form = Form(self.env["stock.lot"])
        self.assertFalse(form.name, "no product, no name")
        form.product_id = self.product
        self.assertEqual(form.name, "CS-00001")
        lot = form.save()
        self.assertEqual(lot.name, "CS-00001")
        self.assertRecordValues(
            lot.serial_allocation_id,
            [{"source": "manual", "count": 1, "first_serial": "CS-00001"}],
        )

    def test_sequence_called_by_another_module(self):
        """A caller that knows nothing of generators draws from the counter
        (next_by_id) and gets a correct serial, accounted for, or a clear
        message naming the generator and the missing code."""
        sequence = self.product.lot_sequence_id
        self.assertEqual(sequence, self.generator.sequence_id)
        self.assertEqual(sequence.next_by_id(), "CS-00001")
        self.assertEqual(sequence.next_by_id(), "CS-00002")
        self.assertEqual(
            [(d.entry_point, d.first_serial) for d in self._draws()],
            [("sequence", "CS-00001"), ("sequence", "CS-00002")],
        )
        coded = self._create_generator(
            name="Needs Product", prefix="%(product_code)s-", padding=3
        )
        with self.assertRaisesRegex(
            UserError,
            r"Serial generator Needs Product cannot render its pattern:\n"
            r"- %\(product_code\)s needs a product",
        ):
            coded.sequence_id.next_by_id()
        self.assertEqual(coded.number_next, 1, "no number was taken")
        self.assertFalse(self._draws(coded))
        # With the product in the context (as Odoo's screens give it).
        self.assertEqual(
            coded.sequence_id.with_context(
                serial_product_id=self.product.id
            ).next_by_id(),
            "CSF-001",
        )

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------
    def test_next_number_past_the_counter_range(self):
        before = self.generator.number_next
        cases = [
            (
                {"number_next": 2_147_483_648},
                "between 1 and 2147483647, not 2147483648",
            ),
            (
                {"number_next_actual": 2**40},
                "between 1 and 2147483647, not 1099511627776",
            ),
            ({"number_next": 0}, "between 1 and 2147483647, not 0"),
            ({"number_next": 2.5}, r"must be a whole number, not 2\.5"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, message):
                self.generator.write(vals)
        with self.assertRaisesRegex(UserError, "not 2147483648"):
            self._create_generator(number_next=2_147_483_648)
        self.env.invalidate_all()
        self.assertEqual(self.generator.number_next, before)
        self.assertFalse(self._draws())
        # The last numbers a counter holds are given, then refused clearly.
        self.generator.write(
            {"number_next": 2_147_483_646, "padding_overflow": "widen"}
        )
        self.assertEqual(
            self.generator._next_serials(1), ["CS-2147483646"], "the highest number"
        )
        with self.assertRaisesRegex(
            UserError,
            "cannot give 2 more serials: its counter .* would pass 2147483647",
        ):
            self.generator._next_serials(2)
        self.assertEqual(self.generator.number_next, 2_147_483_647)

    def test_block_wider_than_the_padding(self):
        """A block of 10,000,000 on a 6-digit generator would render 8-digit
        serials beside 6-digit ones: refused unless the generator allows it."""
        generator = self._create_generator(name="Advance", prefix="ADV-", padding=6)
        Block = self.env["stock.serial.block"]
        with self.assertRaisesRegex(
            UserError,
            "Generator Advance has run out of 6-digit numbers: number 10000000 "
            "needs 8 digits",
        ):
            Block.create(
                {"generator_id": generator.id, "size": 10_000_000, "holder_name": "X"}
            )
        self.assertEqual(generator.number_next, 1)
        self.assertFalse(Block.search([("generator_id", "=", generator.id)]))
        self.assertFalse(self._draws(generator))
        # The preview shows it before anybody asks.
        generator.number_next_actual = 999_998
        self.assertIn("run out of 6-digit numbers", generator.preview_serials)
        generator.padding_overflow = "widen"
        self.assertEqual(
            generator.preview_serials.splitlines()[:3],
            ["ADV-999998", "ADV-999999", "ADV-1000000"],
        )
        block = Block.create(
            {"generator_id": generator.id, "size": 3, "holder_name": "X"}
        )
        self.assertEqual(
            (block.first_serial, block.last_serial), ("ADV-999998", "ADV-1000000")
        )

    def test_counts_must_be_whole_numbers(self):
        Block = self.env["stock.serial.block"]
        for count in (2.5, "2", 0, -1, True):
            with (
                self.subTest(count=count),
                self.assertRaisesRegex(UserError, "must be a positive whole number"),
            ):
                self.generator._next_serials(count)
            with (
                self.subTest(size=count),
                self.assertRaisesRegex(UserError, "size must be a whole number"),
            ):
                Block.api_reserve(self.generator.id, count, "API")
        self.assertEqual(self.generator.number_next, 1)
        self.assertFalse(self._draws())

    def test_block_api_refuses_what_is_not_a_whole_number(self):
        Block = self.env["stock.serial.block"]
        block = Block.api_reserve(self.generator.id, 5.0, "API")
        self.assertEqual(block["size"], 5, "5.0 is a whole number")
        before = (self.generator.number_next, Block.search_count([]))
        cases = [
            (
                lambda: Block.api_reserve("x", 5, "API"),
                "generator_id must be a whole number, not 'x'",
            ),
            (
                lambda: Block.api_reserve(self.generator.id, 5, "API", product_id=2.5),
                r"product_id must be a whole number, not 2\.5",
            ),
            (
                lambda: Block.api_reserve(self.generator.id, 5, "API", partner_id="7"),
                "partner_id must be a whole number, not '7'",
            ),
            (
                lambda: Block.api_get_serials(block["id"], 2.5),
                r"offset must be a whole number, not 2\.5",
            ),
            (
                lambda: Block.api_get_serials(block["id"], 0, "10"),
                "limit must be a whole number, not '10'",
            ),
            (lambda: Block.api_get_block(2.5), r"2\.5 is not a serial block id"),
            (
                lambda: Block.api_report_usage(block["id"], ["x"], product_id="p"),
                "product_id must be a whole number, not 'p'",
            ),
        ]
        for call, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                call()
        self.assertEqual((self.generator.number_next, Block.search_count([])), before)
        self.assertEqual(Block.api_get_block(block["id"])["used"], 0)

    # ------------------------------------------------------------------
    # Counter Audit
    # ------------------------------------------------------------------
    def _audit(self, user=None):
        action = self.generator.with_user(user or self.manager).action_counter_audit()
        return self.env[action["res_model"]].browse(action["res_id"])

    def test_counter_audit(self):
        Lot = self.env["stock.lot"]
        # A request that drew three serials and used one of them.
        names = self.generator._next_serials(3, product=self.product)
        Lot.create({"product_id": self.product.id, "name": names[0]})
        # A wizard allocation whose transaction failed after its draw.
        self.generator._reserve_numbers(4)
        # A blocked range and a moved Next Number are explained by themselves.
        self.env["stock.serial.block"].create(
            {"generator_id": self.generator.id, "size": 5, "holder_name": "Dept"}
        )
        self.generator.number_next_actual = 20
        # Numbers taken outside the module: a gap nothing explains.
        self.env.cr.execute(
            "UPDATE ir_sequence SET number_next = number_next + 2 WHERE id = %s",
            [self.generator.sequence_id.id],
        )
        self.env.invalidate_all()
        self.assertEqual(self.generator._next_serials(1), ["CS-00022"])
        with self.assertRaisesRegex(AccessError, "Only serial allocation managers"):
            self._audit(self.stock_user)
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            audit = self._audit()
            self.assertFalse(audit.is_clean)
            lines = sorted(
                (line.kind, line.first_number, line.last_number, line.count)
                for line in audit.line_ids
            )
            self.assertEqual(
                lines,
                [
                    ("gap", 20, 21, 2),
                    ("unused", 1, 3, 2),
                    ("unused", 4, 7, 4),
                    ("unused", 22, 22, 1),
                ],
            )
            self.assertEqual((audit.gap_count, audit.unused_count), (2, 7))
            unused = audit.line_ids.filtered(lambda line: line.first_number == 1)
            self.assertEqual(unused.serials, ", ".join(names[1:]))
            audit.with_user(self.manager).action_void_unused()
            self.assertEqual(
                [(line.kind, line.count) for line in audit.line_ids], [("gap", 2)]
            )
        voids = self.env["stock.serial.allocation"].search(
            [("generator_id", "=", self.generator.id), ("state", "=", "voided")]
        )
        self.assertEqual(sorted(voids.mapped("count")), [1, 2, 4])
        self.assertTrue(
            all("never used" in reason for reason in voids.mapped("void_reason"))
        )
        self.assertEqual(set(voids.mapped("voided_count")), {1, 2, 4})

    def test_counter_audit_clean(self):
        self.generator._next_serials(2, product=self.product)
        lots = self.env["stock.lot"].create(
            [{"product_id": self.product.id} for _index in range(3)]
        )
        self.assertEqual(lots.mapped("name"), ["CS-00003", "CS-00004", "CS-00005"])
        with freeze_time(fields.Datetime.now() + timedelta(hours=1)):
            audit = self._audit()
            self.assertEqual(
                [(line.kind, line.count) for line in audit.line_ids], [("unused", 2)]
            )
            audit.action_void_unused()
            self.assertTrue(audit.is_clean)
            self.assertEqual(audit.drawn_count, 5)

    def test_cron_voids_old_unused_draws(self):
        self.generator._next_serials(2, product=self.product)
        self.Draw._cron_void_unused()
        self.assertFalse(
            self.env["stock.serial.allocation"].search(
                [("generator_id", "=", self.generator.id)]
            ),
            "a draw of today may still be used",
        )
        with freeze_time(fields.Datetime.now() + timedelta(days=2)):
            self.Draw._cron_void_unused()
        void = self.env["stock.serial.allocation"].search(
            [("generator_id", "=", self.generator.id)]
        )
        self.assertRecordValues(void, [{"state": "voided", "count": 2}])


# post_install: its commits change the main company, which the install then writes
@tagged("post_install", "-at_install")
class TestCounterConcurrency(TwoTransactionsCase):
    """Real concurrent transactions on one counter and on one serial name."""

    def _commit_generator(self, **vals):
        vals = {
            "name": "Race %s" % time.time_ns(),
            "prefix": "MR-",
            "padding": 3,
            **vals,
        }
        ids = self._commit(lambda env: [env["stock.serial.generator"].create(vals)])
        return ids["stock.serial.generator"][0]

    def test_month_opened_by_two_transactions(self):
        """Two transactions open the same new month of a monthly counter at
        the same moment: one creates its date range, the other waits for it
        and takes the numbers after, from the same range."""
        generator_id = self._commit_generator(
            restart_period="month", prefix="%(range_y)s%(range_month)s-"
        )
        day = date(2027, 3, 15)
        first = self.registry.cursor()
        self.addCleanup(first.close)
        first.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        env_first = api.Environment(first, api.SUPERUSER_ID, {})
        generator = env_first["stock.serial.generator"].browse(generator_id)
        # The first draw inserts March and holds it, uncommitted ...
        draw = generator._draw_in(first, 3, day, "allocation", None, None, None, None)
        self.assertEqual((draw.first, draw.period_start), (1, date(2027, 3, 1)))
        # ... the second waits for it, and is served from the same range.
        env_second = self._new_env()
        timer = self._later(0.5, first.commit)
        started = time.monotonic()
        serials = (
            env_second["stock.serial.generator"]
            .browse(generator_id)
            ._next_serials(2, sequence_date=day)
        )
        self.assertGreaterEqual(time.monotonic() - started, 0.4, "it waited")
        timer.join()
        self.assertEqual(serials, ["2703-004", "2703-005"])
        env_second.cr.commit()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT date_from, date_to, number_next FROM ir_sequence_date_range "
                "WHERE sequence_id = (SELECT sequence_id FROM stock_serial_generator "
                "WHERE id = %s)",
                [generator_id],
            )
            self.assertEqual(cr.fetchall(), [(date(2027, 3, 1), date(2027, 3, 31), 6)])

    def _shared_company(self, env):
        company = env["res.company"].search([("name", "=", "Serial Race Company")])
        return company or env["res.company"].create({"name": "Serial Race Company"})

    def _commit_scope_setup(self, main_scope):
        """The main company on `main_scope`, another on the per-product
        scope, a product of each and a product shared by both."""

        def create(env):
            other = self._shared_company(env)
            main = env.ref("base.main_company")
            self.addCleanup(self._restore_scopes, main.id, main.serial_uniqueness_scope)
            main.serial_uniqueness_scope = main_scope
            other.serial_uniqueness_scope = "product"
            vals = {"type": "consu", "is_storable": True, "tracking": "serial"}
            products = env["product.product"].create(
                [
                    {**vals, "name": "Race Main", "company_id": main.id},
                    {**vals, "name": "Race Local", "company_id": other.id},
                    {**vals, "name": "Race Shared"},
                ]
            )
            return [products, other]

        ids = self._commit(create)
        return ids["product.product"], ids["res.company"][0]

    def _restore_scopes(self, company_id, scope):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["res.company"].browse(company_id).serial_uniqueness_scope = scope

    @mute_logger("odoo.sql_db")
    def test_uniqueness_across_scopes(self):
        """A serial of a company on the global scope cannot be reused by a
        company on the per-product scope, even by a transaction that started
        before the first one committed."""
        (global_id, local_id, _shared_id), other_id = self._commit_scope_setup("global")
        name = "XS-%s" % time.time_ns()
        env_1, env_2 = self._new_env(), self._new_env()
        env_1["stock.lot"].create({"product_id": global_id, "name": name})
        env_1.flush_all()
        timer = self._later(0.5, env_1.cr.commit)
        with self.assertRaises(ExclusionViolation):
            env_2["stock.lot"].create(
                {"product_id": local_id, "name": name, "company_id": other_id}
            )
            env_2.flush_all()
        timer.join()
        env_2.cr.rollback()
        # And the other way round, seen by Odoo's check before the database.
        self._begin(env_2)
        env_2.invalidate_all()
        Lot = env_2["stock.lot"]
        local = env_2["product.product"].browse(local_id)
        self.assertEqual(
            Lot._find_existing_serials(local, local.company_id, [name]).mapped("name"),
            [name],
        )

    @mute_logger("odoo.sql_db")
    def test_uniqueness_without_company(self):
        """A lot without company (a product shared by the companies) covers
        every company: the same serial of that product in one company is
        refused, although PostgreSQL sees NULL and a company as different."""
        (_main_id, _local_id, shared_id), other_id = self._commit_scope_setup("product")
        name = "NC-%s" % time.time_ns()
        env_1, env_2 = self._new_env(), self._new_env()
        env_1["stock.lot"].create({"product_id": shared_id, "name": name})
        env_1.flush_all()
        timer = self._later(0.5, env_1.cr.commit)
        with self.assertRaises(ExclusionViolation):
            env_2["stock.lot"].with_company(other_id).create(
                {"product_id": shared_id, "name": name, "company_id": other_id}
            )
            env_2.flush_all()
        timer.join()
        env_2.cr.rollback()

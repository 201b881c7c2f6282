# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError

from .block_common import SerialBlockCommon


class TestSerialBlockAccess(SerialBlockCommon):
    def test_only_managers_reserve(self):
        for user in (self.stock_user, self.holder):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Block.with_user(user).create(
                    {"generator_id": self.generator.id, "size": 5, "holder_name": "x"}
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Block.with_user(user).api_reserve(self.generator.id, 5, "x")
        self.assertEqual(self.generator.number_next_actual, 1)
        result = self.Block.with_user(self.manager).api_reserve(
            self.generator.id,
            5,
            "Field app",
            partner_id=self.vendor.id,
            product_id=self.product.id,
        )
        block = self.Block.browse(result["id"])
        self.assertEqual(
            result,
            {
                "id": block.id,
                "name": block.name,
                "first_serial": block.first_serial,
                "last_serial": block.last_serial,
                "size": 5,
                "used": 0,
                "remaining": 5,
                "state": "reserved",
            },
        )
        self.assertEqual(
            (block.partner_id, block.product_id), (self.vendor, self.product)
        )

    def test_users_read_and_allocate(self):
        block = self._reserve(5, product_id=self.product.id)
        Block = self.Block.with_user(self.stock_user)
        self.assertIn(block, Block.search([]))
        self.assertEqual(
            Block.api_get_serials(block.id, 0, 2), list(block._iter_serials(0, 2))
        )
        with self.assertRaises(AccessError):
            block.with_user(self.stock_user).write({"holder_name": "x"})
        # Users report usage (they create lots anyway).
        serial = next(block._iter_serials())
        block.with_user(self.stock_user)._report_usage([(1, serial)])
        self.assertEqual(block.used_count, 1)

    def test_holder_limited_to_its_blocks(self):
        mine = self._reserve(
            10, product_id=self.product.id, holder_user_id=self.holder.id
        )
        theirs = self._reserve(
            10, product_id=self.product.id, holder_user_id=self.other_holder.id
        )
        Block = self.Block.with_user(self.holder)
        self.assertEqual(Block.search([]), mine)
        self.assertEqual(Block.api_get_block(mine.id)["id"], mine.id)
        self.assertEqual(
            Block.api_get_serials(mine.id, 8, 5), list(mine._iter_serials(8))
        )
        serials = list(mine._iter_serials(0, 2))
        result = Block.api_report_usage(mine.id, serials)
        self.assertEqual(result["serials"], serials)
        self.assertEqual((result["used"], result["remaining"]), (2, 8))
        allocation = self.env["stock.serial.allocation"].search(
            [("name", "=", result["allocation"])]
        )
        self.assertEqual(allocation.user_id, self.holder)
        self.assertEqual(sorted(allocation.lot_ids.ids), sorted(result["lots"]))
        before = self._snapshot(mine, theirs)
        message = (
            "You may not use serial block %s: it is not held by your user." % theirs.id
        )
        with self.assertRaisesRegex(AccessError, message):
            Block.api_get_serials(theirs.id)
        with self.assertRaisesRegex(AccessError, message):
            Block.api_report_usage(theirs.id, list(theirs._iter_serials(0, 1)))
        with self.assertRaisesRegex(AccessError, "Only serial allocation managers"):
            theirs.with_user(self.holder).action_release("mine now")
        with self.assertRaises(AccessError):
            theirs.with_user(self.holder).read(["first_serial"])
        self.assertEqual(self._snapshot(mine, theirs), before)

    def test_api_errors_are_clear(self):
        block = self._reserve(
            10, product_id=self.product.id, holder_user_id=self.holder.id
        )
        Block = self.Block.with_user(self.holder)
        Manager = self.Block.with_user(self.manager)
        cases = [
            (
                lambda: Manager.api_reserve(999999, 5, "x"),
                "Serial generator 999999 does not exist",
            ),
            (
                lambda: Manager.api_reserve(self.generator.id, 0, "x"),
                "size must be a whole number of at least 1, not 0",
            ),
            (
                lambda: Manager.api_reserve(self.generator.id, 2.5, "x"),
                r"size must be a whole number of at least 1, not 2\.5",
            ),
            (
                lambda: Block.api_get_serials(999999),
                "Serial block 999999 does not exist",
            ),
            (lambda: Block.api_get_serials("abc"), "'abc' is not a serial block id"),
            (
                lambda: Block.api_get_serials(block.id, 0, 100001),
                "Ask for 1 to 100000 serials",
            ),
            (
                lambda: Block.api_get_serials(block.id, -1),
                "Ask for 1 to 100000 serials",
            ),
            (lambda: Block.api_report_usage(block.id, "LPB-1"), "as a list of strings"),
            (
                lambda: Block.api_report_usage(block.id, []),
                "Report at least one serial",
            ),
            (
                lambda: Block.api_report_usage(block.id, ["NOPE"]),
                "line 1: NOPE is not a serial of this block",
            ),
            (
                lambda: Block.api_report_usage(block.id, ["x"], product_id=999999),
                "Product 999999 does not exist",
            ),
        ]
        before = self._snapshot(block)
        for call, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(UserError, message),
            ):
                call()
        self.assertEqual(self._snapshot(block), before)

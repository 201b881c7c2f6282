# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
import uuid

from psycopg2.errors import SerializationFailure

from odoo import Command
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import TwoTransactionsCase


# post_install: it commits real transactions, racing the still open install transaction
@tagged("post_install", "-at_install")
class TestFastValidationConcurrency(TwoTransactionsCase):
    """Two receipts holding the same new serial, validated at once by two
    users: the second waits for the first, then is refused; the serial is
    in stock once."""

    def _commit_receipts(self):
        """A serial product, and two confirmed receipts of one unit: the
        first got serial `name` from the allocation service, the second was
        given the same serial by hand."""
        name = "FAST-%s" % uuid.uuid4().hex[:8]

        def create(env):
            product = env["product.product"].create(
                {
                    "name": "Fast Race %s" % name,
                    "is_storable": True,
                    "tracking": "serial",
                }
            )
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            supplier = env.ref("stock.stock_location_suppliers")
            receipts = env["stock.picking"].create(
                [
                    {
                        "picking_type_id": warehouse.in_type_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                        "move_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "product_uom": product.uom_id.id,
                                    "location_id": supplier.id,
                                    "location_dest_id": warehouse.lot_stock_id.id,
                                }
                            )
                        ],
                    }
                    for _index in range(2)
                ]
            )
            receipts.action_confirm()
            action = receipts[0].action_allocate_serials()
            wizard = env[action["res_model"]].browse(action["res_id"])
            wizard.line_ids.write({"method": "enter", "serials_text": name})
            wizard.action_allocate()
            lot = receipts[0].move_line_ids.lot_id
            assert lot.name == name and lot.serial_allocation_id
            receipts[1].move_ids.move_line_ids.unlink()
            env["stock.move.line"].create(
                {
                    "move_id": receipts[1].move_ids.id,
                    "picking_id": receipts[1].id,
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": supplier.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                }
            )
            return [product, receipts]

        ids = self._commit(create)
        self.addCleanup(self._delete_stock, ids)
        return ids["product.product"][0], ids["stock.picking"]

    def _delete_stock(self, ids):
        """What the receipts left (register entries are append-only for
        users; the test removes its own)."""
        with self.registry.cursor() as cr:
            products = tuple(ids["product.product"])
            cr.execute(
                SQL(
                    """UPDATE stock_lot SET serial_allocation_id = NULL
                        WHERE product_id IN %s""",
                    products,
                )
            )
            for table in (
                "stock_serial_allocation",
                "stock_quant",
                "stock_move_line",
                "stock_move",
            ):
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE product_id IN %s",
                        SQL.identifier(table),
                        products,
                    )
                )
            cr.execute(
                SQL(
                    "DELETE FROM stock_picking WHERE id IN %s",
                    tuple(ids["stock.picking"]),
                )
            )

    def test_same_new_serial_validated_twice_at_once(self):
        _product_id, (first_id, second_id) = self._commit_receipts()
        env_1, env_2 = self._new_env(), self._new_env()
        first = env_1["stock.picking"].browse(first_id)
        second = env_2["stock.picking"].browse(second_id)
        # Both see the serial without stock: each would take the fast path.
        lot_1 = first.move_line_ids.lot_id
        self.assertEqual(first.move_line_ids._get_fresh_serial_lines().lot_id, lot_1)
        self.assertEqual(second.move_line_ids.lot_id.id, lot_1.id)
        self.assertFalse(env_2["stock.quant"].search([("lot_id", "=", lot_1.id)]))
        self.assertIs(first.button_validate(), True)
        env_1.flush_all()
        # The second validation waits for the first one's lock on the serial,
        # then its snapshot is outdated: PostgreSQL refuses it, and Odoo's
        # request loop runs it again, which refuses the second unit.
        timer = self._later(0.5, env_1.cr.commit)
        start = time.monotonic()

        def validate_second():
            env_2.invalidate_all()
            return env_2["stock.picking"].browse(second_id).button_validate()

        with mute_logger("odoo.service.model", "odoo.sql_db"):
            with self.assertRaises(UserError) as refused:
                retrying(validate_second, env_2)
        self.assertGreaterEqual(time.monotonic() - start, 0.4, "it waited")
        timer.join()
        self.assertIn(lot_1.name, refused.exception.args[0])
        env_2.cr.rollback()
        quants = env_2["stock.quant"].search(
            [("lot_id", "=", lot_1.id), ("location_id.usage", "=", "internal")]
        )
        self.assertEqual(quants.mapped("quantity"), [1.0])
        self.assertEqual(env_2["stock.picking"].browse(second_id).state, "assigned")

    def test_waiting_validation_sees_serialization_failure(self):
        """Without Odoo's retry, the waiting transaction fails as a
        concurrency error (which the request loop retries), never creates a
        second quant."""
        _product_id, (first_id, second_id) = self._commit_receipts()
        env_1, env_2 = self._new_env(), self._new_env()
        second = env_2["stock.picking"].browse(second_id)
        lot = second.move_line_ids.lot_id
        self.assertTrue(lot.serial_allocation_id)
        self.assertIs(env_1["stock.picking"].browse(first_id).button_validate(), True)
        env_1.flush_all()
        timer = self._later(0.5, env_1.cr.commit)
        with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
            second.button_validate()
            env_2.flush_all()
        timer.join()
        env_2.cr.rollback()
        self.assertEqual(
            env_2["stock.quant"].search_count(
                [("lot_id", "=", lot.id), ("location_id.usage", "=", "internal")]
            ),
            1,
        )

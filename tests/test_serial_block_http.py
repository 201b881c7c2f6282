# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestSerialBlockHttp(HttpCase):
    """The browser tour, the CSV download and the RPC interface over real
    XML-RPC, as a holder's API user with a password."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls.env["stock.serial.generator"].create(
            {"name": "Tour Block Generator", "prefix": "TB-", "padding": 4}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Block Product",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": cls.generator.id,
            }
        )
        cls.holder = new_test_user(
            cls.env,
            "blk_api_holder",
            groups="base.group_user,stock_serial_allocation.group_serial_block_holder",
            password="blk-api-holder-pw",
        )

    def test_tour_reserve_and_allocate_on_receipt(self):
        warehouse = self.env.ref("stock.warehouse0")
        supplier = self.env.ref("stock.stock_location_suppliers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "origin": "TOURBLK",
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": supplier.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_block",
            "stock_serial_allocation_block_tour",
            login="admin",
            timeout=180,
        )
        block = self.env["stock.serial.block"].search(
            [("holder_name", "=", "Tour Label Printer")]
        )
        self.assertRecordValues(
            block,
            [
                {
                    "generator_id": self.generator.id,
                    "size": 50,
                    "first_serial": "TB-0001",
                    "last_serial": "TB-0050",
                    "used_count": 2,
                    "state": "in_use",
                }
            ],
        )
        self.assertEqual(
            picking.move_ids.move_line_ids.lot_id.mapped("name"), ["TB-0001", "TB-0002"]
        )
        self.assertEqual(picking.move_ids.serial_allocation_ids.block_id, block)
        self.assertEqual(self.generator.number_next_actual, 51)

    def test_csv_download(self):
        block = self.env["stock.serial.block"].create(
            {"generator_id": self.generator.id, "size": 2500, "holder_name": "Site B"}
        )
        self.authenticate("admin", "admin")
        response = self.url_open(
            "/stock_serial_allocation/block/%s/serials.csv" % block.id
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response.headers["Content-Type"])
        self.assertIn(
            block._get_csv_filename(), response.headers["Content-Disposition"]
        )
        lines = response.text.split("\r\n")
        self.assertEqual(lines[0], "serial")
        self.assertEqual(lines[1:-1], list(block._iter_serials()))
        self.assertEqual(len(lines[1:-1]), 2500)
        # A holder downloads only its own blocks.
        self.authenticate("blk_api_holder", "blk-api-holder-pw")
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/stock_serial_allocation/block/%s/serials.csv" % block.id
            )
        self.assertNotEqual(response.status_code, 200)

    def test_xmlrpc_holder_session(self):
        """An external system reserves nothing itself (a manager does), then
        fetches and reports its block's serials over XML-RPC."""
        db = get_db_name()
        password = "blk-api-holder-pw"
        block = self.env["stock.serial.block"].create(
            {
                "generator_id": self.generator.id,
                "size": 100,
                "holder_name": "Field app",
                "product_id": self.product.id,
                "holder_user_id": self.holder.id,
            }
        )
        other = self.env["stock.serial.block"].create(
            {"generator_id": self.generator.id, "size": 10, "holder_name": "Another"}
        )
        uid = self.xmlrpc_common.authenticate(db, "blk_api_holder", password, {})
        self.assertEqual(uid, self.holder.id)

        def call(method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(
                db, uid, password, "stock.serial.block", method, list(args), kwargs
            )

        summary = call("api_get_block", block.id)
        self.assertEqual(summary["first_serial"], "TB-0001")
        serials = call("api_get_serials", block.id, offset=0, limit=3)
        self.assertEqual(serials, ["TB-0001", "TB-0002", "TB-0003"])
        result = call("api_report_usage", block.id, ["TB-0002", "TB-0003"])
        self.assertEqual(result["serials"], ["TB-0002", "TB-0003"])
        self.assertEqual((result["used"], result["remaining"]), (2, 98))
        lots = self.env["stock.lot"].browse(result["lots"])
        self.assertEqual(lots.product_id, self.product)
        self.assertEqual(lots.serial_allocation_id.user_id, self.holder)
        # Errors come back as clear messages; nothing is written.
        faults = [
            (
                ("api_report_usage", block.id, ["TB-0002", "TB-0200", " "]),
                [
                    "line 1: TB-0002 is already used",
                    "line 2: TB-0200 is not a serial of this block (TB-0001 … TB-0100)",
                    "line 3 is blank",
                ],
            ),
            (
                ("api_get_serials", other.id),
                [
                    "You may not use serial block %s: it is not held by your user."
                    % other.id
                ],
            ),
            (
                ("api_reserve", self.generator.id, 10, "Mine"),
                ["Only serial allocation managers can reserve blocks."],
            ),
        ]
        for args, messages in faults:
            with self.subTest(method=args[0]), mute_logger("odoo.http"):
                with self.assertRaises(xmlrpc.client.Fault) as error:
                    call(*args)
                for message in messages:
                    self.assertIn(message, str(error.exception))
        block.invalidate_recordset()
        self.assertEqual(block.used_count, 2)
        self.assertEqual(self.generator.number_next_actual, 111)

    def test_json2_holder_session(self):
        """The same methods over Odoo 19's JSON-2 API with the holder's API key."""
        block = self.env["stock.serial.block"].create(
            {
                "generator_id": self.generator.id,
                "size": 20,
                "holder_name": "Other site",
                "product_id": self.product.id,
                "holder_user_id": self.holder.id,
            }
        )
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.holder)
            ._generate("rpc", "block api", datetime.now() + timedelta(days=0.5))
        )
        headers = {
            "Authorization": "Bearer %s" % key,
            "Content-Type": "application/json",
            "X-Odoo-Database": get_db_name(),
        }

        def call(method, **params):
            return self.url_open(
                "/json/2/stock.serial.block/%s" % method,
                data=json.dumps(params),
                headers=headers,
            )

        response = call("api_get_serials", block_id=block.id, offset=18, limit=5)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), ["TB-0019", "TB-0020"])
        response = call("api_report_usage", block_id=block.id, serials=["TB-0019"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["serials"], ["TB-0019"])
        with mute_logger("odoo.http"):
            response = call("api_report_usage", block_id=block.id, serials=["TB-0019"])
        self.assertNotEqual(response.status_code, 200)
        self.assertIn("line 1: TB-0019 is already used", response.json()["message"])
        block.invalidate_recordset()
        self.assertEqual(block.used_count, 1)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialJobTour(HttpCase):
    def test_background_import_tour(self):
        """A migration import above the threshold runs as a background job:
        queued from the browser, run by the cron worker, shown done."""
        env = self.env
        env.ref("base.main_company").serial_job_threshold = 3
        product = env["product.product"].create(
            {
                "name": "Tour Legacy Device",
                "default_code": "BGJ",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": env["stock.serial.generator"]
                .create({"name": "Tour Legacy", "prefix": "BGN-", "padding": 4})
                .id,
            }
        )
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_migration_import",
            "stock_serial_allocation_job_tour",
            login="admin",
            timeout=120,
        )
        job = env["stock.serial.job"].search([("serial_count", "=", 5)])
        self.assertEqual(job.state, "queued")
        self.assertEqual(job.user_id, env.ref("base.user_admin"))
        self.assertEqual(env["stock.serial.job"]._run_queued_jobs(), job.id)
        job.invalidate_recordset()
        self.assertEqual(job.state, "done", job.error)
        self.assertEqual(product.qty_available, 5)
        self.assertEqual(
            sorted(job.allocation_ids.lot_ids.mapped("name")),
            ["BG-00%s" % number for number in range(1, 6)],
        )
        self.start_tour(
            "/odoo/action-stock_serial_allocation.action_stock_serial_job/%s" % job.id,
            "stock_serial_allocation_job_done_tour",
            login="admin",
            timeout=120,
        )

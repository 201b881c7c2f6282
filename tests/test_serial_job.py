# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from .receipt_common import ReceiptFlowCommon


class TestSerialJobs(ReceiptFlowCommon):
    """Allocations and imports above the company's threshold run as
    background jobs of the cron worker: all or nothing, with their progress,
    the user notified."""

    def setUp(self):
        super().setUp()
        # The job's progress is written by transactions of its own: in test
        # mode they share the test's transaction.
        self.registry_enter_test_mode()
        self.env.company.serial_job_threshold = 5
        self.Job = self.env["stock.serial.job"]
        self.cron = self.env.ref("stock_serial_allocation.ir_cron_serial_jobs")

    def _queued_job(self, action):
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("runs in the background", action["params"]["message"])
        job = self.Job.browse(action["params"]["next"]["res_id"])
        self.assertEqual(action["params"]["next"]["res_model"], "stock.serial.job")
        self.assertEqual(job.state, "queued")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        )
        return job

    def _notifications(self):
        """The messages the bus sends when the transaction commits."""
        self.env.cr.precommit.run()
        return [
            json.loads(message)["payload"].get("message", "")
            for message in self.env["bus.bus"].sudo().search([]).mapped("message")
            if json.loads(message)["type"] == "simple_notification"
        ]

    def test_allocation_runs_in_the_background(self):
        receipt = self._create_receipt([(self.laptop, 4), (self.router, 2)])
        before = self._snapshot()
        job = self._queued_job(self._allocate_receipt(receipt))
        self.assertEqual(job.serial_count, 6)
        self.assertEqual(job.user_id, self.env.user)
        self.assertIn(receipt.name, job.name)
        # Nothing allocated yet.
        self.assertEqual(self._snapshot()["stock_lot"], before["stock_lot"])
        self.assertEqual(self.Job._run_queued_jobs(), job.id)
        job.invalidate_recordset()
        self.assertEqual((job.state, job.progress), ("done", 100))
        self.assertTrue(job.date_start and job.date_done)
        self.assertEqual(job.allocation_ids, receipt.serial_allocation_ids)
        self.assertEqual(sum(job.allocation_ids.mapped("count")), 6)
        self.assertEqual(
            sorted(receipt.move_ids.move_line_ids.lot_id.mapped("name")),
            ["RC-%05d" % number for number in range(1, 7)],
        )
        self.assertTrue(
            any(
                "Done: 6 serial(s) allocated: RC-00001 … RC-00006" in message
                for message in self._notifications()
            )
        )
        self.assertFalse(self.Job._run_queued_jobs(), "nothing left to run")

    def test_under_the_threshold_runs_at_once(self):
        receipt = self._create_receipt([(self.laptop, 5)])
        action = self._allocate_receipt(receipt)
        self.assertEqual(action["tag"], "stock_serial_allocation_result")
        self.assertFalse(self.Job.search([]))
        self.env.company.serial_job_threshold = 0
        receipt = self._create_receipt([(self.laptop, 50)])
        action = self._allocate_receipt(receipt)
        self.assertEqual(action["tag"], "stock_serial_allocation_result")

    def test_refused_job_writes_nothing(self):
        receipt = self._create_receipt([(self.laptop, 6)])
        # Typed serials, one repeated and one blank: refused when the job runs.
        job = self._queued_job(
            self._allocate_receipt(
                receipt,
                method="enter",
                serials_text="LX-1\nLX-2\nLX-1\n\nLX-5\nLX-6",
            )
        )
        before = self._snapshot()
        self.Job._run_queued_jobs()
        job.invalidate_recordset()
        self.assertEqual(job.state, "failed")
        self.assertIn("LX-1", job.error)
        self.assertIn("line 4 is blank", job.error)
        # Its progress stopped where it was refused.
        self.assertEqual(job.progress_message, "Checking the serials")
        self.assertFalse(job.allocation_ids)
        after = self._snapshot()
        self.assertEqual(after, before, "nothing written")
        self.assertTrue(
            any(
                "Failed; nothing was written" in message and "LX-1" in message
                for message in self._notifications()
            )
        )

    def test_migration_import_in_the_background(self):
        rows = [("product", "location", "serial")] + [
            ("LAP14", "WH/Stock", "OLD-%03d" % number) for number in range(1, 8)
        ]
        wizard = self.env["stock.serial.migration.import"].create(
            {"import_file": self._csv_file(rows), "import_filename": "legacy.csv"}
        )
        job = self._queued_job(wizard.action_import())
        self.assertEqual(job.serial_count, 7)
        self.assertIn("legacy.csv", job.name)
        self.Job._run_queued_jobs()
        job.invalidate_recordset()
        self.assertEqual(job.state, "done", job.error)
        lots = job.allocation_ids.lot_ids
        self.assertEqual(
            sorted(lots.mapped("name")), ["OLD-%03d" % n for n in range(1, 8)]
        )
        self.assertEqual(self.laptop.qty_available, 7)

    def test_jobs_are_the_user_s_own(self):
        receipt = self._create_receipt([(self.laptop, 6)])
        job = self._queued_job(self._allocate_receipt(receipt))
        clerk = self.env["res.users"].create(
            {
                "name": "Job Clerk",
                "login": "job_clerk",
                "group_ids": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("stock.group_stock_user").id,
                            self.env.ref(
                                "stock_serial_allocation.group_serial_allocation_user"
                            ).id,
                        ],
                    )
                ],
            }
        )
        self.assertFalse(self.Job.with_user(clerk).search([("id", "=", job.id)]))
        manager = self.env.ref("base.user_admin")
        self.assertEqual(self.Job.with_user(manager).search([("id", "=", job.id)]), job)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS

_logger = logging.getLogger(__name__)

# The context key that tells a wizard it runs as a background job.
JOB_KEY = "serial_job_id"
# First key of the advisory locks of running jobs (the second is the job id).
JOB_LOCK_KEY = 719_240_301
# {(database, job id): (progress, step)} last reported by the jobs running in
# this process: a failed job keeps the step where it stopped.
_last_progress = {}


class StockSerialJob(models.Model):
    """A large allocation, usage report or migration import, run in the
    background by Odoo's cron worker: all or nothing, as in the user's
    request, with its progress shown and the user notified at the end."""

    _name = "stock.serial.job"
    _description = "Serial Background Job"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", "Requested by", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    res_model = fields.Char("Wizard", required=True, readonly=True)
    method = fields.Char(required=True, readonly=True)
    payload = fields.Json(readonly=True, copy=False)
    serial_count = fields.Integer("Serials", readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    progress = fields.Float(readonly=True, help="Percentage done.")
    progress_message = fields.Char("Step", readonly=True)
    error = fields.Text(readonly=True)
    date_start = fields.Datetime("Started", readonly=True)
    date_done = fields.Datetime("Ended", readonly=True)
    allocation_ids = fields.One2many(
        "stock.serial.allocation", "job_id", string="Register Entries", readonly=True
    )

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.model
    def _runs_in_background(self, serial_count):
        """True when `serial_count` serials go to a background job: above the
        company's threshold, and not already in one."""
        threshold = self.env.company.serial_job_threshold
        return bool(
            threshold and serial_count > threshold and not self.env.context.get(JOB_KEY)
        )

    @api.model
    def _queue(self, wizard, method, serial_count, name):
        """Queue `method` of `wizard` (its values copied) as a job, trigger
        the cron worker and tell the user."""
        job = self.sudo().create(
            {
                "name": name,
                "user_id": self.env.uid,
                "company_id": self.env.company.id,
                "res_model": wizard._name,
                "method": method,
                "serial_count": serial_count,
                "payload": {
                    "values": self._serialize(wizard),
                    "context": {
                        "allowed_company_ids": self.env.companies.ids,
                        "lang": self.env.lang,
                        "tz": self.env.context.get("tz"),
                    },
                },
            }
        )
        self.env.ref("stock_serial_allocation.ir_cron_serial_jobs").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "sticky": False,
                "message": self.env._(
                    "%(job)s runs in the background; you will be notified when "
                    "it is done.",
                    job=job.name,
                ),
                "next": job.with_env(self.env)._action_open(),
            },
        }

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Background Job"),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _serialize(self, record):
        """Create values of `record` (a wizard) that a new one is made from:
        its stored fields that are not computed (or are editable), its lines
        likewise, files as base64 text."""
        values = {}
        for name, field in record._fields.items():
            if (
                name in MAGIC_COLUMNS
                or not field.store
                or (field.compute and field.readonly)
                or field.related
            ):
                continue
            value = record[name]
            if field.type == "one2many":
                values[name] = [
                    Command.create(
                        {
                            key: item
                            for key, item in self._serialize(line).items()
                            if key != field.inverse_name
                        }
                    )
                    for line in value
                ]
            elif field.type == "many2many":
                values[name] = [Command.set(value.ids)]
            elif field.type == "binary":
                values[name] = value.decode() if isinstance(value, bytes) else value
            else:
                value = field.convert_to_write(value, record)
                if isinstance(value, date):  # dates and datetimes
                    value = field.to_string(value)
                values[name] = value
        return values

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    @api.model
    def _run_queued_jobs(self):
        """The cron's code: run the oldest queued job, which the cron's
        transaction commits, and trigger the cron again for the next."""
        job_id = self._claim_next_job()
        if not job_id:
            return False
        self.browse(job_id)._run()
        if self.search_count([("state", "=", "queued")], limit=1):
            self.env.ref(
                "stock_serial_allocation.ir_cron_serial_jobs"
            ).sudo()._trigger()
        return job_id

    @api.model
    def _claim_next_job(self):
        """The oldest queued job that no other worker runs (a transaction
        lock, not a row lock: its progress is written by other
        transactions), shown as running at once; return its id."""
        self.env.cr.execute(
            "SELECT id FROM stock_serial_job WHERE state = 'queued' ORDER BY id"
        )
        for (job_id,) in self.env.cr.fetchall():
            self.env.cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", [JOB_LOCK_KEY, job_id]
            )
            if self.env.cr.fetchone()[0]:
                self.browse(job_id)._report_progress(
                    0, self.env._("Started"), state="running"
                )
                return job_id
        return None

    def _run(self):
        """Make the wizard again as its user and run it in a savepoint: a
        refusal leaves nothing written, the job failed with the message."""
        self.ensure_one()
        job = self.sudo()
        payload = job.payload or {}
        context = dict(payload.get("context") or {}, **{JOB_KEY: job.id})
        allowed = [
            company_id
            for company_id in context.get("allowed_company_ids") or []
            if company_id in job.user_id.company_ids.ids
        ] or [job.company_id.id]
        context["allowed_company_ids"] = allowed
        env = self.env(user=job.user_id.id, context=context, su=False)
        try:
            with self.env.cr.savepoint():
                wizard = env[job.res_model].create(payload.get("values") or {})
                getattr(wizard, job.method)()
        except (UserError, ValidationError, AccessError) as error:
            progress, step = _last_progress.pop(
                (self.env.cr.dbname, job.id), (0, False)
            )
            job.write(
                {
                    "state": "failed",
                    "progress": progress,
                    "progress_message": step,
                    "error": str(error.args[0] if error.args else error),
                    "date_done": fields.Datetime.now(),
                }
            )
            job._notify_user()
            return
        _last_progress.pop((self.env.cr.dbname, job.id), None)
        job.write(
            {
                "state": "done",
                "progress": 100,
                "progress_message": self.env._("Done"),
                "date_done": fields.Datetime.now(),
            }
        )
        job._notify_user()

    def _report_progress(self, progress, message, state=None):
        """Show how far the job is, committed at once by a transaction of its
        own (the job's commits only when it is done)."""
        self.ensure_one()
        _last_progress[self.env.cr.dbname, self.id] = (progress, message)
        query = """
            UPDATE stock_serial_job
               SET progress = %s, progress_message = %s,
                   state = COALESCE(%s, state),
                   date_start = COALESCE(date_start, now() at time zone 'UTC')
             WHERE id = %s
        """
        params = [progress, message, state, self.id]
        if not self.env.registry.ready:
            # Run while the module installs (its demo data): the job and its
            # table exist in this transaction only.
            self.env.cr.execute(query, params)
        else:
            with self.env.registry.cursor() as cr:
                cr.execute(query, params)
        self.invalidate_recordset(["progress", "progress_message", "state"])

    def _notify_user(self):
        self.ensure_one()
        if self.state == "done":
            message = self.env._(
                "Done: %(entries)s",
                entries=self.allocation_ids._get_result_message()
                if self.allocation_ids
                else self.env._("nothing to allocate"),
            )
            kind = "success"
        else:
            message = self.env._(
                "Failed; nothing was written.\n%(error)s", error=self.error
            )
            kind = "danger"
        self.user_id._bus_send(
            "simple_notification",
            {"type": kind, "title": self.name, "message": message, "sticky": True},
        )

    @api.model
    def _report_job_progress(self, progress, message):
        """From the code a job runs: its progress, when it runs in one."""
        job_id = self.env.context.get(JOB_KEY)
        if job_id:
            self.browse(job_id)._report_progress(progress, message)

    def action_open_allocations(self):
        self.ensure_one()
        return self.allocation_ids.action_open_register()

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_uniqueness_scope = fields.Selection(
        related="company_id.serial_uniqueness_scope", readonly=False
    )
    serial_company_code = fields.Char(
        related="company_id.serial_company_code", readonly=False
    )
    serial_generator_id = fields.Many2one(
        related="company_id.serial_generator_id", readonly=False
    )
    serial_job_threshold = fields.Integer(
        related="company_id.serial_job_threshold", readonly=False
    )
    serial_components_per_unit = fields.Boolean(
        related="company_id.serial_components_per_unit", readonly=False
    )
    serial_delivery_check = fields.Boolean(
        related="company_id.serial_delivery_check", readonly=False
    )

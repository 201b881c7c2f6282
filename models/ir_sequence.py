# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    serial_generator_ids = fields.One2many(
        "stock.serial.generator", "sequence_id", context={"active_test": False}
    )

    def _get_serial_generator(self):
        """The serial generator whose counter this sequence is, read whatever
        the user may read: every sequence of Odoo passes here, drawn by users
        who know nothing of serial generators."""
        return self.sudo().serial_generator_ids[:1]

    def write(self, vals):
        if "number_next" in vals:
            counters = self.filtered(lambda sequence: sequence._get_serial_generator())
            counters.sudo().serial_generator_ids._check_next_number(
                counters, vals["number_next"]
            )
        return super().write(vals)

    def get_next_char(self, number_next):
        # Odoo's own screens draw serials from product.lot_sequence_id: render
        # them with the generator's pattern and check digit.
        generator = self._get_serial_generator()
        if not generator:
            return super().get_next_char(number_next)
        context = self.env.context
        values = generator._get_pattern_values(
            product=self.env["product.product"].browse(
                context.get("serial_product_id")
            ),
            location=self.env["stock.location"].browse(
                context.get("serial_location_id")
            ),
            source=context.get("serial_source"),
        )
        return generator._render_serials([number_next], values)[0]

    def _next(self, sequence_date=None):
        serial = super()._next(sequence_date=sequence_date)
        generators = self._get_serial_generator()
        if generators:
            generators.last_serial = serial
            # The counter moved in SQL: drop the values cached before.
            self.invalidate_recordset(["number_next_actual"])
            generators.invalidate_recordset(["number_next", "number_next_actual"])
        return serial


class IrSequenceDateRange(models.Model):
    _inherit = "ir.sequence.date_range"

    def write(self, vals):
        if "number_next" in vals:
            counters = self.filtered(
                lambda date_range: date_range.sequence_id._get_serial_generator()
            )
            counters.sudo().sequence_id.serial_generator_ids._check_next_number(
                counters, vals["number_next"]
            )
        return super().write(vals)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .stock_serial_draw import DIRTY_COUNTERS_KEY


def _mark_dirty(env, sequence_ids):
    """Remember the counters this transaction wrote: it draws from them itself."""
    env.cr.precommit.data.setdefault(DIRTY_COUNTERS_KEY, set()).update(sequence_ids)


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
        counters = self.filtered(lambda sequence: sequence._get_serial_generator())
        if counters:
            _mark_dirty(self.env, counters.ids)
            if "number_next" in vals:
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
        product, location, source = generator._get_context_records()
        serial_format = generator._get_serial_format(
            product,
            location,
            source,
            # Odoo's own rendering: the date range comes from the context.
            period_start=None,
        )
        return generator._render_serials(serial_format, [number_next])[0]

    def _next(self, sequence_date=None):
        # Whoever calls next_by_id() on a generator's counter (Odoo's new lot
        # name, other modules) draws through the generator: a waiting lock
        # instead of Odoo's NOWAIT one, and the draw is accounted for.
        generator = self._get_serial_generator()
        if len(self) != 1 or not generator:
            return super()._next(sequence_date=sequence_date)
        product, location, source = generator._get_context_records()
        return generator._next_serials(
            1,
            product=product,
            location=location,
            source=source,
            sequence_date=sequence_date or self.env.context.get("ir_sequence_date"),
            entry_point="sequence",
        )[0]


class IrSequenceDateRange(models.Model):
    _inherit = "ir.sequence.date_range"

    @api.model_create_multi
    def create(self, vals_list):
        ranges = super().create(vals_list)
        _mark_dirty(self.env, ranges.sequence_id.ids)
        return ranges

    def write(self, vals):
        counters = self.filtered(
            lambda date_range: date_range.sequence_id._get_serial_generator()
        )
        if counters:
            _mark_dirty(self.env, counters.sequence_id.ids)
            if "number_next" in vals:
                counters.sudo().sequence_id.serial_generator_ids._check_next_number(
                    counters, vals["number_next"]
                )
        return super().write(vals)

    def _next(self):
        generator = self.sequence_id._get_serial_generator()
        if len(self) != 1 or not generator:
            return super()._next()
        return self.sequence_id._next(sequence_date=self.date_from)

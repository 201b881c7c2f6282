# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Upgrade to the counter draws and the scope exclusion constraint."""

import uuid


def migrate(cr, version):
    if not version:
        return
    # One exclusion constraint replaces the three unique indexes.
    for index in (
        "stock_lot__serial_product_uniq",
        "stock_lot__serial_company_uniq",
        "stock_lot__serial_global_uniq",
    ):
        cr.execute("DROP INDEX IF EXISTS %s" % index)  # noqa: S608 - fixed names
    # The numbers counters gave before draws were recorded are explained by
    # one baseline draw per counter.
    cr.execute(
        """
        SELECT g.id, s.company_id, NULL, NULL, s.number_next
          FROM stock_serial_generator g
          JOIN ir_sequence s ON s.id = g.sequence_id
         WHERE s.number_next > 1
        UNION ALL
        SELECT g.id, s.company_id, r.id, r.date_from, r.number_next
          FROM stock_serial_generator g
          JOIN ir_sequence s ON s.id = g.sequence_id
          JOIN ir_sequence_date_range r ON r.sequence_id = s.id
         WHERE r.number_next > 1
        """
    )
    for generator_id, company_id, range_id, date_from, number_next in cr.fetchall():
        cr.execute(
            """
            INSERT INTO stock_serial_draw (generator_id, company_id, entry_point,
                date_range_id, period_start, first_number, number_count,
                skipped_count, step, token, create_date, write_date)
            VALUES (%s, %s, 'baseline', %s, %s, 1, %s, 0, 1, %s,
                now() at time zone 'UTC', now() at time zone 'UTC')
            """,
            [
                generator_id,
                company_id,
                range_id,
                date_from,
                number_next - 1,
                uuid.uuid4().hex,
            ],
        )

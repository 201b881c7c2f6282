# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import content_disposition, request


class SerialBlockController(http.Controller):
    @http.route(
        "/stock_serial_allocation/block/<int:block_id>/serials.csv",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def serial_block_csv(self, block_id):
        """Stream the serials of a block as CSV: rendered from the block's
        range chunk by chunk, without any per-serial record."""
        block = request.env["stock.serial.block"]._api_get_block(block_id)
        lines = block.sudo()._iter_csv()
        headers = [
            ("Content-Type", "text/csv; charset=utf-8"),
            ("Content-Disposition", content_disposition(block._get_csv_filename())),
            ("X-Content-Type-Options", "nosniff"),
        ]
        return request.make_response((line.encode() for line in lines), headers=headers)

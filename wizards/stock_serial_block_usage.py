# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockSerialBlockUsage(models.TransientModel):
    _name = "stock.serial.block.usage"
    _description = "Report Serial Block Usage"

    block_id = fields.Many2one(
        "stock.serial.block",
        required=True,
        readonly=True,
        default=lambda self: self.env.context.get("active_id"),
    )
    block_product_id = fields.Many2one(
        related="block_id.product_id", string="Block Product"
    )
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_product_id",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('tracking', '=', 'serial')]",
        help="Product of the lots to create; the block's own product when it has one.",
    )
    input_method = fields.Selection(
        [("enter", "Enter / Scan"), ("import", "Import File")],
        string="Method",
        required=True,
        default="enter",
    )
    serials_text = fields.Text(
        "Serials", help="One serial per line: the serials the holder applied."
    )
    import_file = fields.Binary("File", attachment=False)
    import_filename = fields.Char("File Name")
    import_column = fields.Char(
        "Column",
        default="serial",
        help="Header of the file's column holding the serials.",
    )

    @api.depends("block_id")
    def _compute_product_id(self):
        for wizard in self:
            wizard.product_id = wizard.block_id.product_id

    def _get_serial_lines(self):
        """[(line number, serial)] typed or read from the file."""
        self.ensure_one()
        if self.input_method == "import":
            return self.env["stock.serial.file"]._read_serial_file(
                self.import_file, self.import_filename, self.import_column
            )
        lines = (self.serials_text or "").replace("\r\n", "\n").split("\n")
        while lines and not lines[-1].strip():
            lines.pop()  # a trailing newline is not a blank serial
        return list(enumerate(lines, start=1))

    def action_report(self):
        """Create the lots of the reported serials through the service."""
        self.ensure_one()
        lines = self._get_serial_lines()
        Job = self.env["stock.serial.job"]
        if Job._runs_in_background(len(lines)):
            return Job._queue(
                self,
                "action_report",
                len(lines),
                self.env._(
                    "Usage of %(count)s serials of %(block)s",
                    count=len(lines),
                    block=self.block_id.display_name,
                ),
            )
        allocations = self.block_id._report_usage(lines, self.product_id)
        return allocations._action_view_result()

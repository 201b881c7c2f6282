# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.stock_serial_allocation import METHODS, SOURCES
from ..models.stock_serial_allocator import SerialRequest


class StockSerialAllocationWizard(models.TransientModel):
    _name = "stock.serial.allocation.wizard"
    _description = "Allocate Serials"

    source = fields.Selection(SOURCES[:4], required=True, readonly=True)
    line_ids = fields.One2many(
        "stock.serial.allocation.wizard.line", "wizard_id", "Serials per Document"
    )
    validate = fields.Boolean(
        "Validate at Once",
        help="Validate the receipts (or produce the manufacturing orders) right "
        "after allocating.",
    )
    state = fields.Selection(
        [("draft", "To Allocate"), ("done", "Allocated")],
        default="draft",
        required=True,
        readonly=True,
    )
    allocation_ids = fields.Many2many(
        "stock.serial.allocation", string="Register Entries", readonly=True
    )
    result_message = fields.Char(compute="_compute_result_message")

    @api.depends("allocation_ids")
    def _compute_result_message(self):
        for wizard in self:
            wizard.result_message = (
                wizard.allocation_ids._get_result_message()
                if wizard.allocation_ids
                else False
            )

    @api.model
    def _action_open(self, source, line_vals):
        """Create the wizard for `source` with `line_vals` and open it."""
        wizard = self.create(
            {
                "source": source,
                "line_ids": [fields.Command.create(vals) for vals in line_vals],
            }
        )
        return wizard._action_reopen()

    def _action_reopen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Allocate Serials"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    def action_allocate(self):
        """Allocate through the shared service, then optionally validate."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.quantity > 0)
        if not lines:
            raise UserError(
                self.env._("Set a quantity to allocate on at least one line.")
            )
        count = int(sum(lines.mapped("quantity")))
        Job = self.env["stock.serial.job"]
        if Job._runs_in_background(count):
            return Job._queue(
                self,
                "action_allocate",
                count,
                self.env._(
                    "Allocation of %(count)s serials (%(documents)s)",
                    count=count,
                    documents=", ".join(dict.fromkeys(lines.mapped("document"))),
                ),
            )
        requests = [line._prepare_serial_request() for line in lines]
        allocations = self.env["stock.serial.allocator"]._allocate(
            requests, self.source
        )
        self.write(
            {"state": "done", "allocation_ids": [fields.Command.set(allocations.ids)]}
        )
        next_action = None
        if self.validate:
            # One call per target model (an order and its by-product moves).
            targets_by_model = {}
            for line in lines:
                target = line._get_target()
                targets_by_model[target._name] = (
                    targets_by_model.get(target._name, target) | target
                )
            for targets in targets_by_model.values():
                action = targets._action_validate_after_allocation()
                if isinstance(action, dict):
                    # Odoo asks something (a backorder...): that comes next.
                    next_action = action
                    break
        # The result is told, and shown as the wizard's last step.
        return allocations._action_view_result(next_action or self._action_reopen())

    def action_print_labels(self):
        self.ensure_one()
        return self.allocation_ids.action_print_labels()

    def action_open_register(self):
        self.ensure_one()
        return self.allocation_ids.action_open_register()


class StockSerialAllocationWizardLine(models.TransientModel):
    _name = "stock.serial.allocation.wizard.line"
    _description = "Allocate Serials Line"

    wizard_id = fields.Many2one(
        "stock.serial.allocation.wizard", required=True, ondelete="cascade"
    )
    move_id = fields.Many2one("stock.move", readonly=True)
    production_id = fields.Many2one("mrp.production", readonly=True)
    quant_id = fields.Many2one("stock.quant", "Stock Without Serial", readonly=True)
    location_id = fields.Many2one(
        "stock.location", domain="[('usage', '=', 'internal')]"
    )
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_product_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('tracking', '=', 'serial')]",
    )
    document = fields.Char(compute="_compute_product_id", store=True, precompute=True)
    generator_id = fields.Many2one(
        "stock.serial.generator", compute="_compute_generator_id"
    )
    quantity_todo = fields.Float(
        "Without Serial",
        compute="_compute_product_id",
        store=True,
        precompute=True,
        digits="Product Unit",
    )
    quantity = fields.Float(
        "To Allocate",
        compute="_compute_quantity",
        store=True,
        precompute=True,
        readonly=False,
        digits="Product Unit",
    )
    method = fields.Selection(METHODS, required=True, default="generate")
    partial = fields.Boolean(
        help="Allow fewer serials than the quantity to allocate; the rest stays "
        "pending.",
    )
    serials_text = fields.Text(
        "Serials",
        help="One serial per line, typed, scanned or pasted from a vendor's list.",
    )
    import_file = fields.Binary("File", attachment=False)
    import_filename = fields.Char("File Name")
    import_column = fields.Char(
        "Column",
        default="serial",
        help="Header of the file's column holding the serials.",
    )
    preview = fields.Char(
        compute="_compute_preview", help="First and last serial to be given."
    )
    status = fields.Char(
        compute="_compute_status",
        help="What this line gives as it stands: the serials ready, entered or "
        "read, and its problems (the duplicates named).",
    )
    status_ok = fields.Boolean(compute="_compute_status")
    block_company_id = fields.Many2one(
        "res.company", compute="_compute_block_company_id"
    )
    block_id = fields.Many2one(
        "stock.serial.block",
        domain="[('state', 'in', ('reserved', 'in_use')), "
        "('company_id', '=', block_company_id), "
        "'|', ('product_id', '=', product_id), "
        "'&', ('product_id', '=', False), ('generator_id', '=', generator_id)]",
        help="Serial block whose next unused serials are taken (method From Block).",
    )

    accounting_date = fields.Date(
        help="Date of the accounting entries of new stock entered with its serials "
        "(opening stock); empty: today.",
    )

    @api.depends("move_id", "production_id", "quant_id", "location_id", "product_id")
    def _compute_product_id(self):
        for line in self:
            target = line._get_target()
            if target and target._name != "stock.location":
                line.product_id = target.product_id
            line.document = target._get_serial_document_name() if target else False
            line.quantity_todo = (
                target._get_serial_quantity_todo(line.product_id) if target else 0
            )

    @api.depends("quantity_todo")
    def _compute_quantity(self):
        for line in self:
            line.quantity = line.quantity_todo

    @api.depends("product_id")
    def _compute_generator_id(self):
        for line in self:
            line.generator_id = line.product_id.product_tmpl_id._get_serial_generator()

    @api.depends("move_id", "production_id", "quant_id", "location_id")
    def _compute_block_company_id(self):
        for line in self:
            target = line._get_target()
            line.block_company_id = (target and target.company_id) or self.env.company

    @api.depends(
        "product_id",
        "generator_id",
        "quantity",
        "method",
        "serials_text",
        "block_id",
        "wizard_id.line_ids.quantity",
        "wizard_id.line_ids.method",
        "wizard_id.line_ids.generator_id",
    )
    def _compute_preview(self):
        for line in self:
            line.preview = False
            if line.method == "generate" and line.generator_id and line.quantity >= 1:
                try:
                    serials = line._preview_generated_serials()
                except (UserError, ValidationError) as error:
                    line.preview = error.args[0].splitlines()[-1]
                    continue
                line.preview = "%s … %s" % serials
            elif line.method == "enter" and line.serials_text:
                # Scanned GS1 codes show the serials read from them.
                serial_lines, _lot_values, _errors = self.env[
                    "stock.serial.allocator"
                ]._read_serial_lines(line.product_id, line._get_serial_lines())
                names = [
                    name.strip() for _line, name in serial_lines if (name or "").strip()
                ]
                if names:
                    line.preview = "%s … %s (%s)" % (names[0], names[-1], len(names))
            elif line.method == "block" and line.block_id and line.quantity >= 1:
                block = line.block_id
                serials = block._preview_take(int(line.quantity))
                if serials:
                    line.preview = "%s … %s" % tuple(serials)
                else:
                    line.preview = self.env._(
                        "%(count)s unused serial(s) left", count=block.remaining_count
                    )

    @api.depends(
        "quantity",
        "method",
        "serials_text",
        "import_file",
        "import_column",
        "block_id",
        "partial",
        "preview",
    )
    def _compute_status(self):
        for line in self:
            line.status, line.status_ok = line._get_status()

    def _get_status(self):
        """(text, ready) of this line: "10 of 10 ready", "7 of 10 entered, 1
        duplicate: SN-3", "Choose a file"..."""
        self.ensure_one()
        env = self.env
        wanted = int(self.quantity)
        if wanted < 1:
            return env._("Nothing to allocate"), False
        if self.method == "generate":
            if not self.generator_id:
                return env._("No serial generator for this product"), False
            if self.preview and " … " not in self.preview:
                return self.preview, False
            return env._("%(count)s of %(count)s ready", count=wanted), True
        if self.method == "block":
            if not self.block_id:
                return env._("Choose a block"), False
            if self.preview and " … " not in self.preview:
                return self.preview, False
            return env._("%(count)s of %(count)s ready", count=wanted), True
        if self.method == "import" and not self.import_file:
            return env._("Choose a file"), False
        try:
            lines = self._get_serial_lines()
        except UserError as error:
            return error.args[0], False
        allocator = env["stock.serial.allocator"]
        lines, _lot_values, line_errors = allocator._read_serial_lines(
            self.product_id, lines
        )
        names, errors = allocator._clean_serial_lines(lines, line_errors)
        seen, duplicates = set(), []
        for name in names:
            if name in seen and name not in duplicates:
                duplicates.append(name)
            seen.add(name)
        verb = env._("entered") if self.method == "enter" else env._("read")
        count = len(names)
        parts = [
            env._(
                "%(count)s of %(wanted)s %(verb)s",
                count=count,
                wanted=wanted,
                verb=verb,
            )
        ]
        if duplicates:
            parts.append(
                env._(
                    "%(count)s duplicate(s): %(serials)s",
                    count=len(duplicates),
                    serials=", ".join(duplicates[:5]),
                )
            )
        if errors:
            parts.append(
                env._(
                    "%(count)s problem(s): %(first)s",
                    count=len(errors),
                    first=errors[0],
                )
            )
        if count > wanted:
            parts.append(env._("%(count)s too many", count=count - wanted))
        ready = not duplicates and not errors and count <= wanted
        ready = ready and (count == wanted or (self.partial and count > 0))
        if ready and count == wanted:
            return env._("%(count)s of %(count)s ready", count=count), True
        return ", ".join(parts), ready

    def _preview_generated_serials(self):
        """(first, last) serial this line will be given: the lines above it
        drawing on the same generator take their numbers first."""
        self.ensure_one()
        generator = self.generator_id
        offset = 0
        for other in self.wizard_id.line_ids:
            if other == self:
                break
            if (
                other.method == "generate"
                and other.generator_id == generator
                and other.quantity >= 1
            ):
                offset += int(other.quantity)
        serial_format = generator._get_serial_format(
            self.product_id,
            self._get_target()._get_serial_request_values().get("location"),
            self.wizard_id.source,
        )
        [first] = generator._peek_serials(1, serial_format, offset)
        [last] = generator._peek_serials(
            1, serial_format, offset + int(self.quantity) - 1
        )
        return first, last

    def _get_target(self):
        """The record the serials are allocated to."""
        self.ensure_one()
        return self.move_id or self.production_id or self.quant_id or self.location_id

    def _get_serial_lines(self):
        """[(line number, value)] of typed or imported serials."""
        self.ensure_one()
        if self.method == "enter":
            return self.env["stock.serial.allocator"]._split_serial_text(
                self.serials_text
            )
        if self.method == "import":
            # The file itself, not its size (forms read with bin_size).
            import_file = self.with_context(bin_size=False).import_file
            return self.env["stock.serial.file"]._read_serial_file(
                import_file, self.import_filename, self.import_column
            )
        return []

    def _prepare_serial_request(self):
        self.ensure_one()
        target = self._get_target()
        values = target._get_serial_request_values()
        if self.location_id and target != self.location_id:
            values["location"] = self.location_id
        if self.accounting_date:
            values["accounting_date"] = self.accounting_date
        return SerialRequest(
            self.product_id,
            self.quantity,
            target,
            method=self.method,
            serials=tuple(self._get_serial_lines()),
            partial=self.partial,
            block=self.block_id if self.method == "block" else None,
            **values,
        )

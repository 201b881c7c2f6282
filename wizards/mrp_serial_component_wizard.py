# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class MrpSerialComponentWizard(models.TransientModel):
    """Components per Unit: which consumed component lots and serials went
    into each finished serial of a manufacturing order."""

    _name = "mrp.serial.component.wizard"
    _description = "Components per Unit"

    production_id = fields.Many2one("mrp.production", required=True, readonly=True)
    mark_done_production_ids = fields.Many2many(
        "mrp.production",
        string="Orders to Mark as Done",
        help="The orders being marked as done when this step opened: confirming "
        "goes on marking them as done.",
    )
    finished_lot_ids = fields.Many2many(related="production_id.lot_producing_ids")
    consumed_lot_ids = fields.Many2many(
        "stock.lot", compute="_compute_consumed_lot_ids"
    )
    line_ids = fields.One2many(
        "mrp.serial.component.wizard.line", "wizard_id", string="Components"
    )
    pasted_list = fields.Text(
        "List",
        help="One line per component: finished serial, component lot or serial "
        "and, for a lot, its quantity; separated by tabs, commas or semicolons "
        "(as pasted from a spreadsheet).",
    )
    list_file = fields.Binary(
        "File",
        help="CSV or XLSX file with the columns finished_serial, component_serial "
        "and, optionally, quantity.",
    )
    list_filename = fields.Char()
    problems = fields.Text(compute="_compute_problems")
    summary = fields.Char(compute="_compute_problems")

    @api.depends("production_id")
    def _compute_consumed_lot_ids(self):
        for wizard in self:
            wizard.consumed_lot_ids = (
                wizard.production_id._get_serial_component_lines().lot_id
            )

    @api.depends(
        "line_ids.finished_lot_id", "line_ids.component_lot_id", "line_ids.quantity"
    )
    def _compute_problems(self):
        for wizard in self:
            production = wizard.production_id
            errors = production._get_serial_component_errors(wizard._get_assignments())
            wizard.problems = "\n".join(errors)
            wizard.summary = self.env._(
                "%(components)s components for %(finished)s finished serials: "
                "%(status)s",
                components=len(wizard.line_ids),
                finished=len(production.lot_producing_ids),
                status=self.env._("%s problems", len(errors))
                if errors
                else self.env._("ready"),
            )

    def _get_assignments(self):
        self.ensure_one()
        return [
            (line.finished_lot_id, line.component_lot_id, line.quantity)
            for line in self.line_ids
            if line.finished_lot_id and line.component_lot_id
        ]

    @api.model
    def _prepare_line_commands(self, assignments):
        return [Command.clear()] + [
            Command.create(
                {
                    "finished_lot_id": finished_lot.id,
                    "component_lot_id": component_lot.id,
                    "quantity": quantity,
                }
            )
            for finished_lot, component_lot, quantity in assignments
        ]

    @api.model
    def _action_open(self, production, mark_done=None):
        """The step for `production`: what it recorded, else the consumed
        components shared out in order; `mark_done` are the orders to go on
        marking as done once confirmed."""
        production.ensure_one()
        if not production._get_serial_component_lines():
            raise UserError(
                self.env._(
                    "%(order)s consumes no lot- or serial-tracked component yet: "
                    "set the consumed lots and serials first.",
                    order=production.name,
                )
            )
        assignments = production._get_stored_serial_components()
        if not assignments or production._get_serial_component_errors(assignments):
            assignments = production._get_default_serial_components()
        wizard = self.create(
            {
                "production_id": production.id,
                "mark_done_production_ids": [
                    Command.set(mark_done.ids if mark_done else [])
                ],
                "line_ids": self._prepare_line_commands(assignments),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Components per Unit"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(self.env.context),
        }

    def _reopen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Components per Unit"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(self.env.context),
        }

    def action_assign_in_order(self):
        self.ensure_one()
        self.line_ids = self._prepare_line_commands(
            self.production_id._get_default_serial_components()
        )
        return self._reopen()

    def action_read_list(self):
        """Replace the lines by those of the pasted list or the file."""
        self.ensure_one()
        if self.list_file:
            rows = self.env["stock.serial.file"]._read_rows(
                self.list_file, self.list_filename
            )
            rows = self._rows_by_header(rows)
        elif (self.pasted_list or "").strip():
            text = self.pasted_list
            rows = [
                (number, next(csv.reader([line], dialect=self._sniff(line))))
                for number, line in self.env[
                    "stock.serial.allocator"
                ]._split_serial_text(text)
            ]
        else:
            raise UserError(self.env._("Paste a list or choose a file first."))
        self.line_ids = self._prepare_line_commands(self._read_rows(rows))
        self.write({"pasted_list": False, "list_file": False, "list_filename": False})
        return self._reopen()

    @api.model
    def _sniff(self, line):
        for delimiter in ("\t", ";", ","):
            if delimiter in line:
                return type("ListDialect", (csv.excel,), {"delimiter": delimiter})
        return csv.excel

    def _rows_by_header(self, rows):
        """[(line number, [finished, component, quantity])] of a file's rows,
        by its header."""
        header = [str(cell or "").strip().lower() for cell in rows[0]]
        missing = [
            column
            for column in ("finished_serial", "component_serial")
            if column not in header
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(file)s has no column %(columns)s (columns: %(found)s).",
                    file=self.list_filename,
                    columns=", ".join(missing),
                    found=", ".join(filter(None, header)),
                )
            )
        indexes = [header.index("finished_serial"), header.index("component_serial")]
        if "quantity" in header:
            indexes.append(header.index("quantity"))
        result = []
        for number, row in enumerate(rows[1:], start=2):
            cells = [
                row[index] if index < len(row) and row[index] is not None else ""
                for index in indexes
            ]
            if any(str(cell).strip() for cell in cells):
                result.append((number, cells))
        return result

    def _read_rows(self, rows):
        """[(finished lot, component lot, quantity)] of `rows`, or one error
        listing every wrong line."""
        production = self.production_id
        finished = {lot.name: lot for lot in production.lot_producing_ids}
        consumed = {}
        for lot in self.consumed_lot_ids:
            consumed.setdefault(lot.name, []).append(lot)
        assignments, errors = [], []
        for number, cells in rows:
            cells = [
                str(
                    int(cell) if isinstance(cell, float) and cell.is_integer() else cell
                ).strip()
                for cell in cells
            ]
            if not any(cells):
                continue
            if len(cells) < 2 or len(cells) > 3 or not all(cells[:2]):
                errors.append(
                    self.env._(
                        "- line %(line)s: give a finished serial, a component "
                        "lot or serial and, for a lot, a quantity.",
                        line=number,
                    )
                )
                continue
            finished_name, component_name = cells[:2]
            finished_lot = finished.get(finished_name)
            components = consumed.get(component_name, [])
            if not finished_lot:
                errors.append(
                    self.env._(
                        "- line %(line)s: %(serial)s is not a serial %(order)s "
                        "produces.",
                        line=number,
                        serial=finished_name,
                        order=production.name,
                    )
                )
            if len(components) != 1:
                errors.append(
                    self.env._(
                        "- line %(line)s: %(serial)s is not a lot or serial "
                        "%(order)s consumes.",
                        line=number,
                        serial=component_name,
                        order=production.name,
                    )
                    if not components
                    else self.env._(
                        "- line %(line)s: %(serial)s names lots of several "
                        "components (%(products)s).",
                        line=number,
                        serial=component_name,
                        products=", ".join(
                            lot.product_id.display_name for lot in components
                        ),
                    )
                )
            quantity = 1.0
            if len(cells) == 3 and cells[2]:
                try:
                    quantity = float(cells[2].replace(",", "."))
                except ValueError:
                    quantity = 0.0
                if quantity <= 0:
                    errors.append(
                        self.env._(
                            "- line %(line)s: %(quantity)s is not a quantity.",
                            line=number,
                            quantity=cells[2],
                        )
                    )
            if finished_lot and len(components) == 1 and quantity > 0:
                assignments.append((finished_lot, components[0], quantity))
        if errors:
            raise UserError(
                self.env._(
                    "These lines of the list cannot be read:\n%(errors)s",
                    errors="\n".join(errors),
                )
            )
        return assignments

    def action_confirm(self):
        """Record the components per unit, then go on marking the orders as
        done when this step came from there."""
        self.ensure_one()
        self.production_id._set_serial_components(self._get_assignments())
        if self.mark_done_production_ids:
            return self.mark_done_production_ids.button_mark_done()
        return {"type": "ir.actions.act_window_close"}


class MrpSerialComponentWizardLine(models.TransientModel):
    _name = "mrp.serial.component.wizard.line"
    _description = "Component per Unit (wizard line)"
    _order = "finished_lot_id, product_id, component_lot_id, id"

    wizard_id = fields.Many2one(
        "mrp.serial.component.wizard", required=True, ondelete="cascade"
    )
    finished_lot_id = fields.Many2one(
        "stock.lot", "Finished Serial", required=True, ondelete="cascade"
    )
    component_lot_id = fields.Many2one(
        "stock.lot", "Component Lot/Serial", required=True, ondelete="cascade"
    )
    product_id = fields.Many2one(
        related="component_lot_id.product_id", string="Component"
    )
    quantity = fields.Float(digits="Product Unit", default=1.0, required=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time

from odoo import Command, api, fields, models
from odoo.exceptions import LockError, UserError
from odoo.fields import Domain

from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantCore

# Context key of the quants a validation creates together (defaults given).
MOVED_QUANTS_KEY = "serial_moved_quants"


class StockQuant(models.Model):
    _name = "stock.quant"
    _inherit = ["stock.quant", "stock.serial.allocation.target"]

    serial_receipt_id = fields.Many2one(
        "stock.picking",
        string="Received With",
        compute="_compute_serial_receipt_id",
        search="_search_serial_receipt_id",
        help="The latest receipt that brought units without serial of this product "
        "into this location.",
    )
    serial_came_from = fields.Char(
        "Came From",
        compute="_compute_serial_receipt_id",
        help="The receipt that brought the units without serial in, when known; "
        "else On Hand.",
    )
    serial_todo_qty = fields.Float(
        "Without Serial",
        compute="_compute_serial_todo_qty",
        digits="Product Unit",
        help="Units of this quant that can be given serials (not reserved).",
    )

    @api.model
    def default_get(self, fields):
        if self.env.context.get(MOVED_QUANTS_KEY):
            fields = self.env["stock.serial.allocator"]._fields_with_default(
                self, fields
            )
        return super().default_get(fields) if fields else {}

    @api.model
    def _create_moved_quants(self, vals_list):
        """Create, in one INSERT, the quants a validation moves serials into
        (values as ``_update_available_quantity`` gives them). Odoo's
        ``create`` makes one INSERT per quant; for these values, outside the
        inventory mode's own fields, it does nothing else that is not done
        here."""
        Quant = self.sudo()
        # The defaults, looked up once instead of once per quant.
        missing = self.env["stock.serial.allocator"]._fields_with_default(
            Quant, [name for name in Quant._fields if name not in vals_list[0]]
        )
        defaults = dict(Quant.default_get(missing), inventory_quantity_set=False)
        # The stored computed fields, known per location: given, they spare an
        # UPDATE of every quant after the INSERT. Odoo recomputes those that
        # are read-only, and writes them only if they differ.
        locations = self.env["stock.location"].browse(
            {vals["location_id"] for vals in vals_list}
        )
        computed = {
            location.id: {
                "company_id": location.company_id.id,
                "inventory_date": location._get_next_inventory_date(),
                "inventory_diff_quantity": 0,
            }
            for location in locations
        }
        vals_list = [
            dict(defaults, **computed[vals["location_id"]], **vals)
            for vals in vals_list
        ]
        Quant = Quant.with_context(**{MOVED_QUANTS_KEY: True})
        quants = super(StockQuantCore, Quant).create(vals_list).with_env(self.env)
        quants_cache = self.env.context.get("quants_cache")
        if quants_cache is not None:
            for quant in quants:
                quants_cache[
                    quant.product_id.id,
                    quant.location_id.id,
                    quant.lot_id.id,
                    quant.package_id.id,
                    quant.owner_id.id,
                ] |= quant
        if self._is_inventory_mode():
            quants.filtered("company_id")._check_company()
        return quants

    @api.model
    def _add_precomputed_values(self, vals_list):
        # A quant's only precomputed field is its lot's properties, related
        # and not stored: Odoo computes it on a new record per quant, then
        # drops it.
        if self.env.context.get(MOVED_QUANTS_KEY) and not any(
            field.precompute and field.store for field in self._fields.values()
        ):
            return
        super()._add_precomputed_values(vals_list)

    # ------------------------------------------------------------------
    # Pending list
    # ------------------------------------------------------------------
    @api.model
    def _get_serial_pending_domain(self):
        """Quants of serial products holding stock without a serial."""
        return Domain(
            [
                ("lot_id", "=", False),
                ("product_id.tracking", "=", "serial"),
                ("location_id.usage", "=", "internal"),
                ("quantity", ">", 0),
            ]
        )

    def _get_serial_receipts(self):
        """{(product id, location id): the latest done receipt whose lines
        without serial went into that location} for the quants in self."""
        quants = self.filtered(
            lambda q: q.product_id and q.location_id and not q.lot_id
        )
        if not quants:
            return {}
        groups = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", quants.product_id.ids),
                    ("location_dest_id", "in", quants.location_id.ids),
                    ("lot_id", "=", False),
                    ("state", "=", "done"),
                    ("picking_code", "=", "incoming"),
                ],
                ["product_id", "location_dest_id", "picking_id"],
                ["date:max", "id:max"],
            )
        )
        latest = {}
        for product, location, picking, date, line_id in groups:
            key = (product.id, location.id)
            if key not in latest or (date, line_id) > latest[key][0]:
                latest[key] = ((date, line_id), picking)
        return {key: picking.sudo(False) for key, (_order, picking) in latest.items()}

    @api.depends("product_id", "location_id", "lot_id")
    def _compute_serial_receipt_id(self):
        receipts = self._get_serial_receipts()
        for quant in self:
            receipt = receipts.get((quant.product_id.id, quant.location_id.id))
            if quant.lot_id or not receipt:
                quant.serial_receipt_id = False
                quant.serial_came_from = self.env._("On Hand")
            else:
                quant.serial_receipt_id = receipt
                quant.serial_came_from = receipt.name

    def _search_serial_receipt_id(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        pending = self.search(self._get_serial_pending_domain())
        matched = pending.filtered(
            lambda quant: (quant.serial_receipt_id.id or False) in value
        )
        unmatched = pending - matched
        # Quants that are not pending have no receipt (False).
        if operator == "in":
            if False in value:
                return [("id", "not in", unmatched.ids)]
            return [("id", "in", matched.ids)]
        if False in value:
            return [("id", "in", unmatched.ids)]
        return [("id", "not in", matched.ids)]

    @api.depends("quantity", "reserved_quantity", "lot_id")
    def _compute_serial_todo_qty(self):
        for quant in self:
            quant.serial_todo_qty = (
                0.0
                if quant.lot_id
                else max(quant.quantity - max(quant.reserved_quantity, 0.0), 0.0)
            )

    def action_allocate_serials(self):
        """Open the allocation wizard on the selected quants without serial."""
        quants = self.filtered_domain(self._get_serial_pending_domain())
        if not quants:
            raise UserError(self.env._("None of the selected quants lacks serials."))
        return quants._action_generate_allocation_wizard()

    # ------------------------------------------------------------------
    # Allocation service hooks (opening stock: serialize existing stock)
    # ------------------------------------------------------------------
    def _get_serial_request_values(self):
        """Where the serials go and which documents the register links."""
        self.ensure_one()
        receipt = self.serial_receipt_id
        return {
            "location": self.location_id,
            "document": receipt or self.location_id,
            "vendor": receipt.partner_id,
            "label": "%s - %s"
            % (self.location_id.display_name, self.product_id.display_name),
            # Serials already on the units keep their format.
            "legacy": True,
        }

    def _get_serial_document_name(self):
        self.ensure_one()
        return self.serial_came_from

    def _get_serial_quantity_todo(self, product):
        self.ensure_one()
        return self.serial_todo_qty

    def _prepare_serial_allocation_vals(self, request):
        self.ensure_one()
        receipt = self.serial_receipt_id
        return {
            "location_id": self.location_id.id,
            "picking_id": receipt.id,
            "purchase_id": receipt.move_ids.purchase_line_id.order_id[:1].id,
        }

    def _lock_serial_targets(self):
        """Lock the quants so that two allocations cannot both take the same
        units, then read them afresh."""
        try:
            self.lock_for_update(allow_referencing=True)
        except LockError:
            return [
                self.env._(
                    "- This stock without serial is being changed by someone else; "
                    "try again in a moment."
                )
            ]
        self.invalidate_recordset(
            ["quantity", "reserved_quantity", "lot_id", "serial_todo_qty"]
        )
        return []

    def _get_serial_target_errors(self, label):
        """Only internal stock of a serial product without serial, with no
        count in progress, is serialized."""
        self.ensure_one()
        if (
            self.lot_id
            or self.product_id.tracking != "serial"
            or self.location_id.usage != "internal"
        ):
            return [
                self.env._(
                    "- %(label)s: this stock cannot be given serials here.",
                    label=label,
                )
            ]
        if self.inventory_quantity_set:
            return [
                self.env._(
                    "- %(label)s: a count of this stock is in progress; apply or "
                    "clear it first.",
                    label=label,
                )
            ]
        return []

    def _get_serial_quantity_error(self, label, quantity, todo):
        self.ensure_one()
        reserved = self.reserved_quantity
        return self.env._(
            "- %(label)s: %(quantity)s units to serialize, only %(todo)s without "
            "serial%(reserved)s.",
            label=label,
            quantity="%g" % quantity,
            todo="%g" % todo,
            reserved=self.env._(" (%(qty)s reserved)", qty="%g" % reserved)
            if reserved > 0
            else "",
        )

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Turn the allocated units of each quant into one quant per serial at
        the same place, with Odoo's inventory adjustment moves named after the
        allocation: the units without serial go out, the serial units come in.
        The serial units carry the value of the units they replace, so the
        quantity and the stock value of the product are unchanged."""
        move_vals = []
        for quant, lots, _request in items:
            name = self._get_serial_move_name(lots.serial_allocation_id)
            inventory = quant._get_serial_inventory_location()
            move_vals += [
                quant._prepare_serial_move_vals(
                    name, len(lots), quant.location_id, inventory
                ),
                quant._prepare_serial_move_vals(
                    name, len(lots), inventory, quant.location_id, lots
                ),
            ]
        quants, moves = self._action_serial_inventory(move_vals, items)
        # Moves are created in order: (out, in) per item.
        self._carry_serial_value(list(zip(moves[0::2], moves[1::2], strict=True)))
        return quants

    @api.model
    def _get_serial_move_name(self, allocations):
        """Reference of the inventory adjustment of an allocation."""
        return self.env._(
            "%(refs)s: Serial Allocation", refs=", ".join(allocations.mapped("name"))
        )

    def _get_serial_inventory_location(self):
        """The inventory adjustment location of this quant's product (as
        Odoo's inventory adjustments take it)."""
        self.ensure_one()
        location = self.product_id.with_company(
            self.company_id
        ).property_stock_inventory
        if not location:
            location_id = (
                self.env["ir.default"]
                .with_company(self.company_id)
                ._get_model_defaults("product.template")
                .get("property_stock_inventory")
            )
            location = self.env["stock.location"].browse(location_id)
        return location

    def _prepare_serial_move_vals(
        self, name, quantity, location, location_dest, lots=None
    ):
        """Values of one inventory adjustment move of this quant's product
        (Odoo's own, through ``_get_inventory_move_values``): without serial
        when no `lots` are given, else with one detailed line per serial. The
        quant's package and owner are kept."""
        self.ensure_one()
        incoming = bool(lots)
        vals = self.with_context(inventory_name=name)._get_inventory_move_values(
            quantity,
            location,
            location_dest,
            package_id=False if incoming else self.package_id,
            package_dest_id=self.package_id if incoming else False,
        )
        if lots:
            line_vals = vals["move_line_ids"][0][2]
            vals["move_line_ids"] = [
                Command.create(dict(line_vals, quantity=1, lot_id=lot.id))
                for lot in lots
            ]
        return vals

    @api.model
    def _action_serial_inventory(self, move_vals, items):
        """Create and validate the inventory moves of allocations (on the
        accounting date the requests give), then date the serial quants.
        Returns (serial quants, moves in the order of `move_vals`)."""
        moves = (
            self.env["stock.move"].with_context(inventory_mode=False).create(move_vals)
        )
        lot_dates = {}
        for _target, lots, request in items:
            for lot in lots:
                lot_dates[lot.id] = request.accounting_date or False
        by_date = defaultdict(lambda: self.env["stock.move"])
        for move in moves:
            by_date[lot_dates.get(move.move_line_ids.lot_id[:1].id, False)] |= move
        for accounting_date, date_moves in by_date.items():
            context = {"ignore_dest_packages": True}
            if accounting_date:
                context["force_period_date"] = accounting_date
            # The serial units come in first, while nothing without serial
            # has gone to the inventory location: their quants are created
            # together (fresh serials), not taken one by one from that stock.
            serial_moves = date_moves.filtered(lambda move: move.move_line_ids.lot_id)
            serial_moves.with_context(**context)._action_done()
            (date_moves - serial_moves).with_context(**context)._action_done()
        moves._trigger_assign()
        lots = self.env["stock.lot"].union(*(lots for _target, lots, _request in items))
        quants = self.search(
            [("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal")]
        )
        quants._set_serial_in_dates(items)
        return quants, moves

    def _set_serial_in_dates(self, items):
        """Keep the in-date of the stock the serials replace (or the one read
        from a migration file), so that FIFO removal is unchanged."""
        in_dates = {}
        for target, lots, _request in items:
            for lot in lots:
                if lot.serial_in_date:
                    in_dates[lot.id] = datetime.combine(lot.serial_in_date, time.min)
                elif target._name == "stock.quant":
                    in_dates[lot.id] = target.in_date
        by_date = defaultdict(list)
        for quant in self:
            if in_dates.get(quant.lot_id.id):
                by_date[in_dates[quant.lot_id.id]].append(quant.id)
        for in_date, quant_ids in by_date.items():
            self.browse(quant_ids).sudo().write({"in_date": in_date})

    @api.model
    def _carry_serial_value(self, move_pairs):
        """Value each serial units' move (in) at what the units without serial
        it replaces (out) were valued when taken out: FIFO layers may differ
        from the product's cost. Uses Odoo's manual move values; nothing to do
        when both values already agree (standard and average cost)."""
        value_vals = []
        for move_out, move_in in move_pairs:
            if move_out.company_currency_id.is_zero(move_out.value - move_in.value):
                continue
            value_vals.append(
                {
                    "move_id": move_in.id,
                    "value": move_out.value,
                    "description": self.env._(
                        "Value of the units without serial replaced (%(ref)s)",
                        ref=move_out.reference,
                    ),
                }
            )
        if value_vals:
            self.env["product.value"].sudo().create(value_vals)

    def _action_generate_allocation_wizard(self):
        """Open the allocation wizard with one line per quant."""
        return self.env["stock.serial.allocation.wizard"]._action_open(
            "opening",
            [
                {"quant_id": quant.id, "location_id": quant.location_id.id}
                for quant in self
            ],
        )

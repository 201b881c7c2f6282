# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_serial_allocation import SERVICE_KEY


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "stock.serial.allocation.target"]

    serial_allocated_qty = fields.Float(
        "Allocated",
        compute="_compute_serial_allocation_qty",
        store=True,
        digits="Product Unit",
        help="Units of this move that already carry a serial number.",
    )
    serial_to_allocate_qty = fields.Float(
        "To Allocate",
        compute="_compute_serial_allocation_qty",
        store=True,
        digits="Product Unit",
        help="Units of this move of a serial product that still lack a serial.",
    )
    serial_allocation_ids = fields.One2many(
        "stock.serial.allocation", "move_id", string="Serial Allocations", readonly=True
    )
    # Stored: the receipts list groups by them.
    serial_purchase_id = fields.Many2one(
        related="purchase_line_id.order_id",
        string="Purchase Order",
        store=True,
        index="btree_not_null",
    )
    serial_vendor_id = fields.Many2one(
        related="picking_id.partner_id",
        string="Vendor",
        store=True,
        index="btree_not_null",
    )

    @api.depends(
        "product_id.tracking",
        "product_qty",
        "state",
        "move_line_ids.lot_id",
        "move_line_ids.lot_name",
        "move_line_ids.quantity",
    )
    def _compute_serial_allocation_qty(self):
        for move in self:
            if move.product_id.tracking != "serial" or move.state in (
                "draft",
                "cancel",
            ):
                move.serial_allocated_qty = move.serial_to_allocate_qty = 0.0
                continue
            allocated = sum(
                line.quantity_product_uom
                for line in move.move_line_ids
                if line.lot_id or line.lot_name
            )
            move.serial_allocated_qty = allocated
            move.serial_to_allocate_qty = (
                max(move.product_qty - allocated, 0.0) if move.state != "done" else 0.0
            )

    # ------------------------------------------------------------------
    # Allocation service hooks (receipts)
    # ------------------------------------------------------------------
    def _get_serial_request_values(self):
        """Where the serials go and which documents the register links."""
        self.ensure_one()
        if self.production_id:  # a by-product of a manufacturing order
            return {
                "location": self.location_dest_id,
                "document": self.production_id,
                "vendor": False,
                "label": "%s - %s"
                % (self.production_id.name, self.product_id.display_name),
            }
        return {
            "location": self.location_dest_id,
            "document": self.picking_id or self,
            "vendor": self.picking_id.partner_id
            or self.purchase_line_id.order_id.partner_id,
            "label": "%s - %s"
            % (self.picking_id.name or self.reference, self.product_id.display_name),
        }

    def _get_serial_document_name(self):
        self.ensure_one()
        return self.production_id.name or self.picking_id.name or self.reference

    def _get_serial_quantity_todo(self, product):
        self.ensure_one()
        return self.serial_to_allocate_qty

    def _action_validate_after_allocation(self):
        """Validate the receipts just allocated (the backorder wizard may open);
        by-products: produce their manufacturing orders."""
        by_products = self.filtered("production_id")
        if by_products:
            action = by_products.production_id._action_validate_after_allocation()
            if isinstance(action, dict) or by_products == self:
                return action
        return (self - by_products).picking_id.button_validate()

    def _prepare_serial_allocation_vals(self, request):
        self.ensure_one()
        return {
            "move_id": self.id,
            "picking_id": self.picking_id.id,
            "purchase_id": self.purchase_line_id.order_id.id,
            "production_id": self.production_id.id,
        }

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Give each move one detailed operation per serial (put-away applied),
        replacing the lines that carried no serial."""
        moves = self.browse([move.id for move, _lots, _request in items])
        self.env["stock.move.line"].search(
            [
                ("move_id", "in", moves.ids),
                ("lot_id", "=", False),
                ("lot_name", "in", [False, ""]),
                ("picked", "=", False),
            ]
        ).unlink()
        vals_list = []
        for move, lots, _request in items:
            base_vals = move._prepare_move_line_vals()
            base_vals.update(
                product_uom_id=move.product_id.uom_id.id,
                quantity=1,
                # The values of two stored computed fields, known here: given,
                # they spare an UPDATE of every new line after the INSERT.
                quantity_product_uom=1,
                state=move.state,
            )
            destinations = move._get_serial_putaway_locations(len(lots))
            vals_list += [
                dict(base_vals, lot_id=lot.id, location_dest_id=location.id)
                for lot, location in zip(lots, destinations, strict=True)
            ]
        self.env["stock.move.line"].with_context(**{SERVICE_KEY: True}).create(
            vals_list
        )
        return moves

    def _get_serial_putaway_locations(self, count):
        """Where each of `count` serial units of this move is put away.

        Put-away depends on the units already placed only through storage
        capacities: then each unit is placed knowing where the previous ones
        went, as Odoo's own serial commands do; otherwise once for all."""
        self.ensure_one()
        location = self.location_dest_id
        product = self.product_id
        if not (
            location.putaway_rule_ids
            and location.child_internal_location_ids.storage_category_id
        ):
            return [location._get_putaway_strategy(product, 1)] * count
        placed = defaultdict(float)
        destinations = []
        for _unit in range(count):
            destination = location._get_putaway_strategy(
                product, 1, additional_qty=placed
            )
            placed[destination.id] += 1
            destinations.append(destination)
        return destinations

    def _should_bypass_set_qty_producing(self):
        # mrp: a finished move already holding one line per serial of its
        # order (allocated) has nothing left to set.
        if self.production_id._serial_lines_match(self):
            return True
        return super()._should_bypass_set_qty_producing()

    def _action_generate_allocation_wizard(self):
        """Open the allocation wizard with one line per move."""
        return self.env["stock.serial.allocation.wizard"]._action_open(
            "purchase", [{"move_id": move.id} for move in self]
        )

    def action_allocate_serials(self):
        moves = self.filtered(
            lambda m: (
                m.serial_to_allocate_qty > 0
                and m.state not in ("draft", "done", "cancel")
            )
        )
        if not moves:
            raise UserError(self.env._("None of the selected moves lacks serials."))
        return moves._action_generate_allocation_wizard()

    def _get_serial_target_errors(self, label):
        """Only confirmed moves take serials."""
        self.ensure_one()
        if self.state not in ("draft", "done", "cancel"):
            return []
        return [
            self.env._(
                "- %(label)s: the move is %(state)s; only confirmed moves take "
                "serials.",
                label=label,
                state=dict(self._fields["state"]._description_selection(self.env))[
                    self.state
                ],
            )
        ]

    # ------------------------------------------------------------------
    # Odoo's own Generate dialog
    # ------------------------------------------------------------------
    def _get_serial_generator_context(self, product_id, location_id, picking_type_code):
        """Context telling the product's generator what it renders for, and
        that generated lot names reserve its numbers (stock.lot.generate_lot_names)."""
        return self.env["stock.serial.generator"]._get_serial_context(
            self.env["product.product"].browse(product_id),
            self.env["stock.location"].browse(location_id),
            "purchase" if picking_type_code == "incoming" else "manual",
            reserve=True,
        )

    @api.model
    def action_generate_lot_line_vals(
        self, context_data, mode, first_lot, count, lot_text
    ):
        # Core increments the last digits of the first serial, which breaks the
        # check digit and the date or code suffixes of a generator's pattern.
        picking_type = self.env["stock.picking.type"].browse(
            context_data.get("default_picking_type_id")
        )
        move = self.with_context(
            **self._get_serial_generator_context(
                context_data.get("default_product_id"),
                context_data.get("default_location_dest_id"),
                picking_type.code or context_data.get("picking_type_code"),
            )
        )
        return super(StockMove, move).action_generate_lot_line_vals(
            context_data, mode, first_lot, count, lot_text
        )

    # ------------------------------------------------------------------
    # Validation and cancellation
    # ------------------------------------------------------------------
    def _action_done(self, cancel_backorder=False):
        self._check_delivered_serials()
        # Core drops the detailed operations left unpicked on a picked move:
        # their allocated serials go with the backorder, or are voided.
        unpicked = {}
        for move in self:
            if move.picked and move.has_tracking == "serial":
                lots = move.move_line_ids.filtered(lambda line: not line.picked).lot_id
                lots = lots.filtered(lambda lot: lot.serial_allocation_id)
                if lots:
                    unpicked[move] = lots
        # Each new quant reads its lot's properties, which are not prefetched:
        # lots that exist before the validation (allocated ones) would cost one
        # query each. Read them for all the lots at once.
        self.move_line_ids.lot_id.fetch(["lot_properties"])
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        if unpicked:
            self._keep_unreceived_serials(unpicked)
        moves.filtered(
            lambda move: move.state == "done" and move.has_tracking == "serial"
        ).move_line_ids.lot_id._update_serial_status()
        return moves

    def _check_delivered_serials(self):
        """Refuse a delivery of serials that are not in stock at its source
        location (or are delivered already), for the products with a serial
        generator of the companies that check them. Every offending serial is
        named in one message."""
        lines = self.filtered(
            lambda move: (
                move.state not in ("done", "cancel")
                and move.has_tracking == "serial"
                and move.location_dest_id.usage == "customer"
                # Not dropship: the units come from stock.
                and move.location_id.usage in ("internal", "transit")
                and move.company_id.serial_delivery_check
                and move.product_id.product_tmpl_id.has_serial_generator
            )
        ).move_line_ids.filtered(lambda line: line.picked or not line.move_id.picked)
        lines = lines.filtered(lambda line: line.quantity > 0)
        # A typed serial name that exists is the serial Odoo will deliver.
        named = lines.filtered(lambda line: not line.lot_id and line.lot_name)
        lots_by_name = {}
        if named:
            for lot in self.env["stock.lot"].search(
                [
                    ("product_id", "in", named.product_id.ids),
                    ("name", "in", named.mapped("lot_name")),
                    ("company_id", "in", [False, *named.company_id.ids]),
                ]
            ):
                lots_by_name[lot.product_id, lot.name] = lot
        problems = []
        for line in lines:
            lot = line.lot_id or lots_by_name.get((line.product_id, line.lot_name))
            if not lot:
                if line.lot_name:
                    problems.append(
                        self.env._(
                            "%(serial)s: unknown serial of %(product)s",
                            serial=line.lot_name,
                            product=line.product_id.display_name,
                        )
                    )
                continue
            status = lot.sudo().serial_status
            if status == "delivered":
                problems.append(
                    self.env._(
                        "%(serial)s: already delivered to %(customer)s",
                        serial=lot.name,
                        customer=lot.sudo().serial_partner_id.display_name or "?",
                    )
                )
            elif status not in ("in_stock", "returned"):
                problems.append(
                    self.env._(
                        "%(serial)s: not in stock (%(status)s)",
                        serial=lot.name,
                        status=dict(
                            lot._fields["serial_status"]._description_selection(
                                self.env
                            )
                        ).get(status, status),
                    )
                )
            elif lot.sudo().location_id != line.location_id:
                # Odoo would take it from the line's location, into negative
                # stock there.
                problems.append(
                    self.env._(
                        "%(serial)s: in stock at %(location)s, not at %(origin)s",
                        serial=lot.name,
                        location=lot.sudo().location_id.display_name or "?",
                        origin=line.location_id.display_name,
                    )
                )
        if problems:
            raise UserError(
                self.env._(
                    "These serials cannot be delivered:\n%(problems)s",
                    problems="\n".join(problems),
                )
            )

    @api.model
    def _keep_unreceived_serials(self, lots_by_move):
        """Give the serials a validated move did not receive to its backorder
        move; void them when there is none."""
        items = []
        to_void = defaultdict(lambda: self.env["stock.lot"])
        for move, lots in lots_by_move.items():
            lots = lots.filtered(
                lambda lot: not lot.serial_voided and not lot.sudo().quant_ids
            )
            backorder_move = move.picking_id.backorder_ids.move_ids.filtered(
                lambda m, move=move: (
                    m.product_id == move.product_id
                    and m.purchase_line_id == move.purchase_line_id
                    and m.state not in ("draft", "done", "cancel")
                )
            ).sorted("id", reverse=True)[:1]
            if not lots:
                continue
            if backorder_move:
                items.append((backorder_move, lots, None))
            else:
                to_void[move.picking_id.name or move.reference] |= lots
        if items:
            self._apply_serial_allocation(items, "purchase")
        for document, lots in to_void.items():
            lots.serial_allocation_id.sudo()._void_lots(
                lots,
                self.env._(
                    "%(document)s was validated without receiving these serials.",
                    document=document,
                ),
            )

    def _action_cancel(self):
        # Serials given to these moves (by their allocations or carried over
        # from a validated receipt) that never received stock are voided.
        lots_by_move = {}
        for move in self.sudo():
            lots = move.move_line_ids.lot_id | move.serial_allocation_ids.lot_ids
            lots = lots.filtered(
                lambda lot: lot.serial_allocation_id and not lot.serial_voided
            )
            if lots:
                lots_by_move[move.id] = lots
        res = super()._action_cancel()
        to_void = defaultdict(lambda: self.env["stock.lot"].sudo())
        for move in self.filtered(lambda move: move.id in lots_by_move):
            if move.state == "cancel":
                document = move.picking_id.name or move.reference
                to_void[document] |= lots_by_move[move.id].filtered(
                    lambda lot: not lot.quant_ids
                )
        for document, lots in to_void.items():
            lots.serial_allocation_id._void_lots(
                lots,
                self.env._(
                    "%(document)s was cancelled before receiving these serials.",
                    document=document,
                ),
            )
        return res

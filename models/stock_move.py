# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

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
        lines_without_serial = self.env["stock.move.line"].search(
            [
                ("move_id", "in", moves.ids),
                ("lot_id", "=", False),
                ("lot_name", "in", [False, ""]),
                ("picked", "=", False),
            ]
        )
        # Thousands of records are read in one query each, not 1,000 at a
        # time (each step of which scans the rows created in this
        # transaction): the lines before their unlink, the lots after it (an
        # unlink empties the cache).
        lines_without_serial.fetch()
        lines_without_serial.unlink()
        self.env["stock.lot"].union(*(lots for _move, lots, _request in items)).fetch()
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
        # query each. Read them, the lots' other fields and their quants (their
        # location is computed from them) in one query each, not 1,000 lots at
        # a time.
        lots = self.move_line_ids.lot_id
        lots.fetch()
        lots.fetch(["lot_properties", "quant_ids"])
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        if unpicked:
            self._keep_unreceived_serials(unpicked)
        done = moves.filtered(
            lambda move: move.state == "done" and move.has_tracking == "serial"
        )
        done.move_line_ids.lot_id._update_serial_status()
        done._start_serial_warranties()
        return moves

    def _get_warranty_event(self):
        """'delivery', 'production' or 'receipt': what this done move does to
        its serials, as warranties count it (None for other moves)."""
        self.ensure_one()
        source = self.location_id.usage
        if source in ("internal", "transit"):
            return "delivery" if self.location_dest_id.usage == "customer" else None
        return {"production": "production", "supplier": "receipt"}.get(source)

    def _start_serial_warranties(self):
        """Start the customer warranty of the serials these done moves
        delivered, produced or received (as their product says), and the
        vendor warranty of the serials received from a vendor with one: one
        write per warranty start."""
        Lot = self.env["stock.lot"]
        customer = defaultdict(lambda: Lot)
        vendor = defaultdict(lambda: Lot)
        for move in self:
            event = move._get_warranty_event()
            template = move.product_id.product_tmpl_id
            day = event and fields.Date.context_today(move, move.date)
            if event and template.warranty and template.warranty_start == event:
                lots = move.move_line_ids.filtered("quantity").lot_id
                if not (event == "delivery" and template.warranty_restart):
                    # A warranty goes on once started (or given by a file).
                    lots = lots.filtered(
                        lambda lot: (
                            not lot.serial_warranty_start
                            and not lot.serial_warranty_end
                        )
                    )
                customer[day, template._get_warranty_end(day)] |= lots
            vendor_partner = move.picking_id.partner_id or move.partner_id
            if event == "receipt" and vendor_partner:
                seller = move.product_id._select_seller(
                    partner_id=vendor_partner,
                    quantity=None,
                    date=day,
                    uom_id=move.product_uom,
                )[:1]
                if seller.warranty_duration:
                    months = seller.warranty_duration
                    end = day + relativedelta(
                        months=int(months), days=round((months % 1) * 30)
                    )
                    vendor[end] |= move.move_line_ids.filtered("quantity").lot_id
        lots = Lot.sudo()
        for (start, end), group in customer.items():
            lots.browse(group.ids).write(
                {"serial_warranty_start": start, "serial_warranty_end": end}
            )
        for end, group in vendor.items():
            lots.browse(group.ids).write({"serial_vendor_warranty_end": end})

    def _get_checked_serial_moves(self):
        """The moves of these whose serials are checked: serial products with
        a generator, of companies that check them, not done yet."""
        return self.filtered(
            lambda move: (
                move.state not in ("done", "cancel")
                and move.has_tracking == "serial"
                and move.company_id.serial_delivery_check
                and move.product_id.product_tmpl_id.has_serial_generator
            )
        )

    def _get_scannable_serial_moves(self):
        """The serial moves of these, not done, that take serials out of
        stock or back from a customer: what Scan Serials fills."""
        return self.filtered(
            lambda move: (
                move.has_tracking == "serial"
                and move.state not in ("draft", "done", "cancel")
                and move.location_id.usage in ("internal", "transit", "customer")
            )
        )

    def _get_serial_move_kind(self):
        """'delivery' (out of stock to a customer), 'vendor_return' (out of
        stock back to a vendor), 'return' (back from a customer) or None
        (receipts, internal moves, dropship: not checked)."""
        self.ensure_one()
        source = self.location_id.usage
        dest = self.location_dest_id.usage
        if source in ("internal", "transit"):
            return {"customer": "delivery", "supplier": "vendor_return"}.get(dest)
        if source == "customer" and dest in ("internal", "transit"):
            return "return"
        return None

    def _check_delivered_serials(self):
        """Refuse a delivery of serials that are not in stock at its source
        location (or are delivered already), and a return of serials that
        were not delivered to that customer (or received from that vendor),
        for the products with a serial generator of the companies that check
        them. Every offending serial is named in one message."""
        moves = self._get_checked_serial_moves()
        kinds = {move: move._get_serial_move_kind() for move in moves}
        lines = moves.filtered(lambda move: kinds[move]).move_line_ids
        lines = lines.filtered(
            lambda line: (line.picked or not line.move_id.picked) and line.quantity > 0
        )
        if not lines:
            return
        # A typed serial name that exists is the serial Odoo will move.
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
        # Deliveries under one heading, returns (to a vendor, from a
        # customer) under the other.
        problems = {"delivery": [], "return": []}
        heading = {
            "delivery": "delivery",
            "vendor_return": "return",
            "return": "return",
        }
        for line in lines:
            move = line.move_id
            lot = line.lot_id or lots_by_name.get((line.product_id, line.lot_name))
            if not lot:
                if line.lot_name:
                    problems[heading[kinds[move]]].append(
                        self.env._(
                            "%(serial)s: unknown serial of %(product)s",
                            serial=line.lot_name,
                            product=line.product_id.display_name,
                        )
                    )
                continue
            if kinds[move] == "return":
                problem = move._get_return_problem(lot.sudo())
            else:
                problem = move._get_delivery_problem(lot.sudo(), line.location_id)
            if problem:
                problems[heading[kinds[move]]].append(problem)
        messages = []
        if problems["delivery"]:
            messages.append(
                self.env._(
                    "These serials cannot be delivered:\n%(problems)s",
                    problems="\n".join(problems["delivery"]),
                )
            )
        if problems["return"]:
            messages.append(
                self.env._(
                    "These serials cannot be returned:\n%(problems)s",
                    problems="\n".join(problems["return"]),
                )
            )
        if messages:
            raise UserError("\n\n".join(messages))

    def _get_serial_status_label(self, status):
        return dict(
            self.env["stock.lot"]
            ._fields["serial_status"]
            ._description_selection(self.env)
        ).get(status, status)

    def _get_delivery_problem(self, lot, location, within=False):
        """Why `lot` cannot leave stock from `location` (or, `within`, from
        one of its sublocations) on this move, or None."""
        status = lot.serial_status
        if status == "delivered":
            return self.env._(
                "%(serial)s: already delivered to %(customer)s",
                serial=lot.name,
                customer=lot.serial_partner_id.display_name or "?",
            )
        if status not in ("in_stock", "returned"):
            return self.env._(
                "%(serial)s: not in stock (%(status)s)",
                serial=lot.name,
                status=self._get_serial_status_label(status),
            )
        here = lot.location_id
        if not here or (not here._child_of(location) if within else here != location):
            # Odoo would take it from the line's location, into negative
            # stock there.
            return self.env._(
                "%(serial)s: in stock at %(location)s, not at %(origin)s",
                serial=lot.name,
                location=here.display_name or "?",
                origin=location.display_name,
            )
        origin = self.origin_returned_move_id
        if (
            origin
            and origin.location_id.usage == "supplier"
            and lot not in origin.move_line_ids.lot_id
        ):
            return self.env._(
                "%(serial)s: not received by %(receipt)s from %(vendor)s",
                serial=lot.name,
                receipt=origin.picking_id.name or origin.reference,
                vendor=(origin.picking_id.partner_id or origin.partner_id).display_name
                or "?",
            )
        return None

    def _get_return_problem(self, lot):
        """Why `lot` cannot come back from a customer on this move, or None:
        it must be at the customer, delivered by the returned move (or to the
        picking's partner, for a return made by hand)."""
        holder = lot.serial_partner_id
        if lot.serial_status != "delivered":
            return self.env._(
                "%(serial)s: not at a customer (%(status)s)",
                serial=lot.name,
                status=self._get_serial_status_label(lot.serial_status),
            )
        origin = self.origin_returned_move_id
        if origin and lot not in origin.move_line_ids.lot_id:
            return self.env._(
                "%(serial)s: not delivered by %(delivery)s (delivered to %(customer)s)",
                serial=lot.name,
                delivery=origin.picking_id.name or origin.reference,
                customer=holder.display_name or "?",
            )
        if origin:
            partner = origin.picking_id.partner_id or origin.partner_id
        else:
            partner = self.picking_id.partner_id or self.partner_id
        if partner and holder.commercial_partner_id != partner.commercial_partner_id:
            return self.env._(
                "%(serial)s: delivered to %(customer)s, not to %(partner)s",
                serial=lot.name,
                customer=holder.display_name or "?",
                partner=partner.display_name,
            )
        return None

    def _propose_returned_serials(self):
        """Reserve, on these returns to the vendor, the serials their receipt
        brought in that are still in stock (Odoo would reserve any serial of
        the product). Returns from a customer get the delivered serials from
        Odoo itself (the returned move's detailed operations)."""
        moves = self._get_checked_serial_moves().filtered(
            lambda move: (
                move.origin_returned_move_id.location_id.usage == "supplier"
                and move._get_serial_move_kind() == "vendor_return"
            )
        )
        received = moves.origin_returned_move_id.move_line_ids.lot_id
        if not moves or not received:
            return
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", received.ids),
                ("quantity", ">", 0),
                ("location_id", "child_of", moves.location_id.ids),
            ],
            order="in_date, id",
        )
        lots_by_move = {}
        for move in moves:
            own = move.move_line_ids.lot_id
            lots = quants.filtered(
                lambda quant, move=move, own=own: (
                    quant.lot_id in move.origin_returned_move_id.move_line_ids.lot_id
                    and quant.location_id._child_of(move.location_id)
                    and (quant.lot_id in own or not quant.reserved_quantity)
                )
            ).lot_id[: int(move.product_qty)]
            if lots and lots != own:
                lots_by_move[move] = lots
        self._set_serial_lines(lots_by_move)

    @api.model
    def _set_serial_lines(self, lots_by_move, picked=False):
        """Make `lots_by_move` ({move: lots}) the serials of their moves: one
        detailed operation per serial, reserved on its quant in the move's
        source location, or from the source location itself when it keeps no
        stock (a return from a customer)."""
        if not lots_by_move:
            return self.env["stock.move.line"]
        moves = self.browse().union(*lots_by_move)
        lots = self.env["stock.lot"].union(*lots_by_move.values())
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", lots.ids),
                ("quantity", ">", 0),
                ("location_id.usage", "in", ("internal", "transit")),
            ]
        )
        quant_by_lot = {quant.lot_id: quant for quant in quants}
        moves.move_line_ids.unlink()
        vals_list = []
        for move, move_lots in lots_by_move.items():
            for lot in move_lots:
                quant = quant_by_lot.get(lot)
                if quant and quant.location_id._child_of(move.location_id):
                    vals = move._prepare_move_line_vals(
                        quantity=1, reserved_quant=quant
                    )
                else:
                    vals = dict(move._prepare_move_line_vals(quantity=1), lot_id=lot.id)
                vals_list.append(dict(vals, picked=picked))
        return self.env["stock.move.line"].create(vals_list)

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

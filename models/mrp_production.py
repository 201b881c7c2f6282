# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import LockError, UserError
from odoo.tools import float_compare, float_is_zero

# States of an order that can still receive serials.
OPEN_STATES = ("confirmed", "progress", "to_close")


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "stock.serial.allocation.target"]

    serial_allocated_qty = fields.Float(
        "Allocated",
        compute="_compute_serial_allocation_qty",
        store=True,
        digits="Product Unit",
        help="Units of the finished product and of the serial by-products that "
        "already carry a serial number.",
    )
    serial_to_allocate_qty = fields.Float(
        "To Allocate",
        compute="_compute_serial_allocation_qty",
        store=True,
        digits="Product Unit",
        help="Units of the finished product and of the serial by-products still "
        "lacking a serial number, while the order is open.",
    )
    serial_workcenter_id = fields.Many2one(
        "mrp.workcenter",
        string="Work Center",
        compute="_compute_serial_workcenter_id",
        store=True,
        index="btree_not_null",
        help="Work center of the last operation, where the finished products come out.",
    )
    serial_allocation_ids = fields.One2many(
        "stock.serial.allocation",
        "production_id",
        string="Serial Allocations",
        readonly=True,
    )
    serial_allocation_count = fields.Integer(compute="_compute_serial_allocation_count")
    serial_component_ids = fields.One2many(
        "mrp.production.serial.component",
        "production_id",
        string="Components per Unit",
        readonly=True,
    )
    show_serial_components = fields.Boolean(
        compute="_compute_show_serial_components",
        help="The order produces serials from lot- or serial-tracked components, "
        "and its company records which went into each finished serial.",
    )

    @api.depends(
        "state",
        "product_id.tracking",
        "product_uom_qty",
        "lot_producing_ids",
        "move_finished_ids.serial_allocated_qty",
        "move_finished_ids.serial_to_allocate_qty",
    )
    def _compute_serial_allocation_qty(self):
        for production in self:
            byproducts = production.move_finished_ids.filtered(
                lambda move, p=production: (
                    move.product_id != p.product_id
                    and move.product_id.tracking == "serial"
                    and move.state != "cancel"
                )
            )
            allocated = sum(byproducts.mapped("serial_allocated_qty"))
            to_allocate = sum(byproducts.mapped("serial_to_allocate_qty"))
            if production.product_id.tracking == "serial":
                own = len(production.lot_producing_ids)
                allocated += own
                to_allocate += max(production.product_uom_qty - own, 0.0)
            production.serial_allocated_qty = allocated
            production.serial_to_allocate_qty = (
                to_allocate if production.state in OPEN_STATES else 0.0
            )

    @api.depends("workorder_ids.workcenter_id", "workorder_ids.sequence")
    def _compute_serial_workcenter_id(self):
        for production in self:
            workorders = production.workorder_ids.sorted(
                lambda wo: (wo.sequence, wo.id)
            )
            production.serial_workcenter_id = workorders[-1:].workcenter_id

    @api.depends(
        "state",
        "company_id.serial_components_per_unit",
        "product_id.tracking",
        "lot_producing_ids",
        "move_raw_ids.has_tracking",
    )
    def _compute_show_serial_components(self):
        for production in self:
            production.show_serial_components = bool(
                production._is_serial_component_order()
                and production.state in OPEN_STATES
                and production.lot_producing_ids
            )

    def _compute_serial_allocation_count(self):
        groups = self.env["stock.serial.allocation"]._read_group(
            [("production_id", "in", self.ids)], ["production_id"], ["__count"]
        )
        counts = {production.id: count for production, count in groups}
        for production in self:
            production.serial_allocation_count = counts.get(production.id, 0)

    # ------------------------------------------------------------------
    # Allocation service hooks (manufacturing orders)
    # ------------------------------------------------------------------
    def _get_serial_by_product_moves(self):
        """Finished moves of serial by-products that still lack serials."""
        return self.move_finished_ids.filtered(
            lambda move: (
                move.production_id
                and move.product_id != move.production_id.product_id
                and move.product_id.tracking == "serial"
                and move.state not in ("draft", "done", "cancel")
                and move.serial_to_allocate_qty > 0
            )
        )

    def _get_serial_missing_qty(self):
        """Units of the finished product (product unit) lacking a serial."""
        self.ensure_one()
        if self.product_id.tracking != "serial" or self.state not in OPEN_STATES:
            return 0.0
        return max(self.product_uom_qty - len(self.lot_producing_ids), 0.0)

    def _get_serial_request_values(self):
        """Serials of an order are rendered for its finished products location."""
        self.ensure_one()
        return {
            "location": self.location_dest_id,
            "document": self,
            "vendor": False,
            "label": "%s - %s" % (self.name, self.product_id.display_name),
        }

    def _get_serial_document_name(self):
        self.ensure_one()
        return self.name

    def _get_serial_quantity_todo(self, product):
        """Units of the finished product still lacking a serial."""
        self.ensure_one()
        return self._get_serial_missing_qty()

    def _get_serial_quantity_default(self):
        """What the wizard proposes: the quantity producing when one is set and
        still lacks serials, else every unit lacking a serial."""
        self.ensure_one()
        missing = self._get_serial_missing_qty()
        producing = self.product_uom_id._compute_quantity(
            self.qty_producing, self.product_id.uom_id
        ) - len(self.lot_producing_ids)
        if 0 < producing < missing:
            return producing
        return missing

    def _prepare_serial_allocation_vals(self, request):
        self.ensure_one()
        return {"production_id": self.id}

    @api.model
    def _check_serial_requests(self, requests):
        """Orders must make the product asked for, be open, and lack at least
        the serials asked for (several requests may share an order)."""
        errors = [
            self.env._(
                "- %(label)s: %(order)s makes %(made)s, not %(product)s.",
                label=request.label,
                order=request.target.name,
                made=request.target.product_id.display_name,
                product=request.product.display_name,
            )
            for request in requests
            if request.product != request.target.product_id
        ]
        return errors + super()._check_serial_requests(
            [r for r in requests if r.product == r.target.product_id]
        )

    def _lock_serial_targets(self):
        """Lock the orders so that two allocations cannot both fill the same
        units, then read their serials afresh."""
        try:
            self.lock_for_update()
        except LockError:
            return [
                self.env._(
                    "- %(orders)s: being changed by someone else; try again in a "
                    "moment.",
                    orders=", ".join(self.mapped("name")),
                )
            ]
        self.invalidate_recordset(["lot_producing_ids", "state"])
        return []

    def _get_serial_target_errors(self, label):
        """Only confirmed or in-progress orders take serials."""
        self.ensure_one()
        if self.state in OPEN_STATES:
            return []
        return [
            self.env._(
                "- %(label)s: the manufacturing order is %(state)s; only "
                "confirmed or in-progress orders take serials.",
                label=label,
                state=dict(self._fields["state"]._description_selection(self.env))[
                    self.state
                ],
            )
        ]

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Add the lots to each order's ``lot_producing_ids`` (one write per
        order) and let Odoo set the quantity producing from them, as its own
        "Generate Serial Numbers" dialog does: the order stays one order that
        produces all its serials at once."""
        lots_by_production = defaultdict(lambda: self.env["stock.lot"])
        for production, lots, _request in items:
            lots_by_production[production] |= lots
        productions = self.browse([production.id for production in lots_by_production])
        finished_items = []
        for production in productions:
            lots = lots_by_production[production]
            count = len(production.lot_producing_ids) + len(lots)
            production.write(
                {
                    "lot_producing_ids": [Command.link(lot.id) for lot in lots],
                    "qty_producing": production.product_id.uom_id._compute_quantity(
                        count, production.product_uom_id, rounding_method="HALF-UP"
                    ),
                }
            )
            finished_move = production._get_serial_finished_move()
            if finished_move:
                finished_items.append((finished_move, lots, None))
        # What Odoo does when the order is produced (put the order's serials on
        # its finished move lines), done now in one batched create.
        self.env["stock.move"]._apply_serial_allocation(finished_items, source)
        for production in productions:
            production.set_qty_producing()
        return productions

    def _get_serial_finished_move(self):
        """The open finished move of the order's own (serial) product."""
        self.ensure_one()
        return self.move_finished_ids.filtered(
            lambda move: (
                move.product_id == self.product_id
                and move.state not in ("done", "cancel")
            )
        )[:1]

    def _serial_lines_match(self, move):
        """True when finished `move` of this order holds exactly one line of
        one unit per serial of ``lot_producing_ids``: nothing left to set."""
        if (
            len(self) != 1
            or self.product_tracking != "serial"
            or not self.lot_producing_ids
        ):
            return False
        if move.product_id != self.product_id:
            return False
        lines = move.move_line_ids
        return (
            len(lines) == len(self.lot_producing_ids)
            and lines.lot_id == self.lot_producing_ids
            and all(line.quantity_product_uom == 1 for line in lines)
        )

    def _are_finished_serials_already_produced(self, lots, excluded_sml=None):
        # The allocated serials sit on the order's own finished lines (one line
        # each) before it is produced: those lines are not a second production.
        excluded_sml = excluded_sml or self.env["stock.move.line"]
        if len(self) == 1 and self.product_tracking == "serial":
            move = self._get_serial_finished_move()
            own_lines = {}
            for line in move.move_line_ids:
                if line.lot_id in lots and line.lot_id in self.lot_producing_ids:
                    own_lines.setdefault(line.lot_id, line)
            excluded_sml |= self.env["stock.move.line"].concat(*own_lines.values())
        return super()._are_finished_serials_already_produced(
            lots, excluded_sml=excluded_sml
        )

    # ------------------------------------------------------------------
    # Components per unit
    # ------------------------------------------------------------------
    def _is_serial_component_order(self):
        """True when this order records the components of each finished
        serial: a serial product with a generator, tracked components, and a
        company that asks for it."""
        self.ensure_one()
        return bool(
            self.company_id.serial_components_per_unit
            and self.product_id.tracking == "serial"
            and self.product_id.product_tmpl_id.has_serial_generator
            and any(
                move.has_tracking in ("serial", "lot") for move in self.move_raw_ids
            )
        )

    def _get_serial_component_lines(self):
        """Detailed operations of the tracked components this order consumes
        now: picked moves not done, lines with a lot and a quantity."""
        self.ensure_one()
        moves = self.move_raw_ids.filtered(
            lambda move: (
                move.state not in ("done", "cancel")
                and move.picked
                and move.has_tracking in ("serial", "lot")
            )
        )
        return moves.move_line_ids.filtered(
            lambda line: line.lot_id and line.quantity_product_uom > 0
        )

    def _get_serial_components_per_unit(self):
        """{component product: quantity in each finished serial (component
        unit)}, as the bill of materials gives it through the raw moves."""
        self.ensure_one()
        finished_unit = self.product_uom_id._compute_quantity(1, self.product_id.uom_id)
        per_unit = defaultdict(float)
        for move in self.move_raw_ids:
            if move.state == "cancel" or move.has_tracking not in ("serial", "lot"):
                continue
            per_unit[move.product_id] += (
                move.product_uom._compute_quantity(
                    move.unit_factor, move.product_id.uom_id
                )
                / finished_unit
            )
        return per_unit

    def _get_default_serial_components(self):
        """[(finished lot, component lot, quantity)]: the consumed components
        shared out in order, each finished serial taking what the bill of
        materials gives one unit."""
        self.ensure_one()
        per_unit = self._get_serial_components_per_unit()
        lines = self._get_serial_component_lines()
        finished_lots = self.lot_producing_ids.sorted("id")
        assignments = []
        for product, product_lines in lines.grouped("product_id").items():
            pool = defaultdict(float)
            for line in product_lines.sorted(lambda line: (line.lot_id.name, line.id)):
                pool[line.lot_id] += line.quantity_product_uom
            pool = [[lot, quantity] for lot, quantity in pool.items()]
            rounding = product.uom_id.rounding
            for finished_lot in finished_lots:
                needed = per_unit.get(product, 0.0)
                while (
                    pool and float_compare(needed, 0.0, precision_rounding=rounding) > 0
                ):
                    taken = min(needed, pool[0][1])
                    assignments.append((finished_lot, pool[0][0], taken))
                    needed -= taken
                    pool[0][1] -= taken
                    if float_is_zero(pool[0][1], precision_rounding=rounding):
                        pool.pop(0)
        return assignments

    def _get_serial_component_errors(self, assignments):
        """What is wrong with `assignments` [(finished lot, component lot,
        quantity)] for this order: every offending serial, one line each."""
        self.ensure_one()
        env = self.env
        consumed = defaultdict(float)
        for line in self._get_serial_component_lines():
            consumed[line.lot_id] += line.quantity_product_uom
        finished_lots = self.lot_producing_ids
        per_unit = self._get_serial_components_per_unit()

        def names(lots):
            return ", ".join(sorted(lots.mapped("display_name")))

        Lot = env["stock.lot"]
        errors = []
        foreign = Lot.concat(
            *(f for f, _c, _q in assignments if f not in finished_lots)
        )
        if foreign:
            errors.append(
                env._(
                    "- %(serials)s: not produced by %(order)s.",
                    serials=names(foreign),
                    order=self.name,
                )
            )
        strangers = Lot.concat(*(c for _f, c, _q in assignments if c not in consumed))
        if strangers:
            errors.append(
                env._(
                    "- %(serials)s: not consumed by %(order)s.",
                    serials=names(strangers),
                    order=self.name,
                )
            )
        given = defaultdict(float)
        holders = defaultdict(list)
        units = defaultdict(float)
        for finished_lot, component_lot, quantity in assignments:
            if component_lot not in consumed:
                continue
            given[component_lot] += quantity
            holders[component_lot].append(finished_lot)
            units[finished_lot, component_lot.product_id] += quantity
        for component_lot in sorted(consumed, key=lambda lot: lot.name):
            rounding = component_lot.product_id.uom_id.rounding
            if component_lot.product_id.tracking == "serial":
                if len(holders[component_lot]) > 1 or given[component_lot] > 1:
                    errors.append(
                        env._(
                            "- %(serial)s: given more than once (to %(finished)s).",
                            serial=component_lot.name,
                            finished=names(Lot.concat(*holders[component_lot])),
                        )
                    )
                elif not holders[component_lot]:
                    errors.append(
                        env._(
                            "- %(serial)s: consumed but given to no finished serial.",
                            serial=component_lot.name,
                        )
                    )
            elif float_compare(
                given[component_lot],
                consumed[component_lot],
                precision_rounding=rounding,
            ):
                errors.append(
                    env._(
                        "- lot %(lot)s: %(consumed)s %(uom)s consumed, %(given)s "
                        "given to finished serials.",
                        lot=component_lot.name,
                        consumed=consumed[component_lot],
                        given=given[component_lot],
                        uom=component_lot.product_id.uom_id.name,
                    )
                )
        for finished_lot in finished_lots.sorted("name"):
            for product, quantity in per_unit.items():
                rounding = product.uom_id.rounding
                got = units[finished_lot, product]
                if float_compare(got, quantity, precision_rounding=rounding):
                    errors.append(
                        env._(
                            "- %(serial)s: %(got)s %(uom)s of %(component)s instead "
                            "of %(expected)s per unit.",
                            serial=finished_lot.name,
                            got=got,
                            expected=quantity,
                            uom=product.uom_id.name,
                            component=product.display_name,
                        )
                    )
        return errors

    def _check_serial_components(self, assignments):
        errors = self._get_serial_component_errors(assignments)
        if errors:
            raise UserError(
                self.env._(
                    "The components per unit of %(order)s are wrong:\n%(errors)s",
                    order=self.name,
                    errors="\n".join(errors),
                )
            )

    def _set_serial_components(self, assignments):
        """Replace what this order records of its components per unit, after
        checking `assignments`: one unlink and one batched create."""
        self.ensure_one()
        self._check_serial_components(assignments)
        self.serial_component_ids.unlink()
        self.env["mrp.production.serial.component"].create(
            [
                {
                    "production_id": self.id,
                    "finished_lot_id": finished_lot.id,
                    "component_lot_id": component_lot.id,
                    "quantity": quantity,
                }
                for finished_lot, component_lot, quantity in assignments
            ]
        )

    def _get_stored_serial_components(self):
        self.ensure_one()
        return [
            (row.finished_lot_id, row.component_lot_id, row.quantity)
            for row in self.serial_component_ids
        ]

    def action_serial_components(self):
        """Open the Components per Unit step: what this order recorded, else
        the consumed components shared out in order."""
        self.ensure_one()
        return self.env["mrp.serial.component.wizard"]._action_open(self)

    def pre_button_mark_done(self):
        res = super().pre_button_mark_done()
        if res is not True or self.env.context.get("skip_serial_components"):
            return res
        for production in self:
            if not production._is_serial_component_order():
                continue
            stored = production._get_stored_serial_components()
            if not stored and len(production.lot_producing_ids) == 1:
                # One unit takes every component: nothing to ask.
                stored = production._get_default_serial_components()
                if not production._get_serial_component_errors(stored):
                    production._set_serial_components(stored)
                    continue
            if not stored or production._get_serial_component_errors(stored):
                return self.env["mrp.serial.component.wizard"]._action_open(
                    production, mark_done=self
                )
        return res

    def _link_serial_components(self):
        """Let each finished serial's detailed operation consume only its own
        tracked components (and every untracked one), instead of Odoo's
        every-line-to-every-line link, so that the traceability report of a
        finished serial shows its own components. One DELETE, one INSERT."""
        finished_ids, consumed_ids = [], []
        for production in self.filtered("serial_component_ids"):
            components = defaultdict(set)
            for row in production.serial_component_ids:
                components[row.finished_lot_id].add(row.component_lot_id.id)
            raw_lines = production.move_raw_ids.filtered(
                lambda move: move.state == "done"
            ).move_line_ids
            untracked = raw_lines.filtered(lambda line: not line.lot_id)
            finished_lines = production.move_finished_ids.filtered(
                lambda move, p=production: move.product_id == p.product_id
            ).move_line_ids.filtered(lambda line, c=components: line.lot_id in c)
            for finished_line in finished_lines:
                lot_ids = components[finished_line.lot_id]
                for raw_line in raw_lines:
                    if raw_line in untracked or raw_line.lot_id.id in lot_ids:
                        finished_ids.append(finished_line.id)
                        consumed_ids.append(raw_line.id)
        if not finished_ids:
            return
        self.env.cr.execute(
            "DELETE FROM stock_move_line_consume_rel WHERE consume_line_id = ANY(%s)",
            [list(set(finished_ids))],
        )
        self.env.cr.execute(
            """
            INSERT INTO stock_move_line_consume_rel (consume_line_id, produce_line_id)
            SELECT * FROM unnest(%s::int[], %s::int[])
            ON CONFLICT DO NOTHING
            """,
            [finished_ids, consumed_ids],
        )
        self.env["stock.move.line"].invalidate_model(
            ["consume_line_ids", "produce_line_ids"]
        )

    def _post_inventory(self, cancel_backorder=False):
        # The serials allocated are on the finished lines already. If the
        # order's serials changed since, let Odoo put them on again.
        stale = self.env["stock.move.line"]
        for production in self.filtered("serial_allocation_ids"):
            move = production._get_serial_finished_move()
            if move.move_line_ids.lot_id and not production._serial_lines_match(move):
                stale |= move.move_line_ids.filtered(lambda line: not line.picked)
        if stale:
            stale.lot_id = False
        res = super()._post_inventory(cancel_backorder=cancel_backorder)
        self._link_serial_components()
        return res

    def _action_validate_after_allocation(self):
        """Produce and close the orders just allocated. Odoo's own dialogs
        (consumption warning, backorder for units left without serial) are
        returned when it asks for them."""
        productions = self.filtered(lambda production: production.state in OPEN_STATES)
        if not productions:
            return True
        return productions.button_mark_done()

    def _action_generate_allocation_wizard(self):
        """Open the allocation wizard: one line per order lacking serials for
        its finished product and one per serial by-product lacking serials."""
        line_vals = []
        for production in self:
            if production._get_serial_missing_qty() > 0:
                line_vals.append(
                    {
                        "production_id": production.id,
                        "quantity": production._get_serial_quantity_default(),
                    }
                )
            line_vals += [
                {"move_id": move.id}
                for move in production._get_serial_by_product_moves()
            ]
        return self.env["stock.serial.allocation.wizard"]._action_open(
            "manufacture", line_vals
        )

    def action_allocate_serials(self):
        productions = self.filtered(
            lambda production: (
                production.state in OPEN_STATES
                and production.serial_to_allocate_qty > 0
            )
        )
        if not productions:
            raise UserError(
                self.env._("None of the selected manufacturing orders lacks serials.")
            )
        return productions._action_generate_allocation_wizard()

    def action_view_serial_allocations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_allocation.action_stock_serial_allocation"
        )
        action["domain"] = [("production_id", "in", self.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Odoo's own serial dialog and cancellation
    # ------------------------------------------------------------------
    def _get_serial_generator_context(self):
        """Context telling the product's generator what it renders for."""
        self.ensure_one()
        return self.env["stock.serial.generator"]._get_serial_context(
            self.product_id, self.location_dest_id, "manufacture", reserve=True
        )

    def action_generate_serial(self, workorder=False):
        # The product's lot_sequence_id is its generator's counter: let the
        # generator know the product (and location) its pattern may need.
        self.ensure_one()
        generator_context = self._get_serial_generator_context()
        action = super(
            MrpProduction, self.with_context(**generator_context)
        ).action_generate_serial(workorder=workorder)
        if (
            isinstance(action, dict)
            and action.get("res_model") == "mrp.production.serials"
        ):
            action["context"] = dict(action.get("context") or {}, **generator_context)
        return action

    def _action_cancel(self):
        allocations = self.serial_allocation_ids.filtered(
            lambda allocation: allocation.state == "done"
        )
        res = super()._action_cancel()
        for production in self.filtered(
            lambda production: production.state == "cancel"
        ):
            production_allocations = allocations.filtered(
                lambda allocation, p=production: allocation.production_id == p
            )
            lots = production_allocations.lot_ids.filtered(
                lambda lot: not lot.serial_voided and not lot.sudo().quant_ids
            )
            production_allocations._void_lots(
                lots,
                self.env._(
                    "%(document)s was cancelled before producing these serials.",
                    document=production.name,
                ),
            )
        return res

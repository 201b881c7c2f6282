# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .company_check import needs_company_check
from .stock_serial_allocation import SERVICE_KEY
from .stock_serial_draw import (
    DRAWN_NAMES_KEY,
    DRAWN_SOURCES_KEY,
    SerialShare,
)
from .stock_serial_generator import CONTEXT_KEYS

# A lot's register facts: written by the allocation service only.
REGISTER_FIELDS = {"serial_allocation_id", "serial_voided", "serial_void_reason"}

SERIAL_STATUSES = [
    ("allocated", "Allocated"),
    ("in_stock", "In Stock"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("returned", "Returned"),
    ("vendor_returned", "Returned to Vendor"),
    ("scrapped", "Scrapped"),
    ("consumed", "Consumed"),
    ("voided", "Voided"),
]
# Written by the status update only (it follows the done stock moves).
STATUS_FIELDS = {"serial_status", "serial_status_date", "serial_partner_id"}
STATUS_KEY = "stock_serial_status_update"
# What `_serial_status_query` reads, flushed before it runs.
STATUS_QUERY_FIELDS = {
    "stock.lot": [
        "product_id",
        "serial_voided",
        "serial_status",
        "serial_partner_id",
        "create_date",
    ],
    "product.product": ["product_tmpl_id"],
    "product.template": ["tracking"],
    "stock.move.line": ["lot_id", "move_id", "location_id", "location_dest_id"],
    "stock.move": ["state", "date", "partner_id", "picking_id"],
    "stock.picking": ["partner_id"],
    "stock.quant": ["lot_id", "location_id", "quantity", "in_date"],
    "stock.location": ["usage"],
}


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_scope = fields.Selection(
        [
            ("product", "Per Product"),
            ("company", "Per Company"),
            ("global", "All Companies"),
        ],
        string="Uniqueness Scope",
        compute="_compute_serial_scope",
        store=True,
        help="Where this serial number must be unique (set for serial products only).",
    )

    serial_allocation_id = fields.Many2one(
        "stock.serial.allocation",
        readonly=True,
        index="btree_not_null",
        copy=False,
    )
    serial_source = fields.Selection(
        related="serial_allocation_id.source", string="Allocated For"
    )
    serial_allocation_date = fields.Datetime(
        related="serial_allocation_id.date", string="Allocation Date"
    )
    serial_vendor_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        readonly=True,
        index="btree_not_null",
        help="Vendor the serial came from, when known.",
    )
    serial_purchase_id = fields.Many2one(
        related="serial_allocation_id.purchase_id", string="Purchase Order"
    )
    serial_production_id = fields.Many2one(
        related="serial_allocation_id.production_id", string="Manufacturing Order"
    )
    serial_component_ids = fields.One2many(
        "mrp.production.serial.component",
        "finished_lot_id",
        string="Components per Unit",
        readonly=True,
    )
    component_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_lot_component_rel",
        "finished_lot_id",
        "component_lot_id",
        string="Made from",
        compute="_compute_component_lot_ids",
        store=True,
        help="The component lots and serials that went into this serial, as its "
        "manufacturing order recorded them when it was done.",
    )
    used_in_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_lot_component_rel",
        "component_lot_id",
        "finished_lot_id",
        string="Used in",
        readonly=True,
        help="The finished serials this lot or serial went into.",
    )
    serial_production_date = fields.Datetime(
        "Production Date",
        compute="_compute_serial_production_date",
        help="When the manufacturing order produced the serial, or allocated it "
        "while the order is not done yet.",
    )
    serial_voided = fields.Boolean(
        "Voided",
        readonly=True,
        copy=False,
        help="The serial was allocated but its document was cancelled before it "
        "received stock. It is kept so it is never issued again.",
    )
    serial_void_reason = fields.Char("Void Reason", readonly=True, copy=False)
    serial_in_date = fields.Date(
        "In Date",
        copy=False,
        help="Date the unit came into stock, when known (e.g. from a migration file).",
    )
    serial_warranty_start = fields.Date(
        "Warranty Start",
        readonly=True,
        copy=False,
        help="When the unit's customer warranty started: set by its delivery, "
        "production or receipt, as its product says.",
    )
    serial_warranty_end = fields.Date(
        "Warranty End",
        copy=False,
        help="End of the unit's customer warranty: set when it starts, or "
        "given by a migration file.",
    )
    serial_vendor_warranty_end = fields.Date(
        "Vendor Warranty End",
        readonly=True,
        copy=False,
        help="End of the warranty the vendor gives on the unit, from its "
        "receipt (Vendor Warranty of the product's vendor line).",
    )
    serial_status = fields.Selection(
        SERIAL_STATUSES,
        readonly=True,
        copy=False,
        index=True,
        help="Where the unit is in its life, following its done stock moves:\n"
        "* Allocated: issued, no stock yet;\n"
        "* In Stock: in an internal location;\n"
        "* In Transit: in a transit location;\n"
        "* Delivered: at a customer;\n"
        "* Returned: back from a customer, in stock again;\n"
        "* Returned to Vendor: sent back to the vendor;\n"
        "* Scrapped: in a scrap or inventory loss location;\n"
        "* Consumed: used as a component in a production;\n"
        "* Voided: its allocation was voided before it received stock.",
    )
    serial_status_date = fields.Datetime(
        "Status Date",
        readonly=True,
        copy=False,
        help="When the serial status last changed.",
    )
    serial_partner_id = fields.Many2one(
        "res.partner",
        string="Holder",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer the serial was delivered to (or the vendor it was "
        "returned to).",
    )

    # Enforced by PostgreSQL, so that concurrent transactions cannot both win.
    # Each serial covers a box of (company, product): its own point on the
    # per-product scope, all products of its company on the company scope,
    # everything on the global one; a lot without company covers every
    # company. Two serials of the same name may not cover a common point.
    # (The name enters as its 64-bit hash: a GiST index without extension.)
    _serial_scope_excl = models.Constraint(
        "EXCLUDE USING gist ("
        "int8range(hashtextextended(name, 0), hashtextextended(name, 0), '[]') "
        "WITH &&, "
        "box(point("
        "CASE WHEN serial_scope = 'global' OR company_id IS NULL THEN 0 "
        "ELSE company_id END, "
        "CASE WHEN serial_scope = 'product' THEN product_id ELSE 0 END), point("
        "CASE WHEN serial_scope = 'global' OR company_id IS NULL THEN %(max)s "
        "ELSE company_id END, "
        "CASE WHEN serial_scope = 'product' THEN product_id ELSE %(max)s END)) "
        "WITH &&) WHERE (serial_scope IS NOT NULL)" % {"max": 2**31 - 1},
        "A serial number must be unique in its uniqueness scope (per product, "
        "per company or across all companies).",
    )

    @api.depends("product_id.tracking", "company_id.serial_uniqueness_scope")
    def _compute_serial_scope(self):
        # Lots are created in bulk for a few products: one assignment per kind.
        kinds = self.grouped(lambda lot: (lot.product_id.tracking, lot.company_id))
        for (tracking, company), lots in kinds.items():
            company = company or self.env.company
            lots.serial_scope = (
                company.serial_uniqueness_scope if tracking == "serial" else False
            )

    @api.depends(
        "serial_component_ids.component_lot_id",
        "serial_component_ids.production_id.state",
    )
    def _compute_component_lot_ids(self):
        # Lots are created by the thousand without components: one
        # assignment for all of them.
        without = self.filtered(lambda lot: not lot.serial_component_ids)
        without.component_lot_ids = False
        for lot in self - without:
            lot.component_lot_ids = lot.serial_component_ids.filtered(
                lambda row: row.production_id.state == "done"
            ).component_lot_id

    @api.depends(
        "serial_allocation_id.date",
        "serial_allocation_id.production_id.state",
        "serial_allocation_id.production_id.date_finished",
    )
    def _compute_serial_production_date(self):
        for lot in self:
            production = lot.serial_allocation_id.production_id
            if production.state == "done":
                lot.serial_production_date = production.date_finished
            else:
                lot.serial_production_date = (
                    lot.serial_allocation_id.date if production else False
                )

    @api.depends("product_id")
    def _compute_name(self):  # pylint: disable=missing-return
        # Core draws from product.lot_sequence_id one lot at a time, without
        # telling which product: lots of a generator's product are named in
        # one draw per product, with the product's codes.
        Generator = self.env["stock.serial.generator"]
        _product, location, source = Generator._get_context_records()
        for product, lots in self.grouped("product_id").items():
            serial = product and product.tracking == "serial"
            generator = serial and product.product_tmpl_id._get_serial_generator()
            unnamed = lots.filtered(lambda lot: not lot.name)
            if generator and unnamed:
                names = generator._next_serials(
                    len(unnamed),
                    product=product,
                    location=location,
                    source=source,
                    entry_point="lot_name",
                )
                for lot, name in zip(unnamed, names, strict=True):
                    lot.name = name
                continue
            # Core draws through ir.sequence._next: say for which product.
            context = Generator._get_serial_context(product, location, source)
            super(StockLot, lots.with_context(**context))._compute_name()

    @api.model
    def _get_next_serial(self, company, product):
        generator = product.product_tmpl_id._get_serial_generator()
        if product.tracking == "serial" and generator:
            return generator._next_serials(1, product=product, entry_point="lot_name")[
                0
            ]
        return super()._get_next_serial(company, product)

    def _check_company(self, fnames=None):
        # Lots are created by the thousand.
        if needs_company_check(self, fnames):
            return super()._check_company(fnames)
        return None

    @api.model
    def default_get(self, fields):
        # The allocation service creates lots by the thousand.
        fields = self.env["stock.serial.allocator"]._get_default_fields(self, fields)
        return super().default_get(fields) if fields else {}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(SERVICE_KEY) and any(
            vals.get(field) for vals in vals_list for field in REGISTER_FIELDS
        ):
            raise UserError(
                self.env._(
                    "Serials enter the register through the allocation wizards only."
                )
            )
        if any(set(vals) & STATUS_FIELDS for vals in vals_list):
            self._check_status_write()
        self._set_allocated_status(vals_list)
        lots = super().create(vals_list)
        if not self.env.context.get(SERVICE_KEY):
            lots._register_drawn_lots()
        return lots

    def _set_allocated_status(self, vals_list):
        """A new serial is allocated: it has no stock yet."""
        product_ids = {vals.get("product_id") for vals in vals_list} - {None, False}
        serial_ids = set(
            self.env["product.product"]
            .browse(product_ids)
            .filtered(lambda product: product.tracking == "serial")
            .ids
        )
        if serial_ids:
            now = fields.Datetime.now()
            for vals in vals_list:
                if vals.get("product_id") in serial_ids:
                    vals.setdefault("serial_status", "allocated")
                    vals.setdefault("serial_status_date", now)

    def _register_drawn_lots(self):
        """Write a register entry for the lots named from a generator's
        counter outside the wizards (Odoo's Generate dialog, a new lot's
        name, the MO serial dialog): one entry per draw and product."""
        lots = self.filtered(
            lambda lot: (
                lot.product_id.tracking == "serial"
                and lot.product_id.product_tmpl_id._get_serial_generator()
            )
        )
        if not lots:
            return
        memo = self.env.cr.precommit.data.get(DRAWN_NAMES_KEY, {})
        drawn = {lot.name: memo[lot.name] for lot in lots if lot.name in memo}
        others = [lot.name for lot in lots if lot.name not in drawn]
        if others:
            rows = self.env.execute_query(
                SQL(
                    "SELECT name, token FROM (SELECT token, id, unnest(string_to_array("
                    "serial_names, E'\\n')) AS name FROM stock_serial_draw "
                    "WHERE serial_names IS NOT NULL AND string_to_array(serial_names, "
                    "E'\\n') && %s::text[]) AS drawn WHERE name = ANY(%s) ORDER BY id",
                    others,
                    others,
                )
            )
            drawn.update(rows)
        if not drawn:
            return
        tokens = set(drawn.values())
        sources = self.env.cr.precommit.data.get(DRAWN_SOURCES_KEY, {}).copy()
        sources.update(
            self.env.execute_query(
                SQL(
                    "SELECT token, source FROM stock_serial_draw "
                    "WHERE token IN %s AND source IS NOT NULL",
                    tuple(tokens),
                )
            )
        )
        groups = lots.filtered(lambda lot: lot.name in drawn).grouped(
            lambda lot: (drawn[lot.name], lot.product_id, lot.company_id)
        )
        context_source = self.env["stock.serial.generator"]._get_context_records()[2]
        vals_list = []
        for (token, product, company), group in groups.items():
            vals_list.append(
                {
                    "company_id": (company or self.env.company).id,
                    "source": sources.get(token) or context_source or "manual",
                    "method": "generate",
                    "product_id": product.id,
                    "generator_id": product.product_tmpl_id._get_serial_generator().id,
                    "count": len(group),
                    "first_serial": group[0].name,
                    "last_serial": group[-1].name,
                    "draw_token": token,
                }
            )
        allocations = self.env["stock.serial.allocator"]._write_register(vals_list)
        for group, allocation in zip(groups.values(), allocations, strict=True):
            group.sudo().with_context(**{SERVICE_KEY: True}).write(
                {"serial_allocation_id": allocation.id}
            )

    def write(self, vals):
        if set(vals) & STATUS_FIELDS:
            self._check_status_write()
        protected = set(vals) & REGISTER_FIELDS
        if "serial_vendor_id" in vals and any(self.mapped("serial_allocation_id")):
            protected.add("serial_vendor_id")
        if protected and not self.env.context.get(SERVICE_KEY):
            raise UserError(
                self.env._(
                    "The register facts of a serial (%(fields)s) cannot be edited. "
                    "Void its allocation with a reason instead.",
                    fields=", ".join(sorted(protected)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_allocated(self):
        allocated = self.filtered("serial_allocation_id")
        if allocated:
            raise UserError(
                self.env._(
                    "Serials of the register cannot be deleted (%(serials)s); void "
                    "their allocation with a reason instead.",
                    serials=", ".join(allocated.mapped("name")),
                )
            )

    @api.model
    def generate_lot_names(self, first_lot, count):
        # Odoo's Generate dialog increments the last digits of the first serial,
        # which breaks check digits and date or code suffixes. A first serial
        # rendered by the product's generator continues with the generator's
        # own rendering, and the numbers are reserved on its counter.
        Generator = self.env["stock.serial.generator"]
        product = Generator._get_context_records()[0]
        if self.env.context.get(CONTEXT_KEYS["reserve"]) and product:
            names = self._generate_generator_lot_names(
                product, (first_lot or "").strip(), count
            )
            if names:
                return [{"lot_name": name} for name in names]
        return super().generate_lot_names(first_lot, count)

    @api.model
    def _generate_generator_lot_names(self, product, first_lot, count):
        """Return `count` serials of `product`'s generator from `first_lot` on,
        reserving the numbers up to the last one; [] when `first_lot` is not a
        serial of that generator."""
        generator = product.product_tmpl_id._get_serial_generator()
        if product.tracking != "serial" or not generator or not first_lot or count <= 0:
            return []
        _product, location, context_source = self.env[
            "stock.serial.generator"
        ]._get_context_records()
        number = None
        for source in dict.fromkeys(filter(None, (context_source, "purchase"))):
            try:
                serial_format = generator._get_serial_format(product, location, source)
            except UserError:
                continue
            number = serial_format.parse(first_lot)
            if number is not None:
                break
        if number is None:
            return []
        # From the first serial on when the counter has not passed it, or
        # when it is the one just proposed to this user; else from the counter.
        take = generator._take_serials(
            [SerialShare(count, product, location)],
            source,
            entry_point="generate_dialog",
            start=number,
        )
        return take.draw.names

    @api.model
    def _get_serial_scope_domain(self, product, company, names):
        """Domain of the serials that `names` would clash with for `product`:
        the same rule as the database's exclusion constraint, seen from a new
        serial of `company`."""
        scope = company.serial_uniqueness_scope
        domain = [("name", "in", list(names)), ("serial_scope", "!=", False)]
        if scope == "global":
            return domain
        domain += [
            "|",
            ("company_id", "in", [company.id, False]),
            ("serial_scope", "=", "global"),
        ]
        if scope == "company":
            return domain
        return domain + [
            "|",
            ("product_id", "=", product.id),
            ("serial_scope", "in", ["company", "global"]),
        ]

    @api.model
    def _find_existing_serials(self, product, company, names):
        """Return the lots already holding any of `names` in the company's
        uniqueness scope (one query, across companies when the scope says so)."""
        if not names:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(self._get_serial_scope_domain(product, company, names))
        )

    @api.model
    def _check_scope_change(self, companies, scope):
        """Refuse a new uniqueness scope that existing serials already break."""
        if scope == "product":
            return
        groupby = ["name"] if scope == "global" else ["company_id", "name"]
        domain = [("product_id.tracking", "=", "serial")]
        if scope == "company":
            # Lots without company follow the current company's scope.
            shared = [False] if self.env.company in companies else []
            domain += [("company_id", "in", companies.ids + shared)]
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group(domain, groupby, ["__count"], having=[("__count", ">", 1)])
        )
        if groups:
            raise UserError(
                self.env._(
                    "The serial uniqueness cannot be changed: these serial numbers "
                    "are used more than once in that scope:\n%(lines)s",
                    lines="\n".join(
                        "- %s (%s times)" % (group[-2], group[-1]) for group in groups
                    ),
                )
            )

    def _check_status_write(self):
        if not self.env.context.get(STATUS_KEY):
            raise UserError(
                self.env._(
                    "The status of a serial follows its stock moves; it cannot "
                    "be edited."
                )
            )

    # ------------------------------------------------------------------
    # Status from quants and done moves
    # ------------------------------------------------------------------
    @api.model
    def _serial_status_query(self, lot_ids=None):
        """SELECT of (lot id, status, holder, date of its last done move,
        current status, current holder) for the lots of serial products
        among `lot_ids` (all of them when None). The place is the one of the
        lot's stock (internal first), else where its last done move took it
        (a unit sent back to its vendor cancels the vendor's negative stock);
        the holder is the partner of the last done move into a customer or
        vendor location."""
        where = SQL("TRUE") if lot_ids is None else SQL("lot.id = ANY(%s)", lot_ids)
        return SQL(
            """
            WITH lots AS (
                SELECT lot.id, lot.serial_voided, lot.serial_status,
                       lot.serial_partner_id, lot.create_date
                  FROM stock_lot lot
                  JOIN product_product product ON product.id = lot.product_id
                  JOIN product_template template
                    ON template.id = product.product_tmpl_id
                   AND template.tracking = 'serial'
                 WHERE %s
            ), lines AS (
                -- The state and date of the move: those of its detailed
                -- operations are written after the moves are done.
                SELECT line.id, line.lot_id, move.date, line.move_id,
                       source.usage AS source_usage, dest.usage AS dest_usage
                  FROM stock_move_line line
                  JOIN lots ON lots.id = line.lot_id
                  JOIN stock_move move ON move.id = line.move_id
                  JOIN stock_location source ON source.id = line.location_id
                  JOIN stock_location dest ON dest.id = line.location_dest_id
                 WHERE move.state = 'done' AND line.lot_id IS NOT NULL
            ), last_move AS (
                SELECT DISTINCT ON (lot_id) lot_id, date, dest_usage AS usage
                  FROM lines
                 ORDER BY lot_id, date DESC, id DESC
            ), holder AS (
                SELECT DISTINCT ON (lines.lot_id, lines.dest_usage)
                       lines.lot_id, lines.dest_usage AS usage,
                       COALESCE(picking.partner_id, move.partner_id) AS partner_id
                  FROM lines
                  JOIN stock_move move ON move.id = lines.move_id
                  LEFT JOIN stock_picking picking ON picking.id = move.picking_id
                 WHERE lines.dest_usage IN ('customer', 'supplier')
                 ORDER BY lines.lot_id, lines.dest_usage, lines.date DESC,
                          lines.id DESC
            ), came_back AS (
                SELECT DISTINCT lot_id FROM lines WHERE source_usage = 'customer'
            ), stock AS (
                SELECT DISTINCT ON (quant.lot_id) quant.lot_id, location.usage
                  FROM stock_quant quant
                  JOIN lots ON lots.id = quant.lot_id
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE quant.quantity > 0
                 ORDER BY quant.lot_id, location.usage = 'internal' DESC,
                          location.usage = 'transit' DESC,
                          quant.in_date DESC, quant.id DESC
            ), here AS (
                SELECT lots.id AS lot_id,
                       COALESCE(stock.usage, last_move.usage) AS usage,
                       last_move.date
                  FROM lots
                  LEFT JOIN stock ON stock.lot_id = lots.id
                  LEFT JOIN last_move ON last_move.lot_id = lots.id
            )
            SELECT lots.id AS lot_id,
                   CASE
                       WHEN lots.serial_voided AND here.usage IS NULL THEN 'voided'
                       WHEN here.usage = 'internal' THEN
                           CASE WHEN came_back.lot_id IS NOT NULL
                                THEN 'returned' ELSE 'in_stock' END
                       WHEN here.usage = 'transit' THEN 'in_transit'
                       WHEN here.usage = 'customer' THEN 'delivered'
                       WHEN here.usage = 'supplier' THEN 'vendor_returned'
                       WHEN here.usage = 'production' THEN 'consumed'
                       WHEN here.usage = 'inventory' THEN 'scrapped'
                       ELSE 'allocated'
                   END AS status,
                   holder.partner_id AS partner_id,
                   COALESCE(here.date, lots.create_date) AS status_date,
                   lots.serial_status AS current_status,
                   lots.serial_partner_id AS current_partner_id
              FROM lots
              JOIN here ON here.lot_id = lots.id
              LEFT JOIN came_back ON came_back.lot_id = lots.id
              LEFT JOIN holder
                ON holder.lot_id = lots.id AND holder.usage = here.usage
            """,
            where,
        )

    def _update_serial_status(self):
        """Bring the status of these lots in line with their quants and done
        moves: one query, then one UPDATE of the lots that changed (the
        status fields are written by the status update alone and nothing is
        computed from them: the ORM's write of thousands of lots would cost
        more than the validation's own work)."""
        if not self:
            return
        self._flush_status_inputs()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT lot_id, status, partner_id FROM (%s) computed
                 WHERE current_status IS DISTINCT FROM status
                    OR current_partner_id IS DISTINCT FROM partner_id
                """,
                self._serial_status_query(self.ids),
            )
        )
        if not rows:
            return
        lot_ids, statuses, partner_ids = (
            list(column) for column in zip(*rows, strict=True)
        )
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_lot lot
                   SET serial_status = new.status,
                       serial_partner_id = new.partner_id,
                       serial_status_date = %s, write_uid = %s, write_date = %s
                  FROM unnest(%s::int[], %s::varchar[], %s::int[])
                       AS new(id, status, partner_id)
                 WHERE lot.id = new.id
                """,
                now,
                self.env.uid,
                now,
                lot_ids,
                statuses,
                partner_ids,
            )
        )
        self.invalidate_model([*STATUS_FIELDS, "write_uid", "write_date"])

    @api.model
    def _init_serial_status(self):
        """Set the status of every serial from its quants and moves (at
        install and upgrade), dated by its last done move, in one UPDATE;
        return the number of serials set."""
        self._flush_status_inputs()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_lot lot
                   SET serial_status = computed.status,
                       serial_partner_id = computed.partner_id,
                       serial_status_date = computed.status_date
                  FROM (%s) computed
                 WHERE computed.lot_id = lot.id
                   AND (lot.serial_status IS DISTINCT FROM computed.status
                        OR lot.serial_partner_id IS DISTINCT FROM computed.partner_id)
                """,
                self._serial_status_query(),
            )
        )
        self.invalidate_model(list(STATUS_FIELDS))
        return self.env.cr.rowcount

    @api.model
    def _flush_status_inputs(self):
        """Flush what the status query reads, and only that: a full flush in
        the middle of a validation would recompute fields that change again
        after it."""
        for model, fnames in STATUS_QUERY_FIELDS.items():
            self.env[model].flush_model(fnames)

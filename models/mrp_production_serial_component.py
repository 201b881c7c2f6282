# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MrpProductionSerialComponent(models.Model):
    """One component lot (or serial) that went into one finished serial of a
    manufacturing order, with the quantity it gave."""

    _name = "mrp.production.serial.component"
    _description = "Component per Unit"
    _order = "production_id, finished_lot_id, product_id, component_lot_id"
    _check_company_auto = True

    production_id = fields.Many2one(
        "mrp.production",
        "Manufacturing Order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="production_id.company_id", store=True)
    finished_lot_id = fields.Many2one(
        "stock.lot",
        "Finished Serial",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    component_lot_id = fields.Many2one(
        "stock.lot",
        "Component Lot/Serial",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    product_id = fields.Many2one(
        related="component_lot_id.product_id", string="Component", store=True
    )
    quantity = fields.Float(
        digits="Product Unit",
        default=1.0,
        required=True,
        help="Quantity of the component lot in the finished serial, in the "
        "component's unit.",
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    state = fields.Selection(related="production_id.state", string="Order Status")

    _unique_component = models.Constraint(
        "UNIQUE(production_id, finished_lot_id, component_lot_id)",
        "A component lot is given once to each finished serial of an order.",
    )

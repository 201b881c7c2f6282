# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain


class StockLocation(models.Model):
    _name = "stock.location"
    _inherit = ["stock.location", "stock.serial.allocation.target"]

    # ------------------------------------------------------------------
    # Allocation service hooks (opening stock: initial stock entry)
    # ------------------------------------------------------------------
    def _get_serial_request_values(self):
        """Serials entered with new stock at this location."""
        self.ensure_one()
        return {
            "location": self,
            "document": self,
            # Serials already on the units keep their format.
            "legacy": True,
        }

    def _get_serial_document_name(self):
        self.ensure_one()
        return self.env._("Initial Stock")

    def _prepare_serial_allocation_vals(self, request):
        self.ensure_one()
        return {"location_id": self.id}

    @api.model
    def _check_serial_requests(self, requests):
        """Stock is entered at internal locations of the company, and only
        where the product has no stock without serial (serialize that stock
        instead)."""
        errors = []
        products = self.env["product.product"].union(*(r.product for r in requests))
        untracked = self._get_untracked_quantities(
            products, self.union(*(r.target for r in requests))
        )
        for request in requests:
            location = request.target
            if location.usage != "internal":
                errors.append(
                    self.env._(
                        "- %(label)s: %(location)s is not an internal location.",
                        label=request.label,
                        location=location.display_name,
                    )
                )
                continue
            if (
                request.product.company_id
                and location.company_id != request.product.company_id
            ):
                errors.append(
                    self.env._(
                        "- %(label)s: %(product)s belongs to another company than "
                        "%(location)s.",
                        label=request.label,
                        product=request.product.display_name,
                        location=location.display_name,
                    )
                )
            qty = untracked.get((request.product, location), 0.0)
            if qty:
                errors.append(
                    self.env._(
                        "- %(label)s: %(location)s already holds %(qty)s %(product)s "
                        "without serial; give serials to that stock instead.",
                        label=request.label,
                        location=location.display_name,
                        qty="%g" % qty,
                        product=request.product.display_name,
                    )
                )
        return errors

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Enter the new stock, one quant per serial, through Odoo's
        inventory adjustments (valued at the product's cost, on the
        accounting date when given), named after the allocation."""
        Quant = self.env["stock.quant"]
        move_vals = []
        for location, lots, request in items:
            # A quant to be: Odoo's inventory move values come from a quant.
            quant = Quant.new(
                {"product_id": request.product.id, "location_id": location.id}
            )
            move_vals.append(
                quant._prepare_serial_move_vals(
                    Quant._get_serial_move_name(lots.serial_allocation_id),
                    len(lots),
                    quant._get_serial_inventory_location(),
                    location,
                    lots,
                )
            )
        return Quant._action_serial_inventory(move_vals, items)[0]

    @api.model
    def _get_untracked_quantities(self, products, locations):
        """{(product, location): quantity without serial there}."""
        Quant = self.env["stock.quant"]
        domain = Quant._get_serial_pending_domain() & Domain(
            [("product_id", "in", products.ids), ("location_id", "in", locations.ids)]
        )
        result = defaultdict(float)
        for product, location, qty in Quant._read_group(
            domain, ["product_id", "location_id"], ["quantity:sum"]
        ):
            result[product, location] = qty
        return result

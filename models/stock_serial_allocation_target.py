# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class StockSerialAllocationTarget(models.AbstractModel):
    """What a record receiving serials (the target of a `SerialRequest`)
    provides to the allocation service (``stock.serial.allocator``).

    Receipt and by-product moves, manufacturing orders, quants without serial,
    locations taking new stock and serial blocks inherit it. The service calls
    the hooks below, in this order: ``_get_serial_request_values`` when the
    request is built, ``_check_serial_requests`` before anything is written,
    ``_prepare_serial_allocation_vals`` for the register entry,
    ``_apply_serial_allocation`` once the lots exist, and the wizard may call
    ``_action_validate_after_allocation``.
    """

    _name = "stock.serial.allocation.target"
    _description = "Serial Allocation Target"

    def _get_serial_request_values(self):
        """Values of the `SerialRequest` of this target (location, document,
        vendor, label, ...): where the serials go and what the register
        links. Default: the target itself is the document."""
        self.ensure_one()
        return {"document": self, "label": self.display_name}

    def _get_serial_document_name(self):
        """The document the pending lists and the wizard show."""
        self.ensure_one()
        return self.display_name

    def _get_serial_quantity_todo(self, product):
        """Units of `product` of this target still lacking a serial."""
        self.ensure_one()
        return 0.0

    @api.model
    def _check_serial_requests(self, requests):
        """Error lines of `requests` on targets of this model (nothing is
        written). Default: each target must pass ``_get_serial_target_errors``
        and still lack the units asked, summed over the requests sharing it."""
        asked = {}
        for request in requests:
            entry = asked.setdefault(request.target, [0.0, [], request.product])
            entry[0] += request.quantity
            entry[1].append(request.label)
        if not asked:
            return []
        errors = self.union(*asked)._lock_serial_targets()
        if errors:
            return errors
        for target, (quantity, labels, product) in asked.items():
            label = ", ".join(dict.fromkeys(labels))
            target_errors = target._get_serial_target_errors(label)
            if target_errors:
                errors += target_errors
                continue
            todo = target._get_serial_quantity_todo(product)
            if product.uom_id.compare(quantity, todo) > 0:
                errors.append(target._get_serial_quantity_error(label, quantity, todo))
        return errors

    def _lock_serial_targets(self):
        """Lock these targets before they are checked, so that two
        allocations cannot both take the same units; return error lines when
        another transaction holds them. Default: no lock."""
        return []

    def _get_serial_target_errors(self, label):
        """Error lines when this target cannot take serials at all (its state,
        its kind); then its quantity is not checked. Default: none."""
        self.ensure_one()
        return []

    def _get_serial_quantity_error(self, label, quantity, todo):
        """The error line of `quantity` serials asked where only `todo` units
        lack one."""
        self.ensure_one()
        return self.env._(
            "- %(label)s: %(quantity)s serials asked, but only %(todo)s units lack "
            "one.",
            label=label,
            quantity=int(quantity) if quantity == int(quantity) else quantity,
            todo=int(todo) if todo == int(todo) else todo,
        )

    def _prepare_serial_allocation_vals(self, request):
        """Register values of this target for `request` (its documents)."""
        self.ensure_one()
        return {}

    @api.model
    def _apply_serial_allocation(self, items, source):
        """Give the targets their lots: `items` is a list of (target, lots,
        request). Every target model implements it."""
        raise NotImplementedError(
            "%s does not implement _apply_serial_allocation" % self._name
        )

    def _action_validate_after_allocation(self):
        """Validate these targets once they have their serials (receipts are
        validated, orders produced); may return an action. Default: nothing
        to validate, the allocation itself completes them."""
        return True

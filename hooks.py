# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """Leave every serial product a lot sequence that Odoo alone can render,
    continuing its generator's counter (see stock.serial.generator
    `_release_lot_sequences`)."""
    env["stock.serial.generator"].with_context(active_test=False).search(
        []
    )._release_lot_sequences()

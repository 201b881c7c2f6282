# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Give the serials that exist before the module their status."""
    env["stock.lot"]._init_serial_status()


def uninstall_hook(env):
    """Leave every serial product a lot sequence that Odoo alone can render,
    continuing its generator's counter (see stock.serial.generator
    `_release_lot_sequences`)."""
    env["stock.serial.generator"].with_context(active_test=False).search(
        []
    )._release_lot_sequences()

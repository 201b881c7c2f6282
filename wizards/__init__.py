# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import stock_serial_allocation_wizard
from . import stock_serial_allocation_void
from . import stock_serial_migration_import
from . import stock_serial_block_usage
from . import stock_serial_block_release
from . import stock_serial_counter_audit
from . import stock_serial_lookup
from . import stock_return_picking
from . import stock_serial_scan
from . import mrp_serial_component_wizard

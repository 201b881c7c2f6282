# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import test_access
from . import test_allocation_service
from . import test_counter_safety
from . import test_fast_validation
from . import test_fast_validation_concurrency
from . import test_gs1
from . import test_install
from . import test_migration_import
from . import test_mrp_allocation
from . import test_mrp_allocation_errors
from . import test_mrp_tour
from . import test_native_dialogs_tour
from . import test_oca_auto_create_lot
from . import test_opening_stock_allocation
from . import test_opening_stock_ui
from . import test_receipt_allocation
from . import test_receipt_native_flows
from . import test_receipt_tour
from . import test_serial_block
from . import test_serial_block_allocation
from . import test_serial_block_api
from . import test_serial_block_concurrency
from . import test_serial_block_http
from . import test_serial_block_usage
from . import test_serial_generator
from . import test_serial_product
from . import test_serial_register
from . import test_serial_uniqueness
from . import test_ui
from . import test_serial_status
from . import test_serial_lookup
from . import test_serial_delivery

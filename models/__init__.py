# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from . import ir_sequence
from . import stock_serial_draw
from . import stock_serial_generator
from . import stock_serial_generator_counter
from . import stock_serial_allocation_target
from . import stock_serial_allocator
from . import stock_serial_file
from . import stock_serial_allocation
from . import stock_serial_block
from . import stock_serial_block_allocation
from . import stock_serial_block_api
from . import res_company
from . import res_config_settings
from . import product_category
from . import product_template
from . import product_supplierinfo
from . import stock_lot
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import stock_quant
from . import stock_location
from . import product_product
from . import mrp_production
from . import mrp_production_serial_component
from . import stock_serial_job

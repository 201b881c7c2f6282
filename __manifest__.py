# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Stock Serial Allocation",
    "summary": "Serial generators, serial allocation on receipts, opening stock "
    "and manufacturing orders, serial blocks and an audit register",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/stock-serial-allocation/stock_serial_allocation",
    "author": "Stock Serial Allocation Authors",
    "maintainers": ["stock-serial-allocation"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["purchase_stock", "mrp"],
    "external_dependencies": {"python": ["python-stdnum", "openpyxl"]},
    "data": [
        "security/stock_serial_allocation_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/stock_serial_generator_views.xml",
        "views/stock_lot_views.xml",
        "wizards/stock_serial_allocation_void_views.xml",
        "views/stock_serial_allocation_views.xml",
        "views/stock_move_views.xml",
        "wizards/stock_serial_allocation_wizard_views.xml",
        "views/product_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/stock_serial_generator_demo.xml",
    ],
    "installable": True,
    "application": False,
}

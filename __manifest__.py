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
        "data/stock_serial_block_data.xml",
        "views/stock_serial_generator_views.xml",
        "views/stock_lot_views.xml",
        "wizards/stock_serial_allocation_void_views.xml",
        "views/stock_serial_allocation_views.xml",
        "views/stock_move_views.xml",
        "views/mrp_production_views.xml",
        "wizards/stock_serial_allocation_wizard_views.xml",
        "wizards/stock_serial_block_usage_views.xml",
        "wizards/stock_serial_block_release_views.xml",
        "views/stock_serial_block_views.xml",
        "views/product_views.xml",
        "views/stock_quant_views.xml",
        "wizards/stock_serial_migration_import_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/stock_serial_generator_demo.xml",
        "demo/purchase_demo.xml",
        "demo/opening_demo.xml",
        "demo/block_demo.xml",
        "demo/mrp_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "stock_serial_allocation/static/src/js/generate_serial_patch.js",
        ],
        "web.assets_tests": [
            "stock_serial_allocation/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}

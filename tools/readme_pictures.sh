#!/usr/bin/env bash
# Take every picture of README.rst again, from the demo database that
# "make run" serves (or URL/DB given in the environment), with headless
# Chromium at 1440x900. Run it after changing a screen, then "bash
# tools/gen_readme.sh" if a picture was added.
#
#   make run &                     # serial_demo at http://localhost:8069
#   bash tools/readme_pictures.sh  # URL=http://127.0.0.1:8069 DB=serial_demo
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
URL="${URL:-http://127.0.0.1:8069}"
DB="${DB:-serial_demo}"
OUT="$ROOT/static/description"
M=stock_serial_allocation

shot() {
    python3 "$ROOT/tools/screenshot.py" --url "$URL" --db "$DB" \
        --width 1440 --height 900 "$@"
}

shot --path "/odoo/action-$M.action_stock_move_serial_receipt" \
    --wait ".o_data_row" --out "$OUT/pending_receipts.png"
shot --path "/odoo/action-purchase.purchase_form_action/{id}" \
    --record "$M.demo_purchase_order_serials" --click "Receipt" \
    --click "Allocate Serials" --wait ".modal .o_data_row td[name=status]" \
    --out "$OUT/allocation_summary.png"
shot --path "/odoo/action-purchase.purchase_form_action/{id}" \
    --record "$M.demo_purchase_order_serials" --click "Receipt" \
    --click "Allocate Serials" --click "[LAP14] Laptop Pro 14" \
    --click "Enter / Scan" \
    --fill $'.modal .o_field_widget[name=serials_text] textarea::SN-LP-0001\nSN-LP-0002\nSN-LP-0003\nSN-LP-0002\nSN-LP-0005\n' \
    --wait ".modal .o_field_widget[name=status]:not(:empty)" \
    --out "$OUT/allocation_wizard.png"
shot --path "/odoo/action-$M.action_stock_serial_job" \
    --click "Import of 6 legacy serials (legacy_terminals.csv)" \
    --wait ".o_form_view .o_field_widget[name=allocation_ids] .o_data_row" \
    --out "$OUT/background_job.png"
shot --path "/odoo/action-$M.action_stock_serial_generator/{id}" \
    --record "$M.demo_generator_default" \
    --wait ".o_form_view .o_field_widget[name=next_serial]" \
    --out "$OUT/serial_generator.png"
shot --path "/odoo/action-$M.action_stock_serial_generator/{id}" \
    --record "$M.demo_generator_default" --click "Counter Audit" \
    --wait ".modal .o_data_row" --out "$OUT/counter_audit.png"
shot --path "/odoo/action-$M.action_stock_serial_block/{id}" \
    --record "$M.demo_block_line2_printer" --wait ".o_form_view" \
    --out "$OUT/serial_block.png"
shot --path "/odoo/action-$M.action_stock_serial_allocation" \
    --wait ".o_data_row" --out "$OUT/serial_register.png"
shot --path "/odoo/action-$M.action_stock_serial_lookup" \
    --fill ".o_field_widget[name=serial] input::T5-0004" \
    --wait ".o_field_widget[name=move_line_ids] .o_data_row" \
    --out "$OUT/serial_lookup.png"
shot --path "/odoo/action-stock.action_picking_tree_all/{id}" \
    --record "$M.demo_delivery_terminal" --click "Scan Serials" \
    --fill $'.modal .o_field_widget[name=serials_text] textarea::T5-0001\nT5-0002\nT5-0001\n' \
    --wait ".modal .o_field_widget[name=summary]:not(:empty)" \
    --out "$OUT/scan_serials.png"
shot --path "/odoo/action-mrp.mrp_production_action/{id}" \
    --record "$M.demo_mrp_production_gateway" --click "Produce All" \
    --wait ".modal .o_data_row" --out "$OUT/components_per_unit.png"
shot --path "/odoo/action-$M.action_stock_serial_lookup" \
    --fill ".o_field_widget[name=serial] input::GW2-M2026-00006H" \
    --wait ".o_field_widget[name=component_lot_ids] .o_data_row" \
    --out "$OUT/serial_made_from.png"
shot --path "/odoo/action-$M.action_stock_lot_warranty" \
    --wait ".o_data_row" --out "$OUT/warranties.png"

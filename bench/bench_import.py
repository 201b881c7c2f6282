#!/usr/bin/env python3
# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time the migration import of a file of N serials, against Odoo's own
inventory adjustment of N new serials, in one run, on the same database.

Native path (what an implementer would do without the addon):
  adjust    stock.lot.create of the N serials, inventory mode quants with a
            counted quantity of 1, action_apply_inventory()

Our path:
  import    the Migration Import wizard reads a CSV file of N lines and
            allocates them: half are serials for stock without serial (it is
            serialized, its value kept), half are new stock, over ten
            products and two locations, with in-dates and vendors

Every measurement runs in its own transaction, rolled back at the end; the
tables it wrote to are compacted (VACUUM FULL) before the next one.

Usage (see bench/README.md):

  python3 bench/bench_import.py -c odoo.conf --db serial_demo --sizes 10000,50000
"""

import base64
import csv
import gc
import io
import os
import sys
import time

from bench_common import RSS_LIMIT_MB, bench_parser, boot_odoo, rss_mb, vacuum
from bench_receipt import rolled_back_env

# Goals (README "Performance"), besides RSS_LIMIT_MB.
IMPORT_10000_GOAL = 15.0  # seconds
PRODUCTS = 10
TOUCHED_TABLES = (
    "stock_move_line",
    "stock_move",
    "stock_quant",
    "stock_lot",
    "stock_serial_allocation",
    "product_value",
    "account_move",
    "account_move_line",
)


def parse_args(argv=None):
    return bench_parser(__doc__, "10000,50000", "lines per file").parse_args(argv)


def setup_products(env, count, prefix):
    """Ten serial products; the first five hold count / 20 units without
    serial each in WH/Stock (half the file serializes them)."""
    stamp = "%s%s" % (os.getpid(), time.perf_counter_ns())
    products = env["product.product"].create(
        [
            {
                "name": "%s %s %s" % (prefix, stamp, index),
                "default_code": "%s%s-%s" % (prefix, stamp[-6:], index),
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "standard_price": 10,
            }
            for index in range(PRODUCTS)
        ]
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    return products, warehouse.lot_stock_id, stamp


def put_untracked(env, products, location, quantity):
    quants = (
        env["stock.quant"]
        .with_context(inventory_mode=True)
        .create(
            [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantity,
                }
                for product in products
            ]
        )
    )
    quants.action_apply_inventory()


def import_file(products, location, shelf, count, stamp):
    """A CSV of `count` lines over the products, as the wizard reads it."""
    per_product = count // PRODUCTS
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("product", "location", "serial", "in_date", "vendor"))
    for index, product in enumerate(products):
        place = location if index < PRODUCTS // 2 or index % 2 else shelf
        for number in range(per_product):
            writer.writerow(
                (
                    product.default_code,
                    place.complete_name,
                    "M%s-%s-%07d" % (stamp[-6:], index, number),
                    "2020-01-01" if number % 2 else "",
                    "Bench Legacy Vendor" if number % 3 else "",
                )
            )
    return base64.b64encode(buffer.getvalue().encode())


def measure_ours(registry, count):
    vacuum(registry, TOUCHED_TABLES)
    with rolled_back_env(registry) as env:
        products, location, stamp = setup_products(env, count, "Import")
        shelf = env["stock.location"].create(
            {"name": "Bench Shelf %s" % stamp, "location_id": location.id}
        )
        env["res.partner"].create({"name": "Bench Legacy Vendor"})
        put_untracked(env, products[: PRODUCTS // 2], location, count // PRODUCTS)
        data = import_file(products, location, shelf, count, stamp)
        env.flush_all()
        env.invalidate_all()
        gc.collect()
        start = time.perf_counter()
        wizard = env["stock.serial.migration.import"].create(
            {"import_file": data, "import_filename": "serials.csv"}
        )
        wizard.action_import()
        env.flush_all()
        elapsed = time.perf_counter() - start
        assert sum(products.mapped("qty_available")) == count
        return elapsed


def measure_native(registry, count):
    vacuum(registry, TOUCHED_TABLES)
    with rolled_back_env(registry) as env:
        products, location, stamp = setup_products(env, count, "Native")
        per_product = count // PRODUCTS
        env.flush_all()
        env.invalidate_all()
        gc.collect()
        start = time.perf_counter()
        lots = env["stock.lot"].create(
            [
                {
                    "name": "N%s-%s-%07d" % (stamp[-6:], index, number),
                    "product_id": product.id,
                }
                for index, product in enumerate(products)
                for number in range(per_product)
            ]
        )
        quants = (
            env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": lot.product_id.id,
                        "location_id": location.id,
                        "lot_id": lot.id,
                        "inventory_quantity": 1,
                    }
                    for lot in lots
                ]
            )
        )
        quants.action_apply_inventory()
        env.flush_all()
        elapsed = time.perf_counter() - start
        assert sum(products.mapped("qty_available")) == count
        return elapsed


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    registry = boot_odoo(args.config, args.db)
    measure_native(registry, 20)
    measure_ours(registry, 20)
    gc.collect()
    rss_start = rss_mb()
    rss_peak = rss_start
    results = {}
    for count in sizes:
        if count <= args.native_max:
            results[count, "native"] = measure_native(registry, count)
            rss_peak = max(rss_peak, rss_mb())
            print("N=%-6s native adjust %8.2f s" % (count, results[count, "native"]))
        results[count, "ours"] = measure_ours(registry, count)
        rss_peak = max(rss_peak, rss_mb())
        print(
            "N=%-6s ours   import %8.2f s" % (count, results[count, "ours"]), flush=True
        )
    print()
    print("Migration import of N serials (database %s)" % args.db)
    header = "%-8s | %-16s | %-14s | %-9s | %-12s"
    print(header % ("N", "native: adjust", "ours: import", "speed-up", "ours s/1000"))
    print("-" * 70)
    for count in sizes:
        native = results.get((count, "native"))
        ours = results[count, "ours"]
        print(
            header
            % (
                count,
                "%.2f s" % native if native else "(not run)",
                "%.2f s" % ours,
                "%.2fx" % (native / ours) if native else "-",
                "%.2f s" % (ours / count * 1000),
            )
        )
    growth = rss_peak - rss_start
    print()
    print("speed-up = native adjust / ours import (ours does more: it also")
    print("           serializes stock without serial, records vendors and in-dates)")
    print(
        "Process RSS: %.0f MB after warm-up, peak %.0f MB, growth %.0f MB "
        "(goal < %s MB)" % (rss_start, rss_peak, growth, RSS_LIMIT_MB)
    )
    goals = [growth < RSS_LIMIT_MB]
    if (10000, "ours") in results:
        goals.append(results[10000, "ours"] <= IMPORT_10000_GOAL)
        print(
            "Import of 10,000 lines: %.2f s (goal <= %s s)"
            % (results[10000, "ours"], IMPORT_10000_GOAL)
        )
    ok = all(goals)
    print("Goals: %s" % ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

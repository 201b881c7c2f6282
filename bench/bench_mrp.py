#!/usr/bin/env python3
# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark: one manufacturing order of N units of a serial product.

Compares Odoo 19's own way of producing it with serials against ours, end to
end, on ONE order that is never split:

* native: ``action_generate_serial`` opens ``mrp.production.serials``; the
  first serial and the count are given, ``action_generate_serial_numbers``
  then ``action_apply`` set the order's ``lot_producing_ids``; then
  ``button_mark_done``;
* ours: ``action_allocate_serials`` opens the allocation wizard (method
  "generate", the quantity proposed), ``action_allocate``; then
  ``button_mark_done``.

Both run on the same kind of order (same product, generator, bill of
materials and component stock), each in its own transaction that is rolled
back, so the database is left as it was. The tables written to are
compacted (VACUUM FULL) before each run (rolled back rows would otherwise slow
the next runs down). A small warm-up run of each path comes first (caches), it
is not reported. Each
run checks the result: the order is done, not split, with N distinct serials
on its finished products.

Usage (one benchmark at a time: it measures wall-clock time)::

    python3 bench/bench_mrp.py --db DB -c odoo.conf [--sizes 100,1000]
        [--repeat 3] [--paths native,ours]
        [--profile ours|native [--profile-phase all|allocate|done]
         [--profile-top 40] [--profile-callers REGEX] [--profile-only]]
"""

import argparse
import cProfile
import io
import pstats
import sys
import time

from bench_common import RSS_LIMIT_MB, SPEEDUP_GOAL, boot_odoo, rss_mb, vacuum


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database with the addon installed")
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument(
        "--sizes",
        default="100,1000",
        help="comma separated numbers of units (100,1000)",
    )
    parser.add_argument(
        "--paths", default="native,ours", help="paths to time (native,ours)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per path and size; the best is kept"
    )
    parser.add_argument(
        "--profile",
        choices=("ours", "native"),
        help="profile that path (largest size) with cProfile and print the top calls",
    )
    parser.add_argument("--profile-top", type=int, default=40)
    parser.add_argument(
        "--profile-only", action="store_true", help="skip the timing table"
    )
    parser.add_argument(
        "--profile-phase",
        choices=("all", "allocate", "done"),
        default="all",
        help="phase to profile: allocation, marking done, or both",
    )
    parser.add_argument(
        "--profile-callers",
        help="also print the callers of functions matching this regex",
    )
    return parser.parse_args(argv)


def make_fixture(env, size):
    """A serial product with its generator, a component in stock, a bill of
    materials and a confirmed order of `size` units."""
    stamp = "%s%s" % (size, int(time.time() * 1000) % 100000)
    generator = env["stock.serial.generator"].create(
        {"name": "Bench MO %s" % stamp, "prefix": "B%s-" % stamp, "padding": 7}
    )
    product = env["product.product"].create(
        {
            "name": "Bench Serial Product %s" % stamp,
            "default_code": "BSP%s" % stamp,
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "serial_generator_id": generator.id,
        }
    )
    component = env["product.product"].create(
        {"name": "Bench Component %s" % stamp, "type": "consu", "is_storable": True}
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    env["stock.quant"]._update_available_quantity(
        component, warehouse.lot_stock_id, size
    )
    bom = env["mrp.bom"].create(
        {
            "product_tmpl_id": product.product_tmpl_id.id,
            "product_qty": 1,
            "bom_line_ids": [(0, 0, {"product_id": component.id, "product_qty": 1})],
        }
    )
    production = env["mrp.production"].create(
        {
            "product_id": product.id,
            "bom_id": bom.id,
            "product_qty": size,
            "picking_type_id": warehouse.manu_type_id.id,
        }
    )
    production.action_confirm()
    env.flush_all()
    return production


def allocate_native(production):
    """Odoo's own dialog: first serial + count, generate, apply."""
    env = production.env
    action = production.action_generate_serial()
    wizard = (
        env["mrp.production.serials"]
        .with_context(**action["context"])
        .create({"production_id": production.id})
    )
    wizard.lot_quantity = int(production.product_qty)
    wizard.action_generate_serial_numbers()
    wizard.action_apply()


def allocate_ours(production):
    """Our wizard: the proposed quantity, method "generate", allocate."""
    env = production.env
    action = production.action_allocate_serials()
    wizard = (
        env[action["res_model"]]
        .with_context(**action["context"])
        .browse(action["res_id"])
    )
    wizard.action_allocate()


PATHS = {"native": allocate_native, "ours": allocate_ours}


def check(production, size):
    """The order produced `size` serials at once, without being split."""
    lots = production.lot_producing_ids
    done_lines = production.move_finished_ids.move_line_ids.filtered(
        lambda line: line.product_id == production.product_id
    )
    errors = []
    if production.state != "done":
        errors.append("state %s" % production.state)
    if len(lots) != size or len(set(lots.mapped("name"))) != size:
        errors.append("%s serials" % len(lots))
    if done_lines.lot_id != lots:
        errors.append("finished move lines carry other lots")
    if len(production.production_group_id.production_ids) != 1:
        errors.append("the order was split")
    if errors:
        raise AssertionError("%s: %s" % (production.name, ", ".join(errors)))


# Tables a run writes to (then rolls back): compacted before each run so that
# every run starts from the same state, not behind the dead rows of the last.
TOUCHED_TABLES = (
    "stock_move_line",
    "stock_move",
    "stock_quant",
    "stock_lot",
    "mrp_production",
    "stock_serial_allocation",
    "mail_message",
    "ir_sequence",
)


def run_once(registry, path, size, profiler=None, profile_phase="all"):
    """Time one path on a new order; everything is rolled back."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    vacuum(registry, TOUCHED_TABLES)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        production = make_fixture(env, size)
        env.invalidate_all()
        phase = profile_phase if profiler else None
        if phase in ("all", "allocate"):
            profiler.enable()
        start = time.perf_counter()
        PATHS[path](production)
        env.flush_all()
        allocated = time.perf_counter()
        if phase == "allocate":
            profiler.disable()
        elif phase == "done":
            profiler.enable()
        production.button_mark_done()
        env.flush_all()
        done = time.perf_counter()
        if phase in ("all", "done"):
            profiler.disable()
        check(production, size)
        cr.rollback()
    return allocated - start, done - allocated, done - start


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    paths = [path.strip() for path in args.paths.split(",") if path.strip()]
    registry = boot_odoo(args.config, args.db)
    for path in PATHS:  # warm-up: caches, compiled queries
        run_once(registry, path, 5)
    rss_start = rss_peak = rss_mb()
    goals = []
    if not args.profile_only:
        print("Manufacturing order of N serial units: allocation + mark done (seconds)")
        header = "%7s  %-7s %10s %10s %10s %12s" % (
            "N",
            "path",
            "allocate",
            "mark done",
            "total",
            "s/1000",
        )
        print(header)
        print("-" * len(header))
        for size in sizes:
            best = {}
            for path in paths:
                runs = [
                    run_once(registry, path, size) for _i in range(max(args.repeat, 1))
                ]
                rss_peak = max(rss_peak, rss_mb())
                best[path] = min(runs, key=lambda run: run[2])
                print(
                    "%7d  %-7s %10.3f %10.3f %10.3f %12.3f"
                    % (size, path, *best[path], best[path][2] / size * 1000),
                    flush=True,
                )
            if "native" in best and "ours" in best:
                native, ours = best["native"], best["ours"]
                print(
                    "%7d  ratio native/ours: allocate %.2fx, mark done %.2fx, "
                    "total %.2fx"
                    % (
                        size,
                        native[0] / ours[0],
                        native[1] / ours[1],
                        native[2] / ours[2],
                    ),
                    flush=True,
                )
                if size == 1000:
                    goals.append(native[2] / ours[2] >= SPEEDUP_GOAL)
                    print(
                        "Speed-up at N=1000: %.2fx (goal >= %.1fx)"
                        % (native[2] / ours[2], SPEEDUP_GOAL)
                    )
        growth = rss_peak - rss_start
        goals.append(growth < RSS_LIMIT_MB)
        print(
            "Process RSS: %.0f MB after warm-up, peak %.0f MB, growth %.0f MB "
            "(goal < %s MB)" % (rss_start, rss_peak, growth, RSS_LIMIT_MB)
        )
        print("Goals: %s" % ("met" if all(goals) else "NOT met"))
    if args.profile:
        profiler = cProfile.Profile()
        run_once(registry, args.profile, max(sizes), profiler, args.profile_phase)
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
        stats.print_stats(args.profile_top)
        if args.profile_callers:
            stats.print_callers(args.profile_callers)
        print(stream.getvalue())
    return 0 if all(goals) else 1


if __name__ == "__main__":
    sys.exit(main())

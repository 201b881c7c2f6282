#!/usr/bin/env python3
# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time serial allocation on a receipt of N units: Odoo's native path
against stock_serial_allocation's, in one run, on the same database.

Native path (what the "Generate Serials" dialog of a receipt does):
  generate   stock.move.action_generate_lot_line_vals(): N line values
  write      the receipt is saved with the N detailed operations (lot names)
  validate   button_validate(): creates the N lots, receives the stock

Our path:
  allocate   "Allocate Serials" on the receipt, then the wizard's Allocate:
             numbers reserved, N lots created, N detailed operations, one
             register entry
  validate   button_validate(): receives the stock

Every measurement runs in its own transaction, rolled back at the end, so
the database is left as it was; the tables it wrote to are vacuumed before
the next one. A small warm-up run of each path comes first (not reported).
With --repeat, the two paths take turns and each phase keeps its fastest
time.
Usage (see bench/README.md):

  python3 bench/bench_receipt.py -c odoo.conf --db serial_demo --sizes 1000,10000
"""

import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager

from bench_common import (
    RSS_LIMIT_MB,
    SPEEDUP_GOAL,
    bench_parser,
    boot_odoo,
    rss_mb,
    vacuum,
)

# Goals (README "Performance"), besides SPEEDUP_GOAL at N = 10,000 and
# RSS_LIMIT_MB: time linear in N.
LINEAR_GOAL = 5.0  # ours at 50,000 at most 5 x ours at 10,000


def parse_args(argv=None):
    parser = bench_parser(__doc__, "1000,10000", "units per receipt")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per size and path; each phase keeps its fastest time "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--profile",
        metavar="PATH[:PHASE]",
        help="print a cProfile of that path (native or ours), or of one of its "
        "phases (e.g. ours:allocate), at the largest size",
    )
    return parser.parse_args(argv)


# Tables a run writes to (then rolls back): vacuumed before each run so that
# every run starts from the same state, not behind the dead rows of the last.
TOUCHED_TABLES = (
    "stock_move_line",
    "stock_move",
    "stock_picking",
    "stock_quant",
    "stock_lot",
    "stock_serial_allocation",
    "mail_message",
    "ir_sequence",
)


@contextmanager
def rolled_back_env(registry):
    """An environment (superuser, no tracking) whose transaction is rolled back.
    Every size runs in the request, as below the background jobs threshold:
    the benchmarks time the work itself, not its queueing."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    cr = registry.cursor()
    try:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "tz": "UTC", "lang": "en_US"}
        )
        env["res.company"].search([]).serial_job_threshold = 0
        yield env
    finally:
        cr.rollback()
        cr.close()


class Timer:
    def __init__(self, env, profiler=None, profile_phase=None):
        self.env = env
        self.phases = {}
        self.profiler = profiler
        self.profile_phase = profile_phase

    @contextmanager
    def phase(self, name):
        """Time a phase, its pending SQL writes included. Each phase is a
        request of its own in the web client: it starts with an empty cache."""
        self.env.flush_all()
        self.env.invalidate_all()
        gc.collect()
        profile = self.profiler and self.profile_phase in (None, name)
        if profile:
            self.profiler.enable()
        start = time.perf_counter()
        yield
        self.env.flush_all()
        self.phases[name] = time.perf_counter() - start
        if profile:
            self.profiler.disable()


def setup_receipt(env, count, with_generator):
    """A vendor, a serial product and a confirmed receipt of `count` units.
    The product draws on a fresh serial generator, or (native path) on a
    plain Odoo lot sequence."""
    from odoo import Command  # noqa: PLC0415

    company = env.company
    # Native path: no company default generator either (rolled back).
    company.serial_generator_id = False
    stamp = "%s%s" % (os.getpid(), time.perf_counter_ns())
    vals = {
        "name": "Bench Serial %s" % stamp,
        "default_code": "BENCH%s" % stamp[-6:],
        "type": "consu",
        "is_storable": True,
        "tracking": "serial",
        # A category of its own: no category generator either.
        "categ_id": env["product.category"].create({"name": "Bench %s" % stamp}).id,
    }
    if with_generator:
        generator = env["stock.serial.generator"].create(
            {"name": "Bench %s" % stamp, "prefix": "BN%s-" % stamp[-6:], "padding": 7}
        )
        vals["serial_generator_id"] = generator.id
    else:
        vals["serial_prefix_format"] = "NB%s-" % stamp[-6:]
    product = env["product.product"].create(vals)
    vendor = env["res.partner"].create({"name": "Bench Vendor %s" % stamp})
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    supplier = env.ref("stock.stock_location_suppliers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "partner_id": vendor.id,
            "location_id": supplier.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": count,
                        "product_uom": product.uom_id.id,
                        "location_id": supplier.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    env.flush_all()
    env.invalidate_all()
    return picking


def run_native(env, picking, count, timer):
    """Odoo's Generate dialog, saving the receipt, validating it."""
    from odoo import Command  # noqa: PLC0415

    move = picking.move_ids
    product = move.product_id
    context_data = {
        "default_company_id": picking.company_id.id,
        "default_picking_id": picking.id,
        "default_picking_type_id": picking.picking_type_id.id,
        "default_move_id": move.id,
        "default_product_id": product.id,
        "default_location_id": move.location_id.id,
        "default_location_dest_id": move.location_dest_id.id,
        "default_tracking": "serial",
        "default_quantity": move.product_qty,
    }
    with timer.phase("generate"):
        # The dialog's "New" button draws the first serial from the sequence.
        first = product.lot_sequence_id.next_by_id()
        vals_list = env["stock.move"].action_generate_lot_line_vals(
            context_data, "generate", first, count, ""
        )
    assert len(vals_list) == count, len(vals_list)
    with timer.phase("write"):
        line_fields = env["stock.move.line"]._fields
        commands = [Command.delete(line.id) for line in move.move_line_ids]
        for vals in vals_list:
            commands.append(
                Command.create(
                    {
                        key: value["id"] if isinstance(value, dict) else value
                        for key, value in vals.items()
                        if key in line_fields
                    }
                )
            )
        picking.write(
            {"move_ids": [Command.update(move.id, {"move_line_ids": commands})]}
        )
    with timer.phase("validate"):
        result = picking.button_validate()
    assert result is True and picking.state == "done", result
    assert len(move.move_line_ids.lot_id) == count


def run_ours(env, picking, count, timer):
    """Allocate Serials on the receipt (generate), then validate."""
    with timer.phase("allocate"):
        action = picking.action_allocate_serials()
        wizard = env[action["res_model"]].browse(action["res_id"])
        wizard.action_allocate()
    move = picking.move_ids
    assert len(move.move_line_ids.lot_id) == count
    with timer.phase("validate"):
        result = picking.button_validate()
    assert result is True and picking.state == "done", result
    allocation = picking.serial_allocation_ids
    assert allocation.count == count and len(allocation.lot_ids) == count


PATHS = {
    "native": (run_native, False, ("generate", "write", "validate")),
    "ours": (run_ours, True, ("allocate", "validate")),
}
# The phases that give a receipt its serials, before validation.
PREPARE_PHASES = {"native": ("generate", "write"), "ours": ("allocate",)}


def measure(registry, path, count, profiler=None, profile_phase=None):
    runner, with_generator, _phases = PATHS[path]
    vacuum(registry, TOUCHED_TABLES)
    with rolled_back_env(registry) as env:
        picking = setup_receipt(env, count, with_generator)
        timer = Timer(env, profiler, profile_phase)
        runner(env, picking, count, timer)
        return timer.phases


def fmt(seconds):
    return "%8.2f s" % seconds


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    profile_path, _sep, profile_phase = (args.profile or "").partition(":")
    registry = boot_odoo(args.config, args.db)
    # Warm up the registry, the ORM caches and the views of both paths.
    for path in PATHS:
        measure(registry, path, 10)
    gc.collect()
    rss_start = rss_mb()
    rss_peak = rss_start
    best = {}
    best_prepare = {}
    # Ours, per run: the ratio of two sizes measured minutes apart.
    run_totals = {}
    # The sizes take turns, and so do the paths within a size, so that all of
    # them see the machine in the same state: its speed drifts over minutes.
    runs = range(1, max(args.repeat, 1) + 1)
    for run in runs:
        for count in sizes:
            paths = [p for p in PATHS if p != "native" or count <= args.native_max]
            for path in paths:
                profiler = (
                    cProfile.Profile()
                    if profile_path == path and count == max(sizes) and run == 1
                    else None
                )
                phases = measure(registry, path, count, profiler, profile_phase or None)
                key = count, path
                # Each phase keeps its fastest run: the noise of one phase (the
                # long validation) does not pick the others' figures.
                best[key] = {
                    name: min(seconds, best.get(key, phases)[name])
                    for name, seconds in phases.items()
                }
                # Generate and write are timed in the same run, as allocate is:
                # their sum is compared, not the sum of their separate minima.
                best_prepare[key] = min(
                    best_prepare.get(key, float("inf")),
                    sum(phases[name] for name in PREPARE_PHASES[path]),
                )
                rss_peak = max(rss_peak, rss_mb())
                if path == "ours":
                    run_totals[run, count] = sum(phases.values())
                print(
                    "N=%-6s %-6s run %s: %s"
                    % (
                        count,
                        path,
                        run,
                        "  ".join(
                            "%s %s" % (name, fmt(t)) for name, t in phases.items()
                        ),
                    ),
                    flush=True,
                )
                if profiler:
                    stream = io.StringIO()
                    stats = pstats.Stats(profiler, stream=stream)
                    stats.sort_stats("cumulative").print_stats(60)
                    stats.sort_stats("tottime").print_stats(25)
                    print(stream.getvalue())
    results = {key: (best[key], best_prepare[key]) for key in best}

    print()
    print("Serial allocation on one receipt of N units (database %s)" % args.db)
    header = "%-8s | %-32s | %-24s | %-9s | %-9s | %-12s"
    print(header % ("N", "native: generate/write/validate", "ours: allocate/validate",
                    "speed-up", "alloc", "ours s/1000"))  # fmt: skip
    print("-" * 110)
    speedups = {}
    ours_totals = {}
    for count in sizes:
        ours, ours_prepare = results[count, "ours"]
        ours_totals[count] = sum(ours.values())
        native_text, speedup_text, alloc_text = "(not run)", "-", "-"
        if (count, "native") in results:
            native, native_prepare = results[count, "native"]
            native_total = sum(native.values())
            speedups[count] = native_total / ours_totals[count]
            native_text = "%.2f / %.2f / %.2f = %.2f s" % (
                native["generate"],
                native["write"],
                native["validate"],
                native_total,
            )
            speedup_text = "%.2fx" % speedups[count]
            alloc_text = "%.2f" % (ours_prepare / native_prepare)
        print(
            header
            % (
                count,
                native_text,
                "%.2f / %.2f = %.2f s"
                % (ours["allocate"], ours["validate"], ours_totals[count]),
                speedup_text,
                alloc_text,
                "%.2f s" % (ours_totals[count] / count * 1000),
            )
        )
    print()
    print("speed-up    = native total / ours total (each phase's fastest run)")
    print("alloc       = ours allocate / native (generate + write), per run")
    print("ours s/1000 = ours total per 1,000 serials: flat when time is linear")
    growth = rss_peak - rss_start
    print(
        "Process RSS: %.0f MB after warm-up, peak %.0f MB, growth %.0f MB "
        "(goal < %s MB)" % (rss_start, rss_peak, growth, RSS_LIMIT_MB)
    )
    goals = [growth < RSS_LIMIT_MB]
    if 10000 in speedups:
        goals.append(speedups[10000] >= SPEEDUP_GOAL)
        print(
            "Speed-up at N=10000: %.2fx (goal >= %sx)" % (speedups[10000], SPEEDUP_GOAL)
        )
    if 10000 in ours_totals and 50000 in ours_totals:
        growth_ratio = ours_totals[50000] / ours_totals[10000]
        goals.append(growth_ratio <= LINEAR_GOAL)
        print(
            "Ours at N=50000 / N=10000: %.2f (goal <= %s)" % (growth_ratio, LINEAR_GOAL)
        )
        run_ratios = [run_totals[run, 50000] / run_totals[run, 10000] for run in runs]
        if len(run_ratios) > 1:
            print(
                "  the same ratio run by run: %s (median %.2f): the machine's spread"
                % (
                    ", ".join("%.2f" % ratio for ratio in run_ratios),
                    statistics.median(run_ratios),
                )
            )
    ok = all(goals)
    print("Goals: %s" % ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

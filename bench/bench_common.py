# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the benchmark scripts of this folder share: their common arguments,
starting Odoo inside the script, vacuuming the tables a rolled-back run
wrote to, the process memory and the goals common to all."""

import argparse
import os
import sys

import psutil

# Goals every benchmark checks (README "Performance"): ours at least 3 times
# faster than Odoo's native path, a process memory growth below 1 GB.
SPEEDUP_GOAL = 3.0
RSS_LIMIT_MB = 1024


def rss_mb():
    """The resident memory of this process, in MB."""
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def bench_parser(doc, default_sizes, sizes_help):
    """An argument parser with the options every benchmark takes: -c, --db,
    --sizes and --native-max."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument(
        "--db", required=True, help="database with stock_serial_allocation installed"
    )
    parser.add_argument(
        "--sizes",
        default=default_sizes,
        help="comma-separated %s (default: %%(default)s)" % sizes_help,
    )
    parser.add_argument(
        "--native-max",
        type=int,
        default=10000,
        help="largest size the native path runs at: it takes minutes beyond "
        "(default: %(default)s)",
    )
    return parser


def boot_odoo(config_file, db_name):
    """Load Odoo from `config_file` in this process; return the registry of
    `db_name`, where stock_serial_allocation must be installed."""
    # Odoo is only importable where it is installed.
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.service import server  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", config_file, "-d", db_name, "--log-level=warn"])
    server.load_server_wide_modules()
    registry = Registry(db_name)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT state FROM ir_module_module WHERE name = 'stock_serial_allocation'"
        )
        row = cr.fetchone()
    if not row or row[0] != "installed":
        sys.exit("stock_serial_allocation is not installed in database %r" % db_name)
    return registry


def vacuum(registry, tables):
    """VACUUM FULL ANALYZE `tables`: every run then starts from the same
    state. A rolled-back run leaves its rows and index entries behind; plain
    VACUUM only marks their pages free, and the indexes keep growing from run
    to run (the GiST and GIN indexes of stock_lot above all)."""
    with registry.cursor() as cr:
        cr.rollback()
        cr.connection.autocommit = True
        try:
            cr.execute("VACUUM FULL ANALYZE %s" % ", ".join(tables))
        finally:
            cr.connection.autocommit = False

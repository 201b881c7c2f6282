#!/usr/bin/env python3
# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Load test: concurrent clients drawing serials from one generator's counter
over XML-RPC, against a running Odoo server.

Setup (as the given user, normally admin): a fresh serial generator with a
prefix of its own, two serial products drawing from it, a vendor, and a
finished serial product drawing from it too, with a bill of materials of one
consumable component. Every name carries the run's tag, so several runs can
share a database.

Then N client processes, each with its own XML-RPC connection, run one
business operation after the other for the duration, each picking one of
these entry points at random (seeded), all drawing from the SAME counter:

  receipt     a confirmed purchase order of a few units, then, on its receipt,
              "Allocate Serials" (stock.picking.action_allocate_serials, which
              creates the wizard and returns it), the wizard read as its form
              does (web_read), and its Allocate button (method Generate)
  block       stock.serial.block.api_reserve(generator, size, holder)
  lot_batch   Odoo's own lot creation: stock.lot.create([{"product_id": p},
              ...]) without names (the names come from the product's
              lot_sequence_id, which is the generator's counter)
  lot_single  the same with one lot: stock.lot.create({"product_id": p})
  mo          a confirmed manufacturing order of a few units of the finished
              product, then "Allocate Serials" on it
              (mrp.production.action_allocate_serials), web_read, Allocate

Each client first runs every entry point once (warm-up: the server's workers
load the registry and fill their caches), then all clients start together.
Every request (one business operation) and every RPC inside it is timed; an
XML-RPC fault, a connection error or an unexpected answer fails the request
and its error is recorded. Latencies are those of the measured requests,
failed ones included; failures are counted warm-up included.

After the run the serials are checked over XML-RPC (and in SQL with --dsn):
no serial name twice among the lots of the generator's products (across
products too), no block range overlapping another one or a lot's number, no
number issued at or beyond the counter, and no serial missing for a request
that succeeded. The summary gives requests, failures (with the distinct
errors), latencies (p50, p95, max per entry point, overall and per RPC) and
throughput, then one line of JSON.

The exit code is 0 when there is no duplicate (nor any other integrity
problem), no failed request and the overall p95 is below --p95-goal; 1
otherwise; 2 when the test could not run (login, setup).

Usage (see bench/README.md; tools/load_test.sh starts a server for it):

  python3 bench/load_test.py --url http://127.0.0.1:8079 --db ssa_load \\
      --clients 8 --duration 30
"""

# A command-line report: it prints.
# pylint: disable=print-used
import argparse
import bisect
import http.client
import json
import multiprocessing
import queue
import random
import re
import sys
import time
import traceback
import uuid
import xmlrpc.client
from collections import Counter, defaultdict
from xml.parsers.expat import ExpatError

# Errors that fail a request (anything else is recorded too, as unexpected).
REQUEST_ERRORS = (
    xmlrpc.client.Fault,
    xmlrpc.client.ProtocolError,
    http.client.HTTPException,
    OSError,
    ExpatError,
)
# Distinct errors listed in the summary (and in the JSON), most frequent first.
MAX_ERRORS_SHOWN = 15


class LoadTestError(Exception):
    """An answer of the server that the business operation did not expect."""


def int_range(text):
    """argparse type: "3-5" -> (3, 5); "4" -> (4, 4)."""
    low, _sep, high = text.partition("-")
    try:
        bounds = (int(low), int(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected N or MIN-MAX, not %r" % text
        ) from None
    if bounds[0] < 1 or bounds[0] > bounds[1]:
        raise argparse.ArgumentTypeError("expected 1 <= MIN <= MAX, not %r" % text)
    return bounds


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", maxsplit=1)[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--url", default="http://127.0.0.1:8079", help="Odoo URL")
    parser.add_argument(
        "--db", required=True, help="database with stock_serial_allocation"
    )
    parser.add_argument("--user", default="admin", help="login of every client")
    parser.add_argument("--password", default="admin", help="its password")
    parser.add_argument(
        "--clients", type=int, default=8, help="concurrent client processes"
    )
    parser.add_argument(
        "--duration", type=float, default=30.0, help="seconds of measured load"
    )
    parser.add_argument(
        "--seed",
        type=int,
        help="seed of the clients' choices; drawn at random when omitted, and printed",
    )
    parser.add_argument(
        "--entry-points",
        default=",".join(ENTRY_POINTS),
        help="comma-separated entry points the clients pick from",
    )
    parser.add_argument(
        "--units",
        type=int_range,
        default="3-5",
        metavar="MIN-MAX",
        help="units of a purchase or manufacturing order",
    )
    parser.add_argument(
        "--block-size",
        type=int_range,
        default="5-50",
        metavar="MIN-MAX",
        help="serials of a reserved block",
    )
    parser.add_argument(
        "--lot-batch",
        type=int_range,
        default="2-10",
        metavar="MIN-MAX",
        help="lots of one stock.lot.create batch",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="passes over the entry points each client makes before the clock "
        "starts (not timed)",
    )
    parser.add_argument(
        "--p95-goal",
        type=float,
        default=1.0,
        help="seconds the overall 95th percentile must stay below",
    )
    parser.add_argument(
        "--p95-of",
        choices=("request", "rpc"),
        default="rpc",
        help="what --p95-goal applies to: each RPC call, i.e. each request the "
        "server answers (default), or whole business operations of several "
        "calls ('request' in this report)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        help="seconds an RPC may take before the client gives up on it",
    )
    parser.add_argument(
        "--dsn",
        help="libpq connection string of the database: the duplicates are also "
        "counted in SQL, past access rules (psycopg2)",
    )
    parser.add_argument(
        "--server-log",
        help="Odoo's log file: count the transactions it retried on "
        "concurrency errors during the run (needs odoo.service.model at INFO)",
    )
    args = parser.parse_args(argv)
    args.entry_points = [name.strip() for name in args.entry_points.split(",")]
    unknown = set(args.entry_points) - set(ENTRY_POINTS)
    if unknown or not any(args.entry_points):
        parser.error(
            "--entry-points: unknown %s (choose among %s)"
            % (", ".join(sorted(unknown)) or "empty list", ", ".join(ENTRY_POINTS))
        )
    if args.clients < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("--clients >= 1, --duration > 0 and --warmup >= 0 are needed")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(10**6)
    return args


# ---------------------------------------------------------------------------
# XML-RPC client
# ---------------------------------------------------------------------------
class _TimeoutMixin:
    """A transport whose connections give up after `timeout` seconds."""

    def __init__(self, timeout, **kwargs):
        super().__init__(**kwargs)
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class TimeoutTransport(_TimeoutMixin, xmlrpc.client.Transport):
    pass


class SafeTimeoutTransport(_TimeoutMixin, xmlrpc.client.SafeTransport):
    pass


def error_message(error):
    """One line telling what failed: the exception line of a server
    traceback, the first line of a user error, the type and text of a
    connection error."""
    if isinstance(error, xmlrpc.client.Fault):
        lines = [line.strip() for line in str(error.faultString).splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            return "Fault %s" % error.faultCode
        if lines[0].startswith("Traceback"):
            return lines[-1][:300]
        # "No serial was allocated:" says little without its first reason.
        if lines[0].endswith(":") and len(lines) > 1:
            return ("%s %s" % (lines[0], lines[1]))[:300]
        return lines[0][:300]
    if isinstance(error, xmlrpc.client.ProtocolError):
        return "HTTP %s %s" % (error.errcode, error.errmsg)
    text = str(error).strip().splitlines()
    return ("%s: %s" % (type(error).__name__, text[0] if text else ""))[:300]


def error_key(message):
    """The message with its numbers (ids, serials, order names) blanked out:
    the errors of the summary are grouped by it."""
    return re.sub(r"\d+", "#", message)


class Client:
    """One XML-RPC connection, logged in; times every call it makes."""

    def __init__(self, url, db, user, password, timeout):
        url = url.rstrip("/")
        transport_class = (
            SafeTimeoutTransport if url.startswith("https:") else TimeoutTransport
        )
        self.common = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/common", transport=transport_class(timeout)
        )
        self.object = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/object", transport=transport_class(timeout)
        )
        self.db = db
        self.password = password
        self.uid = self.common.authenticate(db, user, password, {})
        if not self.uid:
            raise LoadTestError("login %r refused on database %r" % (user, db))
        # (model.method, seconds, ok) of every call.
        self.calls = []

    def call(self, model, method, *args, **kwargs):
        """execute_kw(model, method, args, kwargs), timed."""
        name = "%s.%s" % (model, method)
        start = time.perf_counter()
        ok = False
        try:
            result = self.object.execute_kw(
                self.db, self.uid, self.password, model, method, list(args), kwargs
            )
            ok = True
            return result
        finally:
            self.calls.append((name, time.perf_counter() - start, ok))


# ---------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------
def setup(client):
    """Create the generator, products, vendor and bill of materials of this
    run; return them as a plain dict (passed to the client processes)."""
    tag = uuid.uuid4().hex[:6].upper()
    prefix = "LT%s-" % tag
    generator_id = client.call(
        "stock.serial.generator",
        "create",
        {"name": "Load Test %s" % tag, "prefix": prefix, "padding": 7},
    )

    def serial_template(suffix, name):
        return {
            "name": "Load Test %s %s" % (tag, name),
            "default_code": "LT%s%s" % (tag, suffix),
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "serial_generator_id": generator_id,
            "standard_price": 10.0,
        }

    template_ids = client.call(
        "product.template",
        "create",
        [
            serial_template("R1", "Scanner"),
            serial_template("R2", "Router"),
            serial_template("F1", "Controller"),
        ],
    )
    templates = client.call(
        "product.template", "read", template_ids, ["product_variant_id"]
    )
    product_ids = [template["product_variant_id"][0] for template in templates]
    vendor_id = client.call(
        "res.partner", "create", {"name": "Load Test Vendor %s" % tag}
    )
    component_id = client.call(
        "product.product",
        "create",
        {"name": "Load Test %s Board" % tag, "type": "consu", "is_storable": False},
    )
    bom_id = client.call(
        "mrp.bom",
        "create",
        {
            "product_tmpl_id": template_ids[2],
            "product_qty": 1,
            "bom_line_ids": [(0, 0, {"product_id": component_id, "product_qty": 1})],
        },
    )
    [generator] = client.call(
        "stock.serial.generator", "read", [generator_id], ["number_next_actual"]
    )
    return {
        "tag": tag,
        "prefix": prefix,
        "generator_id": generator_id,
        "counter_start": generator["number_next_actual"],
        "purchase_product_ids": product_ids[:2],
        "finished_product_id": product_ids[2],
        "product_ids": product_ids,
        "vendor_id": vendor_id,
        "bom_id": bom_id,
    }


# ---------------------------------------------------------------------------
# Entry points: each runs one business operation, returns the serials issued
# ---------------------------------------------------------------------------
# What the allocation wizard's form reads when it opens.
WIZARD_SPEC = {
    "source": {},
    "validate": {},
    "line_ids": {
        "fields": {
            "product_id": {"fields": {"display_name": {}}},
            "document": {},
            "quantity_todo": {},
            "quantity": {},
            "method": {},
            "preview": {},
        }
    },
}


def allocate_in_wizard(client, action, expected):
    """Open the wizard an "Allocate Serials" action returned, as its form
    does, and press Allocate: `expected` serials must be proposed."""
    if not isinstance(action, dict) or not action.get("res_id"):
        raise LoadTestError("Allocate Serials returned no wizard: %r" % (action,))
    model, wizard_id = action["res_model"], action["res_id"]
    context = action.get("context") or {}
    [wizard] = client.call(model, "web_read", [wizard_id], specification=WIZARD_SPEC)
    proposed = sum(line["quantity"] for line in wizard["line_ids"])
    methods = {line["method"] for line in wizard["line_ids"]}
    if proposed != expected or methods != {"generate"}:
        raise LoadTestError(
            "the wizard proposes %s serial(s) by %s, %s by generate expected"
            % (proposed, "/".join(sorted(methods)) or "nothing", expected)
        )
    result = client.call(model, "action_allocate", [wizard_id], context=context)
    if not isinstance(result, dict):
        raise LoadTestError("Allocate returned %r" % (result,))
    return expected


def op_receipt(client, fixture, rng, options):
    quantity = rng.randint(*options.units)
    order_id = client.call(
        "purchase.order",
        "create",
        {
            "partner_id": fixture["vendor_id"],
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": rng.choice(fixture["purchase_product_ids"]),
                        "product_qty": quantity,
                        "price_unit": 10.0,
                    },
                )
            ],
        },
    )
    client.call("purchase.order", "button_confirm", [order_id])
    [order] = client.call("purchase.order", "read", [order_id], ["picking_ids"])
    if not order["picking_ids"]:
        raise LoadTestError("the confirmed purchase order has no receipt")
    action = client.call(
        "stock.picking", "action_allocate_serials", order["picking_ids"]
    )
    return allocate_in_wizard(client, action, quantity)


def op_block(client, fixture, rng, options):
    size = rng.randint(*options.block_size)
    block = client.call(
        "stock.serial.block",
        "api_reserve",
        fixture["generator_id"],
        size,
        "Load test client %s" % options.client_index,
    )
    if not isinstance(block, dict) or block.get("size") != size:
        raise LoadTestError("api_reserve(size=%s) returned %r" % (size, block))
    return size


def op_lot_batch(client, fixture, rng, options):
    count = rng.randint(*options.lot_batch)
    product_id = rng.choice(fixture["purchase_product_ids"])
    lot_ids = client.call(
        "stock.lot", "create", [{"product_id": product_id} for _i in range(count)]
    )
    if not isinstance(lot_ids, list) or len(lot_ids) != count:
        raise LoadTestError(
            "stock.lot.create of %s lots returned %r" % (count, lot_ids)
        )
    return count


def op_lot_single(client, fixture, rng, _options):
    lot_id = client.call(
        "stock.lot",
        "create",
        {"product_id": rng.choice(fixture["purchase_product_ids"])},
    )
    if not isinstance(lot_id, int):
        raise LoadTestError("stock.lot.create of one lot returned %r" % (lot_id,))
    return 1


def op_mo(client, fixture, rng, options):
    quantity = rng.randint(*options.units)
    production_id = client.call(
        "mrp.production",
        "create",
        {
            "product_id": fixture["finished_product_id"],
            "bom_id": fixture["bom_id"],
            "product_qty": quantity,
        },
    )
    client.call("mrp.production", "action_confirm", [production_id])
    action = client.call("mrp.production", "action_allocate_serials", [production_id])
    return allocate_in_wizard(client, action, quantity)


ENTRY_POINTS = {
    "receipt": op_receipt,
    "block": op_block,
    "lot_batch": op_lot_batch,
    "lot_single": op_lot_single,
    "mo": op_mo,
}


# ---------------------------------------------------------------------------
# Client processes
# ---------------------------------------------------------------------------
def run_request(client, entry, fixture, rng, options):
    """Run one request; return (seconds, serials issued or 0, error or None)."""
    start = time.perf_counter()
    try:
        serials = ENTRY_POINTS[entry](client, fixture, rng, options)
        error = None
    except (*REQUEST_ERRORS, LoadTestError) as exc:
        serials, error = 0, error_message(exc)
    # A bug of this script must not stop the run: it fails the request.
    except Exception as exc:  # pylint: disable=broad-exception-caught
        serials, error = 0, "unexpected %s" % error_message(exc)
    return time.perf_counter() - start, serials, error


def client_main(options, fixture, index, barrier, results):
    """One client process: log in, warm up, wait for the others, then run
    requests until the deadline; put its records on `results`."""
    report = {"index": index, "requests": [], "calls": [], "crash": None}
    options.client_index = index
    rng = random.Random("%s:%s" % (options.seed, index))
    client = None
    try:
        client = Client(
            options.url, options.db, options.user, options.password, options.timeout
        )
        for _pass in range(options.warmup):
            for entry in options.entry_points:
                seconds, serials, error = run_request(
                    client, entry, fixture, rng, options
                )
                report["requests"].append((entry, None, seconds, serials, error))
        # Warm-up calls are not timed.
        client.calls.clear()
        barrier.wait(timeout=options.timeout * 10)
        start = time.time()
        deadline = start + options.duration
        while time.time() < deadline:
            entry = rng.choice(options.entry_points)
            began = time.time() - start
            seconds, serials, error = run_request(client, entry, fixture, rng, options)
            report["requests"].append((entry, began, seconds, serials, error))
        report["start"], report["end"] = start, time.time()
    # Any error (login, barrier) is reported by the main process.
    except Exception as exc:  # pylint: disable=broad-exception-caught
        report["crash"] = "%s\n%s" % (error_message(exc), traceback.format_exc())
        barrier.abort()
    if client is not None:
        report["calls"] = client.calls
    results.put(report)


def run_clients(options, fixture):
    """Start the client processes and return their reports (a report with
    "crash" set for a client that died without one)."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(options.clients)
    results = context.Queue()
    processes = [
        context.Process(
            target=client_main,
            args=(options, fixture, index, barrier, results),
            name="load-test-client-%s" % index,
        )
        for index in range(options.clients)
    ]
    for process in processes:
        process.start()
    reports = {}
    try:
        # Read the reports while the clients run: a client's queue must be
        # drained before it can exit.
        while len(reports) < len(processes):
            try:
                report = results.get(timeout=1)
            except queue.Empty:
                if all(process.exitcode is not None for process in processes):
                    break
                continue
            reports[report["index"]] = report
    except KeyboardInterrupt:
        for process in processes:
            process.terminate()
        raise
    for process in processes:
        process.join(timeout=10)
    for index, process in enumerate(processes):
        if index not in reports:
            reports[index] = {
                "index": index,
                "requests": [],
                "calls": [],
                "crash": "client process exited with code %s" % process.exitcode,
            }
    return [reports[index] for index in sorted(reports)]


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------
def percentile(values, fraction):
    """Linear interpolation between the closest ranks (values sorted)."""
    if not values:
        return None
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def latency_stats(values):
    values = sorted(values)
    stats = {
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "max": values[-1] if values else None,
    }
    stats = {key: round(value, 4) for key, value in stats.items() if value is not None}
    return {"count": len(values), "p50": None, "p95": None, "max": None, **stats}


def summarize(reports, options):
    """Aggregate the clients' reports."""
    measured = defaultdict(list)  # entry -> [seconds] (measured requests)
    requests = Counter()  # entry -> measured requests
    failed = Counter()  # entry -> failed requests (warm-up included)
    failed_warmup = 0
    serials = Counter()  # entry -> serials issued by successful requests
    errors = defaultdict(lambda: {"count": 0, "entries": Counter(), "example": ""})
    calls = defaultdict(list)
    failed_calls = Counter()
    for report in reports:
        if report["crash"]:
            key = "client crashed: %s" % report["crash"].splitlines()[0]
            errors[key]["count"] += 1
            errors[key]["example"] = report["crash"]
        for entry, began, seconds, count, error in report["requests"]:
            if began is not None:
                requests[entry] += 1
                measured[entry].append(seconds)
            if error:
                failed[entry] += 1
                failed_warmup += began is None
                group = errors[error_key(error)]
                group["count"] += 1
                group["entries"][entry] += 1
                group["example"] = group["example"] or error
            else:
                serials[entry] += count
        for name, seconds, ok in report["calls"]:
            calls[name].append(seconds)
            failed_calls[name] += not ok
    starts = [report["start"] for report in reports if report.get("start")]
    ends = [report["end"] for report in reports if report.get("end")]
    elapsed = (max(ends) - min(starts)) if starts and ends else 0.0
    all_seconds = [seconds for values in measured.values() for seconds in values]
    total_failed = sum(failed.values())
    crashes = sum(1 for report in reports if report["crash"])
    measured_ok = sum(requests.values()) - (total_failed - failed_warmup)
    return {
        "elapsed": elapsed,
        "entries": {
            entry: {
                "requests": requests[entry],
                "failed": failed[entry],
                "serials": serials[entry],
                "latency": latency_stats(measured[entry]),
            }
            for entry in options.entry_points
        },
        "requests": sum(requests.values()),
        "failed": total_failed + crashes,
        "failed_warmup": failed_warmup,
        "crashed_clients": crashes,
        "serials_expected": sum(serials.values()),
        "latency": latency_stats(all_seconds),
        "rpc_latency": latency_stats(
            [seconds for values in calls.values() for seconds in values]
        ),
        "throughput": (sum(requests.values()) / elapsed) if elapsed else 0.0,
        "throughput_ok": (measured_ok / elapsed) if elapsed else 0.0,
        "calls": {
            name: dict(latency_stats(values), failed=failed_calls[name])
            for name, values in sorted(calls.items())
        },
        "errors": sorted(
            (
                {
                    "count": group["count"],
                    "entries": dict(group["entries"]),
                    "message": group["example"],
                }
                for group in errors.values()
            ),
            key=lambda group: -group["count"],
        ),
    }


# ---------------------------------------------------------------------------
# Integrity checks
# ---------------------------------------------------------------------------
def serial_number(prefix, name):
    """The counter number of a serial rendered as prefix + digits, or None."""
    if name.startswith(prefix) and name[len(prefix) :].isdigit():
        return int(name[len(prefix) :])
    return None


def check_serials(client, fixture, expected):
    """Read what the generator issued (lots of its products or carrying its
    prefix, blocks) and look for serials issued twice."""
    prefix = fixture["prefix"]
    lots = client.call(
        "stock.lot",
        "search_read",
        [
            "|",
            ("product_id", "in", fixture["product_ids"]),
            ("name", "=like", prefix + "%"),
        ],
        ["name", "product_id"],
        context={"active_test": False},
    )
    blocks = client.call(
        "stock.serial.block",
        "search_read",
        [("generator_id", "=", fixture["generator_id"])],
        ["name", "first_number", "last_number", "step", "size", "prefix"],
        context={"active_test": False},
    )
    [generator] = client.call(
        "stock.serial.generator",
        "read",
        [fixture["generator_id"]],
        ["number_next_actual"],
    )
    names = Counter(lot["name"] for lot in lots)
    products_by_name = defaultdict(set)
    for lot in lots:
        products_by_name[lot["name"]].add(lot["product_id"][1])
    duplicates = sorted(
        (name, count, sorted(products_by_name[name]))
        for name, count in names.items()
        if count > 1
    )
    numbers = [serial_number(prefix, lot["name"]) for lot in lots]
    foreign = sorted(
        lot["name"] for lot, number in zip(lots, numbers, strict=True) if number is None
    )
    numbers = sorted(number for number in numbers if number is not None)

    # Block ranges: against each other, then against the lots' numbers.
    ranges = sorted(
        (block["first_number"], block["last_number"], block["name"]) for block in blocks
    )
    overlaps = []
    for previous, current in zip(ranges, ranges[1:], strict=False):
        if current[0] <= previous[1]:
            overlaps.append("%s overlaps %s" % (current[2], previous[2]))
    firsts = [first for first, _last, _name in ranges]
    for number in numbers:
        position = bisect.bisect_right(firsts, number) - 1
        if position >= 0 and number <= ranges[position][1]:
            overlaps.append(
                "%s%0*d lies in %s" % (prefix, 7, number, ranges[position][2])
            )
    other_prefix = sorted({block["prefix"] for block in blocks} - {prefix})
    highest = max([*numbers, *(last for _first, last, _name in ranges)], default=0)
    next_number = generator["number_next_actual"]
    found = len(lots) + sum(block["size"] for block in blocks)
    # Numbers the counter gave that no lot or block uses (a request that
    # failed after drawing): gaps, not duplicates.
    used = len(set(numbers)) + sum(block["size"] for block in blocks)
    drawn = next_number - fixture["counter_start"]
    return {
        "lots": len(lots),
        "blocks": len(blocks),
        "block_serials": sum(block["size"] for block in blocks),
        "duplicates": len(duplicates),
        "duplicate_examples": duplicates[:10],
        "overlaps": len(overlaps),
        "overlap_examples": overlaps[:10],
        "foreign_names": len(foreign),
        "foreign_examples": foreign[:10],
        "block_prefixes": other_prefix,
        "counter_next": next_number,
        "highest_number": highest,
        "beyond_counter": highest >= next_number,
        "serials_found": found,
        "numbers_drawn": drawn,
        "numbers_unused": max(drawn - used, 0),
        "serials_expected": expected,
        "missing": max(expected - found, 0),
    }


def check_serials_sql(dsn, fixture):
    """Duplicated serial names carrying the run's prefix, counted in SQL over
    every lot of the database (no access rule, any product or company)."""
    import psycopg2  # noqa: PLC0415 - only with --dsn

    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cr:
            cr.execute(
                "SELECT name, count(*) FROM stock_lot WHERE name LIKE %s "
                "OR product_id = ANY(%s) GROUP BY name HAVING count(*) > 1 "
                "ORDER BY name",
                (fixture["prefix"].replace("_", r"\_") + "%", fixture["product_ids"]),
            )
            return cr.fetchall()
    finally:
        connection.close()


def read_server_log(path, since):
    """Retries of Odoo's RPC layer on concurrency errors logged since the
    time `since` (seconds since the epoch), by error code."""
    retries, exhausted, errors, bad_queries = Counter(), Counter(), 0, 0
    # Odoo logs local time, to the second.
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(since))
    retry_re = re.compile(r"odoo\.service\.model: (\w+), (\d+) tries left")
    exhausted_re = re.compile(r"odoo\.service\.model: (\w+), maximum number of tries")
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                if line[:19] < stamp:
                    continue
                if match := retry_re.search(line):
                    retries[match.group(1)] += 1
                elif match := exhausted_re.search(line):
                    exhausted[match.group(1)] += 1
                elif " ERROR " in line[:60]:
                    # Each transaction retried first logs its failed query.
                    if "odoo.sql_db: bad query" in line:
                        bad_queries += 1
                    else:
                        errors += 1
    except OSError as exc:
        return {"error": str(exc)}
    return {
        "retries": dict(retries),
        "exhausted": dict(exhausted),
        "bad_queries": bad_queries,
        "errors": errors,
    }


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def format_counts(counts):
    """{"SERIALIZATION_FAILURE": 3} -> "3 (SERIALIZATION_FAILURE 3)"."""
    if not counts:
        return "0"
    return "%s (%s)" % (
        sum(counts.values()),
        ", ".join("%s %s" % item for item in sorted(counts.items())),
    )


def sum_failed_calls(summary):
    return sum(stats["failed"] for stats in summary["calls"].values())


def fmt_seconds(value):
    return "%7.3f" % value if value is not None else "      -"


def print_report(options, fixture, summary, checks, server_log):
    print()
    print(
        "Load test: %s clients x %g s on %s, database %s, seed %s"
        % (options.clients, options.duration, options.url, options.db, options.seed)
    )
    print(
        "Generator %s (id %s), products %s"
        % (fixture["prefix"], fixture["generator_id"], fixture["product_ids"])
    )
    print()
    header = "%-12s %9s %7s %8s %8s %8s %8s"
    print(header % ("entry point", "requests", "failed", "serials", "p50 s",
                    "p95 s", "max s"))  # fmt: skip
    rows = list(summary["entries"].items())
    rows.append(
        (
            "all",
            {
                "requests": summary["requests"],
                "failed": summary["failed"],
                "serials": summary["serials_expected"],
                "latency": summary["latency"],
            },
        )
    )
    for entry, row in rows:
        latency = row["latency"]
        print(
            "%-12s %9s %7s %8s %s  %s  %s"
            % (
                entry,
                row["requests"],
                row["failed"],
                row["serials"],
                fmt_seconds(latency["p50"]),
                fmt_seconds(latency["p95"]),
                fmt_seconds(latency["max"]),
            )
        )
    print(
        "(latency of the measured requests, failed ones included; failed counts "
        "include %s warm-up request(s))" % summary["failed_warmup"]
    )
    elapsed = summary["elapsed"]
    print(
        "Throughput: %.1f requests/s (%.1f successful), %.1f serials/s over %.1f s"
        % (
            summary["throughput"],
            summary["throughput_ok"],
            summary["serials_expected"] / elapsed if elapsed else 0.0,
            elapsed,
        )
    )
    print()
    print("%-52s %6s %6s %8s %8s %8s" % ("RPC", "calls", "failed", "p50 s",
                                         "p95 s", "max s"))  # fmt: skip
    rows = [*summary["calls"].items(), ("all RPCs", summary["rpc_latency"])]
    for name, stats in rows:
        print(
            "%-52s %6s %6s %s  %s  %s"
            % (
                name,
                stats["count"],
                stats.get("failed", sum_failed_calls(summary)),
                fmt_seconds(stats["p50"]),
                fmt_seconds(stats["p95"]),
                fmt_seconds(stats["max"]),
            )
        )
    print()
    print("Failed requests: %s" % summary["failed"])
    for group in summary["errors"][:MAX_ERRORS_SHOWN]:
        entries = ", ".join(
            "%s %s" % (entry, count)
            for entry, count in sorted(group["entries"].items())
        )
        print("  %5sx  %s" % (group["count"], group["message"].splitlines()[0]))
        if entries:
            print("          (%s)" % entries)
    if len(summary["errors"]) > MAX_ERRORS_SHOWN:
        print(
            "  ... %s more distinct errors"
            % (len(summary["errors"]) - MAX_ERRORS_SHOWN)
        )
    if server_log:
        if "error" in server_log:
            print("Server log not read: %s" % server_log["error"])
        else:
            print(
                "Server log: transactions retried on concurrency errors %s, given "
                "up %s; failed queries logged %s, other ERROR lines %s"
                % (
                    format_counts(server_log["retries"]),
                    format_counts(server_log["exhausted"]),
                    server_log["bad_queries"],
                    server_log["errors"],
                )
            )
    print()
    print("Serials of the generator")
    print(
        "  lots %s, blocks %s (%s serials); counter next number %s, highest "
        "number issued %s"
        % (
            checks["lots"],
            checks["blocks"],
            checks["block_serials"],
            checks["counter_next"],
            checks["highest_number"],
        )
    )
    print("  duplicate serial names: %s" % checks["duplicates"])
    for name, count, products in checks["duplicate_examples"]:
        print("    %s x%s (%s)" % (name, count, ", ".join(products)))
    if "sql_duplicates" in checks:
        print("  duplicate serial names in SQL: %s" % checks["sql_duplicates"])
    print("  block ranges overlapping a block or a lot: %s" % checks["overlaps"])
    for example in checks["overlap_examples"]:
        print("    %s" % example)
    print(
        "  serials of successful requests %s, found %s, missing %s"
        % (checks["serials_expected"], checks["serials_found"], checks["missing"])
    )
    print(
        "  numbers taken from the counter %s, not used by a lot or block %s"
        % (checks["numbers_drawn"], checks["numbers_unused"])
    )
    if checks["beyond_counter"]:
        print("  numbers issued at or beyond the counter's next number!")
    if checks["foreign_names"]:
        print(
            "  lots of its products not named by it: %s (%s)"
            % (checks["foreign_names"], ", ".join(checks["foreign_examples"]))
        )
    if checks["block_prefixes"]:
        print("  blocks with another prefix: %s" % checks["block_prefixes"])


def integrity_problems(checks):
    return (
        max(checks["duplicates"], checks.get("sql_duplicates", 0))
        + checks["overlaps"]
        + checks["missing"]
        + int(checks["beyond_counter"])
    )


def main(argv=None):
    options = parse_args(argv)
    try:
        admin = Client(
            options.url, options.db, options.user, options.password, options.timeout
        )
        fixture = setup(admin)
    except (*REQUEST_ERRORS, LoadTestError) as exc:
        print("load test setup failed: %s" % error_message(exc), file=sys.stderr)
        return 2
    print(
        "Setup done: generator %s (id %s); %s clients start their warm-up"
        % (fixture["prefix"], fixture["generator_id"], options.clients),
        flush=True,
    )
    began = time.time()
    reports = run_clients(options, fixture)
    summary = summarize(reports, options)
    try:
        checks = check_serials(admin, fixture, summary["serials_expected"])
        if options.dsn:
            checks["sql_duplicates"] = len(check_serials_sql(options.dsn, fixture))
    except (*REQUEST_ERRORS, LoadTestError) as exc:
        print("load test checks failed: %s" % error_message(exc), file=sys.stderr)
        return 2
    server_log = (
        read_server_log(options.server_log, began) if options.server_log else None
    )
    print_report(options, fixture, summary, checks, server_log)

    p95 = summary["latency" if options.p95_of == "request" else "rpc_latency"]["p95"]
    goals = {
        "no_duplicates": integrity_problems(checks) == 0,
        "no_failures": summary["failed"] == 0,
        "p95": p95 is not None and p95 < options.p95_goal,
    }
    ok = all(goals.values())
    print()
    print(
        "Goals: integrity %s, failed requests %s (goal 0), p95 of %ss %s s "
        "(goal < %g s): %s"
        % (
            "ok" if goals["no_duplicates"] else "BROKEN",
            summary["failed"],
            "request" if options.p95_of == "request" else "RPC",
            "%.3f" % p95 if p95 is not None else "-",
            options.p95_goal,
            "met" if ok else "NOT met",
        )
    )
    result = {
        "result": "pass" if ok else "fail",
        "goals": goals,
        "clients": options.clients,
        "duration": options.duration,
        "seed": options.seed,
        "entry_points": options.entry_points,
        "prefix": fixture["prefix"],
        "elapsed": round(summary["elapsed"], 3),
        "requests": summary["requests"],
        "failed": summary["failed"],
        "failed_warmup": summary["failed_warmup"],
        "crashed_clients": summary["crashed_clients"],
        "throughput": round(summary["throughput"], 3),
        "throughput_ok": round(summary["throughput_ok"], 3),
        "latency": summary["latency"],
        "p95_goal": options.p95_goal,
        "p95_of": options.p95_of,
        "rpc_latency": summary["rpc_latency"],
        "entries": summary["entries"],
        "errors": [
            {**group, "message": group["message"].splitlines()[0]}
            for group in summary["errors"][:MAX_ERRORS_SHOWN]
        ],
        "integrity": {
            key: value for key, value in checks.items() if not key.endswith("_examples")
        },
        "server_log": server_log,
    }
    print(json.dumps(result, sort_keys=True, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

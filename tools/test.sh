#!/usr/bin/env bash
# Run the addon's Python tests with pytest + pytest-odoo against a throwaway
# PostgreSQL cluster and database.   (make test [ARGS="..."])
#
#   1. runs itself again inside pg_virtualenv, which gives it a throwaway
#      PostgreSQL cluster (fsync off etc.) on a free port;
#   2. creates a database and installs stock_serial_allocation WITHOUT demo
#      data (Odoo 19's default; set TEST_WITH_DEMO=1 to load demo data);
#   3. runs pytest on <scratch>/stock_serial_allocation/tests, where the
#      scratch folder holds a symlink to this checkout, so test modules import
#      as odoo.addons.stock_serial_allocation.tests.test_x;
#      --odoo-http starts Odoo's HTTP server so HttpCase / browser tours run
#      (headless Chromium must be installed: chromium / google-chrome);
#   4. deletes its temp dir on exit, also on failure or Ctrl-C; then
#      pg_virtualenv drops the cluster; exits with pytest's exit code.
#
# Extra pytest arguments: command line arguments and/or $PYTEST_ARGS, e.g.
#   tools/test.sh -k serial -x
#   make test ARGS="tests/test_install.py -vv"
#   PYTEST_ARGS="--odoo-log-level=info" make test
# Paths that point into this checkout (tests/..., possibly with ::Class::test)
# are rewritten to the scratch symlink path.
#
# Environment:
#   PYTHON          interpreter that has Odoo 19 + pytest-odoo (python3)
#   TEST_WITH_DEMO  1 = install with demo data (default 0)
#   KEEP_TMP        1 = keep the temp dir (logs, screenshots) after the run
#   PYTEST_ARGS     extra pytest arguments (word-split)
#
# For fast iterations against an already installed database see
# tools/quicktest.sh (make quicktest).
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
if ! "$PYTHON" -c 'import pytest_odoo, websocket' 2>/dev/null; then
    die 2 "pytest-odoo / websocket-client not importable by $PYTHON:" \
        "$PYTHON -m pip install pytest-odoo==2.3.0 websocket-client==1.9.2"
fi
in_throwaway_cluster "$@"

DB_NAME="ssa_test"
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ssa-test.XXXXXX")"
ODOO_CONF="$WORK_DIR/odoo.conf"

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ "${KEEP_TMP:-0}" == "1" ]]; then
        log "kept $WORK_DIR (KEEP_TMP=1)"
    else
        rm -rf "$WORK_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Odoo config and database ----------------------------------------------
ADDON_LINK="$(make_scratch_addons "$WORK_DIR/addons")"
write_odoo_conf "$ODOO_CONF" "$WORK_DIR/addons" "$WORK_DIR/data" "$PG_PORT"
echo "screenshots = $WORK_DIR/screenshots" >>"$ODOO_CONF"

demo_flag=()
if [[ "${TEST_WITH_DEMO:-0}" == "1" ]]; then
    demo_flag=(--with-demo)
fi
# OCA's stock_picking_auto_create_lot, when importable, is installed beside
# the addon: tests/test_oca_auto_create_lot.py checks the two work together.
if "$PYTHON" -c 'import odoo.addons.stock_picking_auto_create_lot' 2>/dev/null; then
    export INSTALL_MODULES="$ADDON_NAME,stock_picking_auto_create_lot"
else
    log "stock_picking_auto_create_lot is not importable: its test is skipped"
fi
install_addon "$ODOO_CONF" "$DB_NAME" "$PG_PORT" "${demo_flag[@]+"${demo_flag[@]}"}"

# --- pytest ------------------------------------------------------------------
rc=0
run_pytest "$WORK_DIR" "$ODOO_CONF" "$DB_NAME" "$ADDON_LINK" "$@" || rc=$?
exit "$rc"

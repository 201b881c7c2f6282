#!/usr/bin/env bash
# Fast test iterations against a database that stays installed in the
# checkout's own cluster (.local/pgdata, the one "make run" uses).
#
#   tools/quicktest.sh [DB] [PYTEST_ARGS...]
#   make quicktest ARGS="tests/test_install.py -x"
#
#   * DB defaults to "serial_test" (never the demo database serial_demo);
#     a first argument made of letters, digits and "_" that is not a path
#     is taken as the database name;
#   * the first run creates DB and installs stock_serial_allocation without
#     demo data (QUICKTEST_WITH_DEMO=1 to load it), later runs reuse it;
#   * UPDATE=1 runs "-u stock_serial_allocation" first: needed after changing
#     fields, views, data or security files; not needed when only Python
#     method bodies or test files changed;
#   * RESET=1 drops DB and installs it afresh;
#   * pytest-odoo runs the tests in transactions that are rolled back, so the
#     database stays clean between runs.
#
# The cluster is left running ("make stop" / "make clean").  Same pytest
# argument handling as tools/test.sh (paths into the checkout are rewritten,
# $PYTEST_ARGS is appended).
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB_NAME="${QUICKTEST_DB:-serial_test}"
if [[ $# -gt 0 && "$1" =~ ^[A-Za-z0-9_]+$ && ! -e "$1" && ! -e "$ADDON_ROOT/$1" ]]; then
    DB_NAME="$1"
    shift
fi
ODOO_CONF="$LOCAL_DIR/odoo-test.conf"
WORK_DIR="$LOCAL_DIR/pytest"

check_odoo
check_postgres
ensure_local_cluster

mkdir -p "$WORK_DIR"
ADDON_LINK="$(make_scratch_addons "$LOCAL_DIR/addons")"
write_odoo_conf "$ODOO_CONF" "$LOCAL_DIR/addons" "$LOCAL_DIR/data" "$LOCAL_PG_PORT"
echo "screenshots = $WORK_DIR/screenshots" >>"$ODOO_CONF"

if [[ "${RESET:-0}" == "1" ]]; then
    log "RESET=1: dropping database '$DB_NAME'"
    "$PYTHON" -m odoo db -c "$ODOO_CONF" drop "$DB_NAME" >/dev/null 2>&1 || true
fi

demo_flag=()
if [[ "${QUICKTEST_WITH_DEMO:-0}" == "1" ]]; then
    demo_flag=(--with-demo)
fi
if [[ "$(module_state "$LOCAL_PG_PORT" "$DB_NAME")" != "installed" ]]; then
    install_addon "$ODOO_CONF" "$DB_NAME" "$LOCAL_PG_PORT" "${demo_flag[@]+"${demo_flag[@]}"}"
elif [[ "${UPDATE:-0}" == "1" ]]; then
    log "UPDATE=1: updating $ADDON_NAME in '$DB_NAME'"
    "$PYTHON" -m odoo server -c "$ODOO_CONF" -d "$DB_NAME" -u "$ADDON_NAME" \
        --stop-after-init --log-level=warn || die 1 "update failed (see the log above)"
fi

rc=0
run_pytest "$WORK_DIR" "$ODOO_CONF" "$DB_NAME" "$ADDON_LINK" "$@" || rc=$?
exit "$rc"

#!/usr/bin/env bash
# Uninstall the addon from a real database and check that Odoo alone still
# names lots from the products' sequences, then install it again over
# Odoo's own deliveries and returns (make test-uninstall).
#
#   1. runs itself again inside pg_virtualenv (a throwaway PostgreSQL
#      cluster) and installs the addon;
#   2. runs tools/check_uninstall.py: allocate, uninstall as Settings > Apps
#      does, then create lots, generate serials and use the manufacturing
#      order's serial dialog with Odoo alone; then Odoo alone delivers and
#      takes back serials, the addon is installed again and every serial
#      must get its status from its quants and moves;
#   3. removes everything (pg_virtualenv drops the cluster); exits 1 when a
#      check failed.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
in_throwaway_cluster "$@"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ssa-uninstall.XXXXXX")"
ODOO_CONF="$WORK_DIR/odoo.conf"

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    rm -rf "$WORK_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_scratch_addons "$WORK_DIR/addons" >/dev/null
write_odoo_conf "$ODOO_CONF" "$WORK_DIR/addons" "$WORK_DIR/data" "$PG_PORT"
echo "log_level = warn" >>"$ODOO_CONF"
install_addon "$ODOO_CONF" ssa_uninstall "$PG_PORT"
"$PYTHON" "$TOOLS_DIR/check_uninstall.py" "$ODOO_CONF" ssa_uninstall

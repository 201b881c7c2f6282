#!/usr/bin/env bash
# Serve the addon with demo data at http://localhost:8069   (make run)
#
#   * keeps a private PostgreSQL cluster in .local/pgdata (gitignored; as
#     root from a folder the postgres user cannot enter, in a folder it can
#     reach, see outside_pgdata in tools/common.sh) on
#     127.0.0.1:5439, creating it on first use and reusing it (running or
#     not) afterwards;
#   * on first use creates the database "serial_demo" and installs
#     stock_serial_allocation WITH demo data (Odoo 19 loads no demo data
#     unless --with-demo is given);  later runs just serve the existing
#     database (no -u: run "tools/run.sh -u stock_serial_allocation" or
#     "make run ARGS='-u stock_serial_allocation'" after changing data files);
#   * serves in the foreground; Ctrl-C stops Odoo.  The cluster is left
#     running for the next run: "make stop" stops it, "make clean" stops it and
#     deletes .local/ (database included).
#
# Login: admin / admin (the admin password Odoo sets on a new database).
#
# Extra arguments are passed to Odoo, e.g.  tools/run.sh --dev=xml,reload
# (make run ARGS="--dev=xml").  Odoo listens on 127.0.0.1 only; pass
# --http-interface=0.0.0.0 to reach it from outside this machine/container.
#
# Environment:
#   PYTHON       interpreter that has Odoo 19 (python3)
#   HTTP_PORT    HTTP port (8069)
#   SSA_PG_PORT  port of the .local cluster when it has to be started (5439)
#   PGDATA_DIR   data dir of the cluster (.local/pgdata or outside_pgdata)
#   DB_NAME      database name (serial_demo)
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HTTP_PORT="${HTTP_PORT:-8069}"
DB_NAME="${DB_NAME:-serial_demo}"
ODOO_CONF="$LOCAL_DIR/odoo.conf"

check_odoo
check_postgres
ensure_local_cluster

make_scratch_addons "$LOCAL_DIR/addons" >/dev/null
write_odoo_conf "$ODOO_CONF" "$LOCAL_DIR/addons" "$LOCAL_DIR/data" "$LOCAL_PG_PORT"

# Install only when the module is not installed yet (new database, or a
# previous first run that was interrupted).
if [[ "$(module_state "$LOCAL_PG_PORT" "$DB_NAME")" != "installed" ]]; then
    install_addon "$ODOO_CONF" "$DB_NAME" "$LOCAL_PG_PORT" --with-demo
else
    log "database '$DB_NAME' already has $ADDON_NAME installed; serving it as is"
fi

cat >&2 <<EOF

  Odoo 19 with $ADDON_NAME (database '$DB_NAME', demo data)
  URL:    http://localhost:$HTTP_PORT/web/login
  Login:  admin    Password: admin
  Stop:   Ctrl-C   (PostgreSQL keeps running: 'make stop' / 'make clean')

EOF

exec "$PYTHON" -m odoo server -c "$ODOO_CONF" -d "$DB_NAME" \
    --db-filter="^${DB_NAME}\$" --http-port="$HTTP_PORT" "$@"

#!/usr/bin/env bash
# Load test of serial allocation under concurrent clients   (make load-test)
#
#   1. runs itself again inside pg_virtualenv, which gives it a throwaway
#      PostgreSQL cluster (fsync off etc.) on a free port;
#   2. creates a database and installs stock_serial_allocation WITH demo data;
#   3. starts Odoo as a real multi-process server in the background
#      (--workers=4, no cron thread, http on 127.0.0.1:8079 by default) and
#      waits until it answers;
#   4. runs bench/load_test.py against it: $CLIENTS client processes drawing
#      serials from one generator for $DURATION seconds over XML-RPC (see the
#      script's docstring and bench/README.md), and exits with its exit code
#      (0 = no duplicate serial, no failed request, p95 below the goal);
#   5. stops Odoo and deletes the temp dir on exit, also on failure or
#      Ctrl-C; then pg_virtualenv drops the cluster.
#
# Extra arguments go to bench/load_test.py (they win over the defaults
# below), e.g.
#   tools/load_test.sh --seed 42 --entry-points block,lot_batch
#   make load-test ARGS="--p95-goal 2"
#   CLIENTS=2 DURATION=10 make load-test
#
# Environment:
#   PYTHON           interpreter that has Odoo 19 (python3)
#   CLIENTS          concurrent client processes (8)
#   DURATION         seconds of measured load (30)
#   HTTP_PORT        port of the Odoo server (8079; when unset and 8079 is
#                    taken, a free port is used)
#   WORKERS          Odoo HTTP worker processes (4)
#   LIMIT_TIME_REAL  Odoo's --limit-time-real, seconds per request (120)
#   START_TIMEOUT    seconds to wait for the server to answer (180)
#   KEEP_TMP         1 = keep the temp dir (Odoo's log odoo.log, its output
#                    odoo.out) after the run
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CLIENTS="${CLIENTS:-8}"
DURATION="${DURATION:-30}"
WORKERS="${WORKERS:-4}"
LIMIT_TIME_REAL="${LIMIT_TIME_REAL:-120}"
START_TIMEOUT="${START_TIMEOUT:-180}"

check_odoo
in_throwaway_cluster "$@"

# port_is_free PORT -> status 0 when nothing listens on 127.0.0.1:PORT.
port_is_free() {
    "$PYTHON" -c 'import socket, sys
s = socket.socket()
# As servers do: connections of an earlier run in TIME_WAIT do not count.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()' "$1"
}

if [[ -n "${HTTP_PORT:-}" ]]; then
    port_is_free "$HTTP_PORT" || die 2 "port $HTTP_PORT is in use (set HTTP_PORT)"
elif port_is_free 8079; then
    HTTP_PORT=8079
else
    HTTP_PORT="$(free_port)"
    log "port 8079 is in use: serving on $HTTP_PORT"
fi

DB_NAME="ssa_load"
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ssa-load.XXXXXX")"
ODOO_CONF="$WORK_DIR/odoo.conf"
ODOO_LOG="$WORK_DIR/odoo.log"
ODOO_OUT="$WORK_DIR/odoo.out"
ODOO_PID=""

# stop_odoo: SIGTERM (the master stops its workers), SIGKILL after 30 s.
stop_odoo() {
    local waited=0
    [[ -n "$ODOO_PID" ]] || return 0
    if kill -0 "$ODOO_PID" 2>/dev/null; then
        log "stopping Odoo (pid $ODOO_PID)"
        kill -TERM "$ODOO_PID" 2>/dev/null || true
        while kill -0 "$ODOO_PID" 2>/dev/null && ((waited < 30)); do
            sleep 1
            waited=$((waited + 1))
        done
        if kill -0 "$ODOO_PID" 2>/dev/null; then
            log "Odoo did not stop in 30 s: killing it"
            kill -KILL "$ODOO_PID" 2>/dev/null || true
        fi
    fi
    wait "$ODOO_PID" 2>/dev/null || true
    ODOO_PID=""
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_odoo
    if [[ "${KEEP_TMP:-0}" == "1" ]]; then
        log "kept $WORK_DIR (KEEP_TMP=1; Odoo's log: $ODOO_LOG)"
    else
        rm -rf "$WORK_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for_odoo URL TIMEOUT: until /web/health answers; dies when the server
# exits or does not answer in time.
wait_for_odoo() {
    local url="$1" timeout="$2" start=$SECONDS
    log "waiting for Odoo at $url"
    until "$PYTHON" -c 'import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1] + "/web/health", timeout=5).read()
except OSError:
    sys.exit(1)' "$url" 2>/dev/null; do
        if ! kill -0 "$ODOO_PID" 2>/dev/null; then
            tail -n 40 "$ODOO_LOG" "$ODOO_OUT" >&2 || true
            die 1 "Odoo exited before answering (see its log above)"
        fi
        if ((SECONDS - start > timeout)); then
            tail -n 40 "$ODOO_LOG" "$ODOO_OUT" >&2 || true
            die 1 "Odoo did not answer at $url within ${timeout}s"
        fi
        sleep 1
    done
    log "Odoo answers after $((SECONDS - start))s"
}

# --- Odoo config and database (demo data) ----------------------------------
make_scratch_addons "$WORK_DIR/addons" >/dev/null
write_odoo_conf "$ODOO_CONF" "$WORK_DIR/addons" "$WORK_DIR/data" "$PG_PORT"
install_addon "$ODOO_CONF" "$DB_NAME" "$PG_PORT" --with-demo

# --- Odoo as a multi-process server ------------------------------------------
# Odoo is started from a script file, as odoo-bin does, in the same
# interpreter. Its prefork master also keeps a gevent (websocket) process
# running, started by running that file again with "gevent": the clients
# open no websocket, so an idle process stands in for it (it would otherwise
# take memory and CPU from the measurement, and where gevent cannot start,
# be respawned over and over). It exits with the master.
cat >"$WORK_DIR/odoo_server.py" <<'EOF'
import os
import sys
import time

if sys.argv[1:2] == ["gevent"]:
    master = os.getppid()
    while os.getppid() == master:
        time.sleep(1)
else:
    import odoo.cli

    odoo.cli.main()
EOF
# odoo.service.model at INFO: the retries of transactions on concurrency
# errors are logged, and load_test.py counts them. XML-RPC's deprecation
# notice (one per request) is left out of the log.
log "starting Odoo: $WORKERS workers on 127.0.0.1:$HTTP_PORT (log: $ODOO_LOG)"
"$PYTHON" "$WORK_DIR/odoo_server.py" server -c "$ODOO_CONF" -d "$DB_NAME" \
    --db-filter="^${DB_NAME}\$" \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" \
    --gevent-port="$(free_port)" \
    --workers="$WORKERS" --max-cron-threads=0 \
    --limit-time-real="$LIMIT_TIME_REAL" --limit-time-cpu="$LIMIT_TIME_REAL" \
    --log-level=warn --log-handler=odoo.service.model:INFO \
    --log-handler=odoo.addons.rpc.controllers.xmlrpc:ERROR \
    --logfile="$ODOO_LOG" </dev/null >"$ODOO_OUT" 2>&1 &
ODOO_PID=$!
URL="http://127.0.0.1:$HTTP_PORT"
wait_for_odoo "$URL" "$START_TIMEOUT"

# --- load test -----------------------------------------------------------------
rc=0
"$PYTHON" "$ADDON_ROOT/bench/load_test.py" --url "$URL" --db "$DB_NAME" \
    --user admin --password admin \
    --clients "$CLIENTS" --duration "$DURATION" \
    --dsn "host=$PG_HOST port=$PG_PORT dbname=$DB_NAME user=$PG_SUPERUSER password=$PG_PASSWORD" \
    --server-log "$ODOO_LOG" \
    "$@" || rc=$?
if ! kill -0 "$ODOO_PID" 2>/dev/null; then
    log "Odoo exited during the load test"
    tail -n 40 "$ODOO_LOG" "$ODOO_OUT" >&2 || true
    ((rc != 0)) || rc=1
fi
exit "$rc"

#!/usr/bin/env bash
# Stop the checkout's PostgreSQL cluster and delete local state.
#
#   tools/clean.sh          (make clean)  stop the kept cluster's server,
#                           delete .local/ (cluster, demo and quicktest
#                           databases, filestore, generated configs), the
#                           cluster kept outside the checkout when PostgreSQL
#                           could not reach .local/, and Python/ruff/pytest
#                           caches in the checkout;
#   tools/clean.sh --stop   (make stop)   only stop the server, keep the data.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stop_only=0
case "${1:-}" in
"") ;;
--stop) stop_only=1 ;;
*) die 2 "usage: $0 [--stop]" ;;
esac

if [[ -f "$LOCAL_PGDATA/postmaster.pid" ]]; then
    check_postgres
    pg_stop "$LOCAL_PGDATA"
elif ((stop_only)); then
    log "no PostgreSQL server running on $LOCAL_PGDATA"
fi
if ((stop_only)); then
    exit 0
fi

if [[ "$LOCAL_PGDATA" == "$LOCAL_OUTSIDE_PGDATA" && -d "$LOCAL_PGDATA" ]]; then
    # The cluster kept outside the checkout (see outside_pgdata).
    log "removing $(dirname "$LOCAL_PGDATA")"
    rm -rf "$(dirname "$LOCAL_PGDATA")"
fi
log "removing $LOCAL_DIR and caches"
rm -rf "$LOCAL_DIR" "$ADDON_ROOT/.pytest_cache" "$ADDON_ROOT/.ruff_cache"
find "$ADDON_ROOT" -name .git -prune -o -name __pycache__ -type d -prune \
    -exec rm -rf {} + 2>/dev/null || true

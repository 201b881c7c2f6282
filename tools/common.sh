# shellcheck shell=bash
# Shared helpers for the developer scripts in tools/.
#
# This file is *sourced* by the scripts in tools/ and by .ci/run; it is not
# meant to be executed directly.
#
# Conventions
#   * Every path is derived from the location of this file: the git checkout
#     root IS the addon, whatever the checkout folder is called.
#   * Odoo is always started as "$PYTHON -m odoo" so that Odoo, pytest and
#     pytest-odoo run in the very same interpreter.
#   * Throwaway clusters (make test, test-odoo, test-uninstall, load-test)
#     come from Debian's pg_virtualenv (see in_throwaway_cluster): the script
#     runs again inside it and Odoo connects with the credentials it exports.
#   * The checkout's kept cluster (.local/pgdata, make run and quicktest) is
#     run here with initdb / pg_ctl.  It listens on 127.0.0.1 only, and on a
#     unix socket inside its data dir.  Odoo connects over TCP with the
#     superuser role "odoo" / password "odoo" (Odoo refuses to connect as the
#     "postgres" role, so the cluster's bootstrap superuser is named "odoo").
#     PostgreSQL refuses to run as root: when these scripts run as root the
#     server (initdb, pg_ctl) runs as the "postgres" OS user, which is created
#     if missing, and the data dir is chowned to it.  When that user cannot
#     reach .local/ (a checkout under /root), the cluster is kept in a folder
#     it can reach instead (see outside_pgdata).

# ---------------------------------------------------------------------------
# Paths and defaults
# ---------------------------------------------------------------------------
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ADDON_ROOT="$(cd "$TOOLS_DIR/.." && pwd -P)"
ADDON_NAME="stock_serial_allocation"
LOCAL_DIR="$ADDON_ROOT/.local"
PYTHON="${PYTHON:-python3}"

# Credentials of the cluster superuser used by Odoo: those of the .local
# cluster; in_throwaway_cluster replaces them with pg_virtualenv's.
PG_SUPERUSER="odoo"
PG_PASSWORD="odoo"
PG_HOST="127.0.0.1"

# OS user that runs the .local PostgreSQL server when we are root.
PG_OS_USER="${PG_OS_USER:-postgres}"

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------
_script_name="$(basename "${0:-tools}")"

log() {
    printf '[%s] %s\n' "$_script_name" "$*" >&2
}

# die EXIT_CODE MESSAGE...
die() {
    local code="$1"
    shift
    printf '[%s] ERROR: %s\n' "$_script_name" "$*" >&2
    exit "$code"
}

# ---------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------

# Exit 2 with install instructions unless "$PYTHON" can import Odoo 19.x.
check_odoo() {
    local version
    if ! version="$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null)"; then
        version=""
    fi
    if [[ "$version" != "19" ]]; then
        cat >&2 <<EOF
[$_script_name] ERROR: Odoo 19.0 is not importable by '$PYTHON'${version:+ (found Odoo $version)}.
  Install Odoo 19.0 Community from source into this Python, e.g.:
      git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git odoo19
      cd odoo19
      $PYTHON -m pip install -r requirements.txt
      $PYTHON -m pip install -e .
  (set PYTHON=/path/to/python to use another interpreter)
EOF
        exit 2
    fi
}

# Make initdb / pg_ctl / postgres reachable for the .local cluster: use PATH
# first, then the newest Debian-style /usr/lib/postgresql/<version>/bin.
# Exit 2 if not found.
check_postgres() {
    local missing=() bin dir
    for bin in initdb pg_ctl postgres; do
        command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
    done
    if ((${#missing[@]})); then
        for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
            if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
                export PATH="$dir:$PATH"
                missing=()
                break
            fi
        done
    fi
    if ((${#missing[@]})); then
        cat >&2 <<EOF
[$_script_name] ERROR: PostgreSQL server binaries not found: ${missing[*]}
  Looked on PATH and in /usr/lib/postgresql/*/bin.
  Install the PostgreSQL server (e.g. 'apt-get install postgresql' on
  Debian/Ubuntu) or put its bin/ directory on PATH.
EOF
        exit 2
    fi
    if [[ $EUID -eq 0 ]]; then
        ensure_pg_os_user
    fi
}

# When root: make sure the OS user that will run PostgreSQL exists.
ensure_pg_os_user() {
    if ! id "$PG_OS_USER" >/dev/null 2>&1; then
        log "creating system user '$PG_OS_USER' to run PostgreSQL"
        useradd --system --user-group --no-create-home \
            --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER" ||
            die 2 "could not create OS user '$PG_OS_USER'"
    fi
}

# ---------------------------------------------------------------------------
# Small utilities
# ---------------------------------------------------------------------------

# Print a free TCP port on 127.0.0.1.
free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Create (or refresh) a scratch addons folder DIR holding one symlink named
# after the addon and pointing at the checkout root, so Odoo, pytest-odoo and
# pylint-odoo see a folder called stock_serial_allocation regardless of the
# checkout's own folder name.  Prints the path of the addon symlink.
make_scratch_addons() {
    local dir="$1"
    mkdir -p "$dir"
    ln -sfn "$ADDON_ROOT" "$dir/$ADDON_NAME"
    printf '%s\n' "$dir/$ADDON_NAME"
}

# Run a command as the PostgreSQL OS user when root, else as ourselves.  As
# root it runs from /, as that user may not enter the current folder (the
# paths given are absolute).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

# Give DIR to the PostgreSQL OS user when root (no-op otherwise).
pg_own() {
    if [[ $EUID -eq 0 ]]; then
        chown -R "$PG_OS_USER:" "$@"
    fi
}

# ---------------------------------------------------------------------------
# PostgreSQL cluster management
# ---------------------------------------------------------------------------

# pg_init DATADIR
# Create a new cluster in DATADIR (must not exist or be empty) whose bootstrap
# superuser is "odoo" with password "odoo".  Socket connections are trusted
# (the socket lives in the 0700 data dir), TCP needs the password.
pg_init() {
    local datadir="$1" pwfile initlog
    mkdir -p "$datadir"
    chmod 0700 "$datadir"
    pg_own "$datadir"
    if [[ $EUID -eq 0 ]] && ! runuser -u "$PG_OS_USER" -- test -w "$datadir"; then
        die 2 "'$PG_OS_USER' cannot write to $datadir (a parent folder is not" \
            "traversable by it?); set PGDATA_DIR to a folder it can reach"
    fi
    pwfile="$(mktemp)"
    printf '%s\n' "$PG_PASSWORD" >"$pwfile"
    pg_own "$pwfile"
    initlog="$(mktemp)"
    log "initdb $datadir"
    if ! as_pg initdb --pgdata="$datadir" --username="$PG_SUPERUSER" \
        --pwfile="$pwfile" --encoding=UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$initlog" 2>&1; then
        cat "$initlog" >&2
        rm -f "$pwfile" "$initlog"
        die 1 "initdb failed"
    fi
    rm -f "$pwfile" "$initlog"
}

# pg_is_running DATADIR  -> status 0 if a server is running on DATADIR.
pg_is_running() {
    [[ -f "$1/postmaster.pid" ]] && as_pg pg_ctl --pgdata="$1" status >/dev/null 2>&1
}

# pg_running_port DATADIR -> the port of the running server (postmaster.pid).
pg_running_port() {
    sed -n '4p' "$1/postmaster.pid"
}

# pg_start DATADIR PORT
# Start the cluster on 127.0.0.1:PORT with its unix socket in DATADIR.
pg_start() {
    local datadir port="$2" sockdir opts
    datadir="$(cd "$1" && pwd -P)"
    sockdir="$datadir"
    # Unix socket paths are limited to ~107 bytes; for very deep checkouts
    # disable the socket, Odoo uses TCP anyway.
    if ((${#sockdir} > 90)); then
        sockdir=""
    fi
    opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$sockdir'"
    opts+=" -c max_connections=200"
    log "starting PostgreSQL on 127.0.0.1:$port (data: $datadir)"
    # The server outlives this script: start it from a subshell that first
    # closes every inherited file descriptor above stderr, so it does not keep
    # e.g. a caller's "flock LOCKFILE make test" lock (or a pipe) open forever.
    if ! (
        for fd in /proc/"$BASHPID"/fd/*; do
            fd="${fd##*/}"
            if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then
                eval "exec $fd>&-"
            fi
        done
        exec </dev/null
        as_pg pg_ctl --pgdata="$datadir" --log="$datadir/server.log" \
            --options="$opts" --wait --timeout=60 start >/dev/null
    ); then
        tail -n 30 "$datadir/server.log" >&2 || true
        die 1 "PostgreSQL failed to start (see $datadir/server.log)"
    fi
}

# pg_stop DATADIR  (no-op when not running)
pg_stop() {
    local datadir="$1"
    if pg_is_running "$datadir"; then
        log "stopping PostgreSQL ($datadir)"
        as_pg pg_ctl --pgdata="$datadir" --mode=fast --wait stop >/dev/null || true
    fi
}

# pg_query PORT DBNAME SQL  -> prints the first column of the first row, or
# nothing (exit 1) if the database does not exist / the query fails.  Uses
# psycopg2, which Odoo requires anyway, so no psql client is needed.
pg_query() {
    "$PYTHON" - "$1" "$2" "$3" <<EOF 2>/dev/null
import sys
import psycopg2
port, dbname, sql = sys.argv[1:4]
try:
    conn = psycopg2.connect(host="$PG_HOST", port=int(port), dbname=dbname,
                            user="$PG_SUPERUSER", password="$PG_PASSWORD")
except psycopg2.OperationalError:
    sys.exit(1)
with conn, conn.cursor() as cr:
    cr.execute(sql)
    row = cr.fetchone() if cr.description else None
    if row is not None:
        print(row[0])
conn.close()
EOF
}

# module_state PORT DBNAME -> "installed", "to install", ... or "" if the
# database or the module row does not exist.
module_state() {
    pg_query "$1" "$2" \
        "SELECT state FROM ir_module_module WHERE name = '$ADDON_NAME'" || true
}

# write_odoo_conf FILE ADDONS_DIR DATA_DIR PORT
# Write an Odoo configuration file for the cluster on PG_HOST:PORT, to be
# reached as PG_SUPERUSER / PG_PASSWORD.
write_odoo_conf() {
    local file="$1" addons="$2" data="$3" port="$4"
    cat >"$file" <<EOF
; Generated by tools/$(basename "$0"); do not edit, it is rewritten each run.
[options]
addons_path = $addons
data_dir = $data
db_host = $PG_HOST
db_port = $port
db_user = $PG_SUPERUSER
db_password = $PG_PASSWORD
list_db = False
http_interface = 127.0.0.1
workers = 0
max_cron_threads = 0
EOF
}

# ---------------------------------------------------------------------------
# The checkout's own long-lived cluster (.local/pgdata, or outside_pgdata
# when the PostgreSQL OS user cannot reach .local), shared by tools/run.sh
# and tools/quicktest.sh.
# ---------------------------------------------------------------------------
LOCAL_PG_PORT="${SSA_PG_PORT:-5439}"

# outside_pgdata -> the data dir of the kept cluster when the PostgreSQL OS
# user cannot reach .local/ (run as root from a checkout under a folder only
# root may enter, e.g. /root): a folder it can reach, named after the
# checkout so that every run (and make stop / make clean) finds it again.
# SSA_PG_CLUSTERS_DIR chooses where (default: /var/lib/postgresql/
# stock_serial_allocation when PostgreSQL's home exists, else /tmp/...).
outside_pgdata() {
    local base="${SSA_PG_CLUSTERS_DIR:-}" hash
    if [[ -z "$base" && -d /var/lib/postgresql ]]; then
        base=/var/lib/postgresql/stock_serial_allocation
    fi
    base="${base:-/tmp/stock_serial_allocation-pgdata}"
    hash="$(printf '%s' "$ADDON_ROOT" | sha1sum | cut -c1-10)"
    printf '%s/%s-%s/pgdata\n' "$base" "$(basename "$ADDON_ROOT")" "$hash"
}

# The kept cluster's data dir: PGDATA_DIR when set, else the cluster that
# exists (.local/pgdata first, then outside_pgdata), else .local/pgdata
# (ensure_local_cluster moves it outside when it has to).
LOCAL_OUTSIDE_PGDATA="$(outside_pgdata)"
if [[ -n "${PGDATA_DIR:-}" ]]; then
    LOCAL_PGDATA="$(realpath -m "$PGDATA_DIR")"
elif [[ ! -f "$LOCAL_DIR/pgdata/PG_VERSION" && -f "$LOCAL_OUTSIDE_PGDATA/PG_VERSION" ]]; then
    LOCAL_PGDATA="$LOCAL_OUTSIDE_PGDATA"
else
    LOCAL_PGDATA="$LOCAL_DIR/pgdata"
fi

# ensure_local_cluster: create the kept cluster if needed and start it
# unless it is already running; sets LOCAL_PG_PORT to the port it listens on.
ensure_local_cluster() {
    mkdir -p "$LOCAL_DIR"
    if [[ ! -f "$LOCAL_PGDATA/PG_VERSION" ]]; then
        if [[ $EUID -eq 0 && -z "${PGDATA_DIR:-}" ]] &&
            ! runuser -u "$PG_OS_USER" -- test -x "$LOCAL_DIR"; then
            # PostgreSQL's user cannot enter the checkout: keep the cluster
            # where it can, the rest (configs, filestore) stays in .local.
            LOCAL_PGDATA="$LOCAL_OUTSIDE_PGDATA"
            log "'$PG_OS_USER' cannot reach $LOCAL_DIR: the cluster goes to" \
                "$LOCAL_PGDATA ('make clean' deletes it)"
            mkdir -p "$(dirname "$LOCAL_PGDATA")"
        fi
        pg_init "$LOCAL_PGDATA"
    fi
    if pg_is_running "$LOCAL_PGDATA"; then
        LOCAL_PG_PORT="$(pg_running_port "$LOCAL_PGDATA")"
        log "reusing PostgreSQL on 127.0.0.1:$LOCAL_PG_PORT ($LOCAL_PGDATA)"
    else
        pg_start "$LOCAL_PGDATA" "$LOCAL_PG_PORT"
    fi
}

# ---------------------------------------------------------------------------
# Throwaway clusters: Debian's pg_virtualenv (postgresql-common)
# ---------------------------------------------------------------------------

# in_throwaway_cluster "$@"   (first thing a script does, with its arguments)
# First call: run the calling script again, with the same arguments, inside
# pg_virtualenv, and exit with its status.  pg_virtualenv creates a cluster
# in a temp dir, exports PGHOST, PGPORT, PGUSER and PGPASSWORD, runs the
# script, then stops the cluster and deletes it, also on failure or Ctrl-C
# (when the script fails it also prints the tail of the server's log).
#   -t       the temp dir also when root: otherwise root's cluster is
#            registered in /etc/postgresql as "<version>/regress", so a
#            second run at the same time would refuse to start;
#   PGPORT   a free port: pg_createcluster would take the first port from
#            5432 up that no cluster of its own uses, e.g. the .local one's;
#   -o       durability traded for speed (pg_virtualenv sets fsync=off).
# SSA_PG_VERSION chooses the server version (default: the newest installed).
# Second call (inside): take over the exported credentials.  As root the
# cluster's superuser is "postgres", which Odoo refuses to connect as, so a
# superuser "odoo" with the same password is created and used instead.
in_throwaway_cluster() {
    if [[ -z "${SSA_IN_PG_VIRTUALENV:-}" ]]; then
        command -v pg_virtualenv >/dev/null 2>&1 ||
            die 2 "pg_virtualenv not found: install Debian's postgresql-common" \
                "and a PostgreSQL server (e.g. 'apt-get install postgresql')"
        PGPORT="$(free_port)" SSA_IN_PG_VIRTUALENV=1 exec pg_virtualenv -t \
            ${SSA_PG_VERSION:+-v "$SSA_PG_VERSION"} -i "--encoding=UTF8 --locale=C" \
            -o synchronous_commit=off -o full_page_writes=off -o max_connections=200 \
            "$BASH" "$0" "$@"
    fi
    PG_HOST="$PGHOST"
    PG_PORT="$PGPORT"
    PG_SUPERUSER="$PGUSER"
    PG_PASSWORD="$PGPASSWORD"
    # Odoo would take PGDATABASE ("postgres") as its database when no -d.
    unset PGDATABASE
    if [[ "$PG_SUPERUSER" == "postgres" ]]; then
        pg_query "$PG_PORT" postgres \
            "CREATE ROLE odoo LOGIN SUPERUSER PASSWORD '$PG_PASSWORD'" ||
            die 1 "could not create the role 'odoo' in the throwaway cluster"
        PG_SUPERUSER="odoo"
        export PGUSER="odoo"
    fi
    log "throwaway PostgreSQL $PGVERSION on $PG_HOST:$PG_PORT, role $PG_SUPERUSER"
}

# ---------------------------------------------------------------------------
# pytest + pytest-odoo
# ---------------------------------------------------------------------------

# run_pytest WORK_DIR ODOO_CONF DB_NAME ADDON_LINK [PYTEST_ARGS...]
# Run pytest with pytest-odoo on an installed database.  A private ini file
# (in WORK_DIR) and rootdir (the scratch addons folder) keep pytest away from
# any configuration found elsewhere; the cache provider is off so nothing is
# written to the checkout.
# $PYTEST_ARGS (word-split) is appended to the arguments.  Arguments that are
# paths into the checkout (relative to the cwd or to the checkout root,
# optionally followed by ::Class::test) are rewritten to the scratch symlink
# path so the test modules import as odoo.addons.stock_serial_allocation.*.
# Without any path argument the addon's tests/ folder is run.
# Returns pytest's exit code.
run_pytest() {
    local work_dir="$1" conf="$2" db="$3" link="$4"
    shift 4
    local extra=() args=() arg file rest abs have_path=0 rc=0

    cat >"$work_dir/pytest.ini" <<'INI'
[pytest]
python_files = test_*.py
addopts = --import-mode=prepend
filterwarnings =
    ignore:the load_module\(\) method is deprecated:DeprecationWarning
INI

    if [[ -n "${PYTEST_ARGS:-}" ]]; then
        read -r -a extra <<<"$PYTEST_ARGS"
    fi
    extra+=("$@")

    for arg in "${extra[@]+"${extra[@]}"}"; do
        file="${arg%%::*}"
        rest="${arg#"$file"}"
        if [[ "$arg" != -* && ("$file" == *.py || "$file" == */* || "$file" == tests) ]]; then
            abs=""
            if [[ -e "$file" ]]; then
                abs="$(cd "$(dirname "$file")" && pwd -P)/$(basename "$file")"
            elif [[ -e "$ADDON_ROOT/$file" ]]; then
                abs="$ADDON_ROOT/$file"
            fi
            abs="${abs%/.}"
            if [[ -n "$abs" && "$abs" == "$ADDON_ROOT"/* ]]; then
                arg="$link/${abs#"$ADDON_ROOT"/}$rest"
                have_path=1
            elif [[ -n "$abs" ]]; then
                # a path outside the checkout (e.g. another addon's tests)
                arg="$abs$rest"
                have_path=1
            fi
        fi
        args+=("$arg")
    done
    if ((have_path == 0)); then
        args=("$link/tests" "${args[@]+"${args[@]}"}")
    fi

    log "running pytest ${args[*]}"
    (
        cd "$(dirname "$link")"
        "$PYTHON" -m pytest -c "$work_dir/pytest.ini" --rootdir="$(dirname "$link")" \
            -p no:cacheprovider \
            --odoo-config="$conf" --odoo-database="$db" --odoo-http \
            "${args[@]}"
    ) || rc=$?
    return "$rc"
}

# install_addon ODOO_CONF DB_NAME PORT [odoo args...]
# Create DB_NAME if needed and install the addon (-i) into it, with the
# modules of $INSTALL_MODULES when set (a comma-separated list that includes
# the addon); extra arguments go to Odoo (e.g. --with-demo).  Dies unless the
# module ends up installed.
install_addon() {
    local conf="$1" db="$2" port="$3" state start=$SECONDS
    shift 3
    log "installing ${INSTALL_MODULES:-$ADDON_NAME} into database '$db' $*"
    if ! "$PYTHON" -m odoo server -c "$conf" -d "$db" -i "${INSTALL_MODULES:-$ADDON_NAME}" \
        "$@" --stop-after-init --log-level=warn; then
        die 1 "installing $ADDON_NAME failed (see the log above)"
    fi
    state="$(module_state "$port" "$db")"
    if [[ "$state" != "installed" ]]; then
        die 1 "$ADDON_NAME is '${state:-missing}' in '$db' after install (see the log above)"
    fi
    log "installed in $((SECONDS - start))s"
}

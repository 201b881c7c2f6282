#!/usr/bin/env bash
# Run Odoo's own test suites of the modules this addon extends, with the addon
# installed, and compare the failures with the measured list of failures of
# the same Odoo build without it.   (make test-odoo, make test-odoo-quick)
#
#   tools/test_odoo.sh [--baseline] [--quick] [runner|pytest|all]
#
# Two ways, each checked against its own list in tools/odoo_known_failures/:
#   runner  Odoo's own test runner: "-i stock_serial_allocation" into a fresh
#           database with "--test-tags post_install/stock,...". Odoo runs a
#           module's at_install tests while installing that module, before
#           ours is loaded, so only the post_install tests (browser tours
#           included) can meet our code: those are the ones selected.
#   pytest  pytest-odoo on a database where the addon is already installed:
#           every test of the core test folders (at_install ones included)
#           runs with our code loaded; browser tours, which the runner way
#           runs already, are left out ("-k 'not tour'").
#   all     both (the default; what .ci/run runs).
#
# Options:
#   --baseline  install the addon's dependencies instead of the addon, to
#               measure the Odoo build's own failures; prints the list to put
#               into tools/odoo_known_failures/<way>.txt (with reasons).
#   --quick     pytest only, on the core test files about what the addon
#               overrides (serial numbers, lots, receipts, manufacturing
#               serials, the picking tours): a few minutes, for daily work.
#
# Exit status: 0 when no test fails beyond its list; 1 otherwise (the new
# failures are listed); 2 for a missing prerequisite.  KEEP_TMP=1 keeps the
# logs; ODOO_TEST_MODULES overrides the tested core modules; ODOO_TEST_FILES
# ("stock/tests/test_move.py ...") runs those core test files as --quick does.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BASELINE=0
QUICK=0
WAY="all"
for arg in "$@"; do
    case "$arg" in
    --baseline) BASELINE=1 ;;
    --quick) QUICK=1 ;;
    runner | pytest | all) WAY="$arg" ;;
    *) die 2 "unknown argument '$arg' (see the header of $0)" ;;
    esac
done

check_odoo
if [[ "$WAY" != "runner" ]] && ! "$PYTHON" -c 'import pytest_odoo, websocket' 2>/dev/null; then
    die 2 "pytest-odoo / websocket-client not importable by $PYTHON:" \
        "$PYTHON -m pip install pytest-odoo==2.3.0 websocket-client==1.9.2"
fi
# A throwaway PostgreSQL cluster: this script runs again inside pg_virtualenv.
in_throwaway_cluster "$@"

read -r -a MODULES <<<"${ODOO_TEST_MODULES:-stock purchase_stock mrp stock_account}"
KNOWN_DIR="$TOOLS_DIR/odoo_known_failures"
# The core test files that exercise what the addon overrides.
QUICK_FILES=(
    stock/tests/test_generate_serial_numbers.py
    stock/tests/test_stock_lot.py
    stock/tests/test_move_lines.py
    stock/tests/test_quant_inventory_mode.py
    stock/tests/test_picking_tours.py
    purchase_stock/tests/test_purchase_order.py
    mrp/tests/test_order.py
    mrp/tests/test_traceability.py
)
ODOO_ADDONS="$("$PYTHON" -c 'import os, odoo.addons.stock as m; print(os.path.dirname(os.path.dirname(m.__file__)))')"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ssa-odoo-tests.XXXXXX")"
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

ADDON_LINK="$(make_scratch_addons "$WORK_DIR/addons")"
# pytest puts its root folder on sys.path: give it only the tested addons
# (Odoo's addons folder holds "calendar", which hides Python's own).
CORE_TESTS="$WORK_DIR/core"
mkdir -p "$CORE_TESTS"
for module in "${MODULES[@]}"; do
    ln -sfn "$ODOO_ADDONS/$module" "$CORE_TESTS/$module"
done
write_odoo_conf "$ODOO_CONF" "$WORK_DIR/addons" "$WORK_DIR/data" "$PG_PORT"
echo "screenshots = $WORK_DIR/screenshots" >>"$ODOO_CONF"

if ((BASELINE)); then
    INSTALL="$("$PYTHON" -c 'import ast, sys; print(",".join(ast.literal_eval(open(sys.argv[1]).read())["depends"]))' "$ADDON_ROOT/__manifest__.py")"
    log "baseline: installing $INSTALL, without $ADDON_NAME"
else
    INSTALL="$ADDON_NAME"
fi

# The selection, as test files (pytest) and as test tags (runner).
pytest_paths=()
runner_tags=()
if [[ -n "${ODOO_TEST_FILES:-}" ]]; then
    read -r -a QUICK_FILES <<<"$ODOO_TEST_FILES"
    QUICK=1
fi
if ((QUICK)); then
    WAY="pytest"
    for file in "${QUICK_FILES[@]}"; do
        [[ " ${MODULES[*]} " == *" ${file%%/*} "* ]] && pytest_paths+=("$CORE_TESTS/$file")
    done
else
    for module in "${MODULES[@]}"; do
        pytest_paths+=("$CORE_TESTS/$module/tests")
        runner_tags+=("post_install/$module")
    done
fi

status=0
# ensure_pytest_db: the database of the pytest way, installed once.
PYTEST_DB_READY=0
ensure_pytest_db() {
    ((PYTEST_DB_READY)) && return 0
    if ((BASELINE)); then
        log "installing $INSTALL into database 'ssa_odoo_pytest'"
        "$PYTHON" -m odoo server -c "$ODOO_CONF" -d ssa_odoo_pytest -i "$INSTALL" \
            --stop-after-init --log-level=warn || die 1 "installing $INSTALL failed"
    else
        install_addon "$ODOO_CONF" ssa_odoo_pytest "$PG_PORT"
    fi
    cat >"$WORK_DIR/pytest.ini" <<'INI'
[pytest]
python_files = test_*.py
addopts = --import-mode=prepend
filterwarnings =
    ignore::DeprecationWarning
INI
    PYTEST_DB_READY=1
}

# run_core_pytest JUNIT_XML LOG PATHS...: pytest-odoo on the pytest database.
run_core_pytest() {
    local junit="$1" logfile="$2" select=()
    shift 2
    # The full run leaves the tours to the runner way; the quick files are
    # chosen one by one, their tours (Odoo's serial dialogs) included.
    ((QUICK)) || select=(-k "not tour")
    (
        cd "$CORE_TESTS"
        "$PYTHON" -m pytest -c "$WORK_DIR/pytest.ini" --rootdir="$CORE_TESTS" \
            -p no:cacheprovider -q -rN --tb=short "${select[@]+"${select[@]}"}" \
            --junitxml="$junit" \
            --odoo-config="$ODOO_CONF" --odoo-database=ssa_odoo_pytest --odoo-http \
            "$@" >"$logfile" 2>&1
    ) || true
    tail -n 1 "$logfile" >&2
}

# check_way WAY FOUND: compare the failures with the known list. A failure
# the list does not name is run once more, alone, under pytest-odoo on the
# database that has the addon (browser tours included): a tour that timed out
# on a busy machine passes then, a failure the addon causes fails again.
check_way() {
    local way="$1" found="$2" unexpected=() nodes=()
    if ((BASELINE)); then
        "$PYTHON" "$TOOLS_DIR/odoo_failures.py" print "$found" || status=1
        return 0
    fi
    mapfile -t unexpected < <(
        "$PYTHON" "$TOOLS_DIR/odoo_failures.py" unexpected "$found" "$KNOWN_DIR/$way.txt"
    )
    if ((${#unexpected[@]})); then
        ensure_pytest_db
        mapfile -t nodes < <(
            "$PYTHON" "$TOOLS_DIR/odoo_failures.py" nodes "$CORE_TESTS" "${unexpected[@]}"
        )
        log "$way: running the ${#unexpected[@]} unexpected failures once more, alone"
        (
            cd "$CORE_TESTS"
            "$PYTHON" -m pytest -c "$WORK_DIR/pytest.ini" --rootdir="$CORE_TESTS" \
                -p no:cacheprovider -q -rN --tb=short \
                --junitxml="$WORK_DIR/$way-again.xml" \
                --odoo-config="$ODOO_CONF" --odoo-database=ssa_odoo_pytest --odoo-http \
                "${nodes[@]}" >"$WORK_DIR/$way-again.log" 2>&1
        ) || true
        tail -n 1 "$WORK_DIR/$way-again.log" >&2
        "$PYTHON" "$TOOLS_DIR/odoo_failures.py" drop-passed "$found" \
            "$WORK_DIR/$way-again.xml" || status=1
    fi
    local extra=()
    if ((QUICK)); then
        # Entries of the list outside the quick files are not expected.
        extra=(--partial)
    fi
    "$PYTHON" "$TOOLS_DIR/odoo_failures.py" compare "$found" \
        "$KNOWN_DIR/$way.txt" "${extra[@]+"${extra[@]}"}" || status=1
}

if [[ "$WAY" == "runner" || "$WAY" == "all" ]]; then
    tags="$(
        IFS=,
        echo "${runner_tags[*]}"
    )"
    log "runner: -i $INSTALL --test-tags $tags"
    start=$SECONDS
    runner_rc=0
    "$PYTHON" -m odoo server -c "$ODOO_CONF" -d ssa_odoo_runner -i "$INSTALL" \
        --test-tags "$tags" --stop-after-init --log-level=info \
        >"$WORK_DIR/runner.log" 2>&1 || runner_rc=$?
    log "runner: done in $((SECONDS - start))s (exit $runner_rc)"
    "$PYTHON" "$TOOLS_DIR/odoo_failures.py" parse-log "$WORK_DIR/runner.log" \
        >"$WORK_DIR/runner.found" || {
        tail -n 40 "$WORK_DIR/runner.log" >&2
        status=1
    }
fi

if [[ "$WAY" == "pytest" || "$WAY" == "all" ]]; then
    ensure_pytest_db
    log "pytest: ${#pytest_paths[@]} core test folders or files"
    start=$SECONDS
    run_core_pytest "$WORK_DIR/pytest.xml" "$WORK_DIR/pytest.log" "${pytest_paths[@]}"
    log "pytest: done in $((SECONDS - start))s"
    "$PYTHON" "$TOOLS_DIR/odoo_failures.py" parse-junit "$WORK_DIR/pytest.xml" \
        >"$WORK_DIR/pytest.found" || {
        tail -n 40 "$WORK_DIR/pytest.log" >&2
        status=1
    }
fi

for way in runner pytest; do
    [[ -f "$WORK_DIR/$way.found" ]] && check_way "$way" "$WORK_DIR/$way.found"
done

exit "$status"

#!/usr/bin/env bash
# Static checks, OCA style   (make lint)
#
#   ruff check          .ruff.toml (pyflakes, pycodestyle, isort, pyupgrade,
#                       bugbear, mccabe)
#   ruff format --check formatting (run "ruff format ." to fix, and
#                       "ruff check --fix ." for import order etc.)
#   pylint-odoo         .pylintrc-mandatory (blocking checks: manifest keys,
#                       author, license, version, translations, SQL ...)
#
# Runs every check even when one fails; exits 1 if any failed, 2 if a tool is
# missing.  LINT_OPTIONAL=1 also shows pylint's optional checks (.pylintrc),
# without failing on them.  Nothing is written into the checkout.
set -euo pipefail

# shellcheck source=tools/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$PYTHON" -m ruff --version >/dev/null 2>&1 ||
    die 2 "ruff not importable by $PYTHON: $PYTHON -m pip install ruff==0.17.6"
"$PYTHON" -c 'import pylint_odoo' 2>/dev/null ||
    die 2 "pylint-odoo not importable by $PYTHON: $PYTHON -m pip install pylint-odoo==10.0.12"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ssa-lint.XXXXXX")"
trap 'rm -rf "$WORK_DIR"' EXIT
# pylint-odoo derives the module name from the folder that holds the
# manifest, and pylint resolves symlinks, so lint a throwaway copy named
# stock_serial_allocation (whatever the checkout folder is called).
ADDON_COPY="$WORK_DIR/$ADDON_NAME"
mkdir -p "$ADDON_COPY"
tar -C "$ADDON_ROOT" --exclude=./.git --exclude=./.local --exclude=./bench/results \
    --exclude=__pycache__ -cf - . | tar -C "$ADDON_COPY" -xf -

cd "$ADDON_ROOT"
failed=()

log "ruff check"
"$PYTHON" -m ruff check --no-cache --no-fix --output-format=concise . || failed+=("ruff check")

log "ruff format --check"
"$PYTHON" -m ruff format --no-cache --check --output-format=concise . || failed+=("ruff format")

# Run from inside the copy so reported paths are relative to the checkout.
log "pylint --rcfile=.pylintrc-mandatory"
(cd "$ADDON_COPY" && "$PYTHON" -m pylint --rcfile="$ADDON_ROOT/.pylintrc-mandatory" \
    --output-format=text "$ADDON_COPY") || failed+=("pylint-odoo")

# README.rst is built from readme/ (tools/gen_readme.sh): each fragment's
# section and its last paragraph's opening words must be in it.
log "README.rst holds every readme fragment"
"$PYTHON" - <<'PY' || failed+=("README.rst")
import pathlib
import re
import sys

rst = re.sub(r"\s+", " ", pathlib.Path("README.rst").read_text(encoding="utf-8"))
stale = []
for fragment in sorted(pathlib.Path("readme").glob("*.md")):
    paragraphs = [p for p in fragment.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    words = re.sub(r"[^\w ]", " ", paragraphs[-1]).split()[:4]
    if not all(word in rst for word in words):
        stale.append(fragment.name)
if stale:
    sys.exit("README.rst is stale for %s: run tools/gen_readme.sh" % ", ".join(stale))
PY

if [[ "${LINT_OPTIONAL:-0}" == "1" ]]; then
    log "pylint --rcfile=.pylintrc (optional checks, not blocking)"
    (cd "$ADDON_COPY" && "$PYTHON" -m pylint --rcfile="$ADDON_ROOT/.pylintrc" \
        --output-format=text --exit-zero "$ADDON_COPY")
fi

if ((${#failed[@]})); then
    die 1 "failed: ${failed[*]}"
fi
log "all checks passed"

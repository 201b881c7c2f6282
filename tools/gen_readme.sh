#!/usr/bin/env bash
# Build README.rst and static/description/index.html from the readme/
# fragments, in the order OCA's oca-gen-addon-readme uses. Needs pandoc
# (Debian package "pandoc") and docutils (shipped with Odoo).
#   tools/gen_readme.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT/readme"
command -v pandoc >/dev/null || {
    echo "gen_readme.sh: pandoc is missing (Debian package \"pandoc\")" >&2
    exit 1
}
# Written aside and moved in place whole: a failure leaves README.rst as it was.
TMP_RST="$(mktemp "$ROOT/.README.rst.XXXXXX")"
trap 'rm -f "$TMP_RST"' EXIT

section() {  # section TITLE FILE
    [[ -f "$2" ]] || return 0
    printf '%s\n%s\n\n' "$1" "$(printf '%*s' "${#1}" '' | tr ' ' '=')"
    # Fragments use "**Bold line**" paragraphs as sub-headings; keep them bold.
    pandoc --from=gfm --to=rst --wrap=preserve --columns=300 "$2"
    printf '\n'
}

{
    cat <<'HEAD'
=======================
Stock Serial Allocation
=======================

.. |badge1| image:: https://img.shields.io/badge/maturity-Beta-yellow.png
    :target: https://odoo-community.org/page/development-status
    :alt: Beta
.. |badge2| image:: https://img.shields.io/badge/license-LGPL--3-blue.png
    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html
    :alt: License: LGPL-3

|badge1| |badge2|

HEAD
    pandoc --from=gfm --to=rst --wrap=preserve --columns=300 DESCRIPTION.md
    printf '\n**Table of contents**\n\n.. contents::\n   :local:\n\n'
    section "Installation" INSTALL.md
    section "Configuration" CONFIGURE.md
    section "Usage" USAGE.md
    section "For other systems" BLOCKS_API.md
    section "Performance" PERFORMANCE.md
    section "Known issues / Roadmap" ROADMAP.md
    printf 'Credits\n=======\n\nAuthors\n~~~~~~~\n\n- Stock Serial Allocation Authors\n\nContributors\n~~~~~~~~~~~~\n\n'
    pandoc --from=gfm --to=rst --wrap=preserve --columns=300 CONTRIBUTORS.md
} > "$TMP_RST"
chmod 644 "$TMP_RST"
mv "$TMP_RST" "$ROOT/README.rst"

python3 - "$ROOT/README.rst" "$ROOT/static/description/index.html" <<'PY'
import sys
from docutils.core import publish_file
publish_file(source_path=sys.argv[1], destination_path=sys.argv[2], writer_name="html",
             settings_overrides={"report_level": 2, "halt_level": 3, "embed_stylesheet": False, "xml_declaration": False, "stylesheet_path": "", "stylesheet": ""})
# Pictures are named from the addon's root in README.rst; the Apps page
# serves index.html from the addon's static route.
with open(sys.argv[2], encoding="utf-8") as html:
    text = html.read()
with open(sys.argv[2], "w", encoding="utf-8") as html:
    html.write(text.replace('src="static/description/', 'src="/stock_serial_allocation/static/description/'))
PY
echo "README.rst and static/description/index.html written"

#!/usr/bin/env python3
# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Failures of Odoo's own test suites, as test ids, and their comparison
with a list of known failures (tools/test_odoo.sh).

    odoo_failures.py parse-log ODOO.LOG     failing test ids of Odoo's runner
    odoo_failures.py parse-junit PYTEST.XML failing test ids of pytest
    odoo_failures.py print FOUND            the ids, as lines of a known list
    odoo_failures.py compare FOUND KNOWN [--partial]
    odoo_failures.py unexpected FOUND KNOWN  the failing ids KNOWN does not name
    odoo_failures.py nodes CORE_DIR ID...   the pytest node ids of test ids
    odoo_failures.py drop-passed FOUND JUNIT
                                 remove from FOUND the tests JUNIT saw pass

A test id is "addon.tests.test_file.Class.test_method" for both ways. A known
list has one id per line, then two spaces and the reason; "#" starts a
comment. compare exits 1 when a test fails that the list does not name;
known failures that passed are reported (without --partial: the selection ran
every test of the list) but do not fail the comparison.
"""

import re
import sys
import xml.etree.ElementTree as ET

# "... ERROR db odoo.addons.stock.tests.test_x: FAIL: TestX.test_y"
LOG_FAILURE = re.compile(
    r" (?:ERROR|CRITICAL) \S+ odoo\.addons\.(?P<module>[\w.]+): "
    r"(?P<kind>FAIL|ERROR): (?P<what>.+)$"
)
# "... odoo.tests.result: 2 failed, 1 error(s) of 312 tests when loading database"
LOG_SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
SUBTEST = re.compile(r"^Subtest (?P<test>[\w.]+)")
CLASS_SETUP = re.compile(
    r"^(?P<hook>setUpClass|tearDownClass) \(odoo\.addons\.(?P<cls>[\w.]+)\)"
)


def parse_log(path):
    """Failing test ids in an Odoo server log, checked against its summaries."""
    found, failed = set(), 0
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            match = LOG_FAILURE.search(line)
            if match:
                what = match["what"].strip()
                sub = SUBTEST.match(what)
                setup = CLASS_SETUP.match(what)
                if setup:
                    found.add("%s.%s" % (setup["cls"], setup["hook"]))
                elif sub:
                    found.add("%s.%s" % (match["module"], sub["test"]))
                else:
                    found.add("%s.%s" % (match["module"], what.split()[0]))
                continue
            summary = LOG_SUMMARY.search(line)
            if summary:
                failed += int(summary[1]) + int(summary[2])
    if failed and not found:
        print(
            "the log counts %d failures but names none of them" % failed,
            file=sys.stderr,
        )
        sys.exit(1)
    return found


def parse_junit(path):
    """Failing test ids of a pytest JUnit report."""
    found, total = set(), 0
    for case in ET.parse(path).getroot().iter("testcase"):
        total += 1
        if case.find("failure") is None and case.find("error") is None:
            continue
        classname = case.get("classname", "")
        classname = classname.removeprefix("odoo.addons.")
        found.add("%s.%s" % (classname, case.get("name")))
    if not total:
        print("the pytest report holds no test", file=sys.stderr)
        sys.exit(1)
    return found


def parse_junit_passed(path):
    """Test ids a pytest JUnit report saw pass."""
    passed = set()
    for case in ET.parse(path).getroot().iter("testcase"):
        if any(case.find(tag) is not None for tag in ("failure", "error", "skipped")):
            continue
        classname = case.get("classname", "").removeprefix("odoo.addons.")
        passed.add("%s.%s" % (classname, case.get("name")))
    return passed


def node_id(core_dir, test_id):
    """pytest node id of "addon.tests.test_file.Class.test" (or of the class,
    for a setUpClass failure)."""
    addon, folder, stem, cls, *method = test_id.split(".")
    node = "%s/%s/%s/%s.py::%s" % (core_dir, addon, folder, stem, cls)
    if method and method[0] not in ("setUpClass", "tearDownClass"):
        node += "::" + method[0]
    return node


def read_found(path):
    with open(path, encoding="utf-8") as file:
        return {line.strip() for line in file if line.strip()}


def read_known(path):
    known = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].rstrip()
            if line.strip():
                test, _sep, reason = line.strip().partition("  ")
                known[test] = reason.strip()
    return known


def compare(found, known, partial=False):
    new = sorted(found - set(known))
    fixed = sorted(set(known) - found)
    print(
        "%d failing tests, %d of them known failures of Odoo's own build"
        % (len(found), len(found & set(known)))
    )
    if fixed and not partial:
        print("Known failures that passed this time (the list may be shortened):")
        print("".join("  %s\n" % test for test in fixed), end="")
    if new:
        print(
            "FAILED: %d tests fail that the list of Odoo's own failures does not name:"
            % len(new)
        )
        print("".join("  %s\n" % test for test in new), end="")
        return 1
    print("No failure beyond the known list.")
    return 0


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "parse-log":
        print("".join("%s\n" % test for test in sorted(parse_log(args[0]))), end="")
    elif command == "parse-junit":
        print("".join("%s\n" % test for test in sorted(parse_junit(args[0]))), end="")
    elif command == "print":
        found = sorted(read_found(args[0]))
        print("%d failing tests:" % len(found))
        print("".join("%s  REASON\n" % test for test in found), end="")
    elif command == "unexpected":
        new = read_found(args[0]) - set(read_known(args[1]))
        print("".join("%s\n" % test for test in sorted(new)), end="")
    elif command == "nodes":
        print("".join("%s\n" % node_id(args[0], test) for test in args[1:]), end="")
    elif command == "drop-passed":
        found = read_found(args[0])
        passed = found & parse_junit_passed(args[1])
        for test in sorted(passed):
            print("passed when run again alone (left out): %s" % test)
        with open(args[0], "w", encoding="utf-8") as file:
            file.write("".join("%s\n" % test for test in sorted(found - passed)))
    elif command == "compare":
        return compare(
            read_found(args[0]), read_known(args[1]), partial="--partial" in args
        )
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

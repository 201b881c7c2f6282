# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Take a README picture of a running Odoo with headless Chromium.

    python3 tools/screenshot.py --url http://127.0.0.1:8069 --db serial_demo \\
        --path "/odoo/action-stock_serial_allocation.action_stock_serial_generator" \\
        --click "Company Serials" --click "Counter Audit" \\
        --wait ".modal .o_data_row" --out static/description/counter_audit.png

Logs in through Odoo's JSON-RPC, opens `--path`, clicks the elements whose
text is each `--click` in turn (waiting for each), types each `--fill` text
into its field, waits for `--wait`, then saves a PNG. Chromium's DevTools
protocol is driven with websocket-client, which Odoo's own browser tests use.
"""

import argparse
import base64
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

FIND_AND_CLICK = """
(() => {
    const wanted = %s;
    const nodes = [...document.querySelectorAll(
        "button, a, td, label, span.o_stat_text, .o_stat_info, .o_data_cell")];
    const node = nodes.reverse().find(
        (el) => el.offsetParent && el.textContent.trim() === wanted);
    if (!node) { return false; }
    node.click();
    return true;
})()
"""

# Types into the input or textarea of a selector, as a user does: Odoo's
# fields read their value on "change".
FILL = """
(() => {
    const node = document.querySelector(%s);
    if (!node || !node.offsetParent) { return false; }
    node.focus();
    node.value = %s;
    node.dispatchEvent(new Event("input", { bubbles: true }));
    node.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
})()
"""


class DevTools:
    def __init__(self, ws_url):
        self.socket = websocket.create_connection(ws_url, timeout=30)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.socket.send(
            json.dumps({"id": call_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.25)
        raise TimeoutError(expression)


def login(url, db, user, password):
    response = requests.post(
        url + "/web/session/authenticate",
        json={"params": {"db": db, "login": user, "password": password}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        sys.exit("login failed: %s" % response.json()["error"])
    return response.cookies["session_id"]


def record_id(url, session_id, xmlid):
    """The id of the record `xmlid` (module.name), read over JSON-RPC."""
    module, name = xmlid.split(".", 1)
    response = requests.post(
        url + "/web/dataset/call_kw/ir.model.data/search_read",
        json={
            "params": {
                "model": "ir.model.data",
                "method": "search_read",
                "args": [[["module", "=", module], ["name", "=", name]], ["res_id"]],
                "kwargs": {},
            }
        },
        cookies={"session_id": session_id},
        timeout=60,
    )
    response.raise_for_status()
    rows = response.json().get("result") or []
    if not rows:
        sys.exit("no record %s" % xmlid)
    return rows[0]["res_id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--path", required=True, help="{id} is replaced by the id of --record"
    )
    parser.add_argument("--record", help="XML id (module.name) of the record shown")
    parser.add_argument("--click", action="append", default=[])
    parser.add_argument(
        "--fill",
        action="append",
        default=[],
        metavar="SELECTOR::TEXT",
        help="after the clicks, type TEXT into the field at SELECTOR",
    )
    parser.add_argument("--wait", default=".o_content")
    parser.add_argument("--out", required=True)
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    options = parser.parse_args()

    session_id = login(options.url, options.db, options.user, options.password)
    if options.record:
        options.path = options.path.replace(
            "{id}", str(record_id(options.url, session_id, options.record))
        )
    profile = tempfile.mkdtemp(prefix="ssa-shot-")
    port = 9333
    browser = subprocess.Popen(
        [
            options.chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=%d" % port,
            "--remote-allow-origins=http://127.0.0.1:%d" % port,
            "--user-data-dir=%s" % profile,
            "--window-size=%d,%d" % (options.width, options.height),
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(
                    "http://127.0.0.1:%d/json/list" % port, timeout=2
                ) as answer:
                    pages = [p for p in json.load(answer) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit("Chromium did not start")
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=options.width,
            height=options.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        host = options.url.split("//", 1)[1].split(":")[0].split("/")[0]
        tools.call(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            domain=host,
            path="/",
        )
        tools.call("Page.navigate", url=options.url + options.path)
        tools.wait_for(
            "!!document.querySelector('.o_action_manager .o_view_controller')"
        )
        for text in options.click:
            tools.wait_for(FIND_AND_CLICK % json.dumps(text))
            time.sleep(1.0)
        for fill in options.fill:
            selector, text = fill.split("::", 1)
            tools.wait_for(FILL % (json.dumps(selector), json.dumps(text)))
            time.sleep(1.0)
        tools.wait_for("!!document.querySelector(%s)" % json.dumps(options.wait))
        time.sleep(1.5)
        shot = tools.call("Page.captureScreenshot", format="png")
        with open(options.out, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print("saved", options.out)
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()

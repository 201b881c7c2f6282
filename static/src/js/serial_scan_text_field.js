// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { TextField, textField } from "@web/views/fields/text/text_field";

// A text area for serials typed, pasted or read by a hand scanner, one per
// line. Each Enter (a scanner ends its code with one) sends the text to the
// server at once, so the count and the problems next to it follow every
// scan, and a serial already entered is warned about right away.
export class SerialScanTextField extends TextField {
    static template = "stock_serial_allocation.SerialScanTextField";

    setup() {
        super.setup();
        this.notification = useService("notification");
    }

    onKeyup(ev) {
        if (ev.key !== "Enter" || ev.shiftKey) {
            return;
        }
        const textarea = this.textareaRef.el;
        const lines = textarea.value.split("\n").map((line) => line.trim());
        while (lines.length && !lines.at(-1)) {
            lines.pop();
        }
        const scanned = lines.at(-1);
        if (scanned && lines.indexOf(scanned) < lines.length - 1) {
            this.notification.add(
                _t("%(serial)s is already entered, on line %(line)s.", {
                    serial: scanned,
                    line: lines.indexOf(scanned) + 1,
                }),
                { type: "warning" }
            );
        }
        // Send what is typed to the server now, as leaving the field would.
        const value = this.parse(textarea.value);
        if (value !== (this.props.record.data[this.props.name] || "")) {
            this.props.record.update({ [this.props.name]: value });
        }
    }
}

export const serialScanTextField = {
    ...textField,
    component: SerialScanTextField,
    displayName: _t("Scanned Serials"),
};

registry.category("fields").add("serial_scan_text", serialScanTextField);

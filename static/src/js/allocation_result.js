// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// What an allocation did, as a notification that stays until closed: the
// count, the first and last serial, the register entries, with buttons to
// print the labels and open the entries. Then the action `next` (the wizard's
// result step, or closing the wizard).
function allocationResult(env, action) {
    const params = action.params || {};
    const buttons = [];
    let close = () => {};
    if (params.print_action) {
        buttons.push({
            name: params.print_label,
            primary: true,
            onClick: () => {
                env.services.action.doAction(params.print_action);
                close();
            },
        });
    }
    if (params.open_action) {
        buttons.push({
            name: params.open_label,
            onClick: () => {
                env.services.action.doAction(params.open_action);
                close();
            },
        });
    }
    close = env.services.notification.add(params.message, {
        type: params.type || "success",
        sticky: true,
        buttons,
        className: "o_serial_allocation_result",
    });
    return params.next;
}

registry.category("actions").add("stock_serial_allocation_result", allocationResult);

// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// From the list of manufacturing orders awaiting serials, open the order of
// 3 "Tour Serial Assembly" (created by tests/test_mrp_allocation.py), allocate
// its serials with the wizard, then produce it.
registry.category("web_tour.tours").add("stock_serial_allocation_mrp_tour", {
    url: "/odoo/action-stock_serial_allocation.action_mrp_production_serial_allocation",
    steps: () => [
        {
            content: "The order awaits 3 serials",
            trigger:
                ".o_list_view .o_data_row:contains(Tour Serial Assembly) td[name=serial_to_allocate_qty]:contains(3.00)",
        },
        {
            content: "Open the order",
            trigger: ".o_list_view .o_data_row:contains(Tour Serial Assembly) td[name=name]",
            run: "click",
        },
        {
            content: "Allocate its serials",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate_serials]",
            run: "click",
        },
        {
            content: "The wizard proposes the 3 units and previews their serials",
            trigger:
                ".modal .o_field_widget[name=line_ids] .o_data_row td[name=preview]:contains(TMO-0001 … TMO-0003)",
        },
        {
            trigger: ".modal .o_field_widget[name=line_ids] td[name=quantity]:contains(3.00)",
        },
        {
            trigger: ".modal-footer button[name=action_allocate]",
            run: "click",
        },
        {
            content: "The wizard's last step tells what was allocated",
            trigger: ".modal .o_field_widget[name=result_message]:contains(serial(s) allocated)",
        },
        {
            trigger: ".modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "The order now produces its 3 serials",
            trigger:
                ".o_form_view button[name=action_view_serial_numbers] .o_stat_value:contains(3)",
        },
        {
            content: "The allocation is in the register",
            trigger: ".o_form_view button[name=action_view_serial_allocations]:contains(1)",
        },
        {
            content: "Nothing left to allocate",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_allocate_serials]))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_mark_done]:contains(Produce All)",
            run: "click",
        },
        {
            content: "Produced and closed",
            trigger: ".o_form_view .o_arrow_button_current:contains(Done)",
        },
    ],
});

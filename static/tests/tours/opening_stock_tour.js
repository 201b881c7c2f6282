// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// From the list of stock without serial, select the lines of "Tour Scanner A"
// (5 units) and "Tour Scanner B" (3 units), both created by
// tests/test_opening_stock_ui.py, and give serials to 3 units of A and to all
// of B in one go.
registry.category("web_tour.tours").add("stock_serial_allocation_opening_stock_tour", {
    url: "/odoo/action-stock_serial_allocation.action_stock_quant_serial_opening",
    steps: () => [
        {
            content: "Show the tour's products only",
            trigger: ".o_searchview_input",
            run: "edit Tour Scanner",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            // Rows clicked before the filtered list is loaded lose their
            // selection when it arrives: wait until the other product is gone.
            content: "Only the tour's scanners are listed",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains(Tour Decoy)))",
        },
        {
            content: "Scanner A: 5 units without serial, on hand",
            trigger: ".o_data_row:contains(Tour Scanner A):contains(On Hand)",
        },
        {
            trigger: ".o_data_row:contains(Tour Scanner A) .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Tour Scanner B) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Both lines are selected",
            trigger: ".o_selection_box:contains(2)",
        },
        {
            content: "Allocate serials to the selected lines",
            trigger: ".o_control_panel button:contains(Allocate Serials)",
            run: "click",
        },
        {
            content: "The wizard has one line per selected line",
            trigger: ".modal .o_data_row:contains(Tour Scanner A):contains(WH/Stock)",
        },
        {
            trigger: ".modal .o_data_row:contains(Tour Scanner B)",
        },
        {
            content: "Scanner A: the generator's serials for its 5 units",
            trigger:
                ".modal .o_data_row:contains(Tour Scanner A) td[name=preview]:contains(TA-00005)",
        },
        {
            content: "Serialize 3 units of scanner A only: open its line",
            trigger: ".modal .o_data_row:contains(Tour Scanner A) td[name=quantity]",
            run: "click",
        },
        {
            content: "The line's detail: its method and its status",
            trigger: ".modal .o_field_widget[name=method] input[type=radio]:checked",
        },
        {
            trigger: ".modal .o_field_widget[name=status]:contains(5 of 5 ready)",
        },
        {
            trigger: ".modal .o_field_widget[name=quantity] input",
            run: "edit 3 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=status]:contains(3 of 3 ready)",
        },
        {
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The preview follows the quantity",
            trigger:
                ".modal .o_data_row:contains(Tour Scanner A) td[name=preview]:contains(TA-00003):not(:contains(TA-00005))",
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
            content: "Serials allocated",
            trigger: ".o_notification:contains(6 serial(s) allocated)",
        },
        {
            content: "Scanner B has all its serials: only 2 units of A are left",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Tour Scanner B)))",
        },
        {
            trigger: ".o_data_row:contains(Tour Scanner A) td[name=quantity]:contains(2)",
        },
    ],
});

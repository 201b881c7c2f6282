// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Reserves a serial block in the browser, then allocates two serials from it
// on the receipt "TOURBLK" (records created by tests/test_serial_block.py).
registry.category("web_tour.tours").add("stock_serial_allocation_block_tour", {
    url: "/odoo/action-stock_serial_allocation.action_stock_serial_block",
    steps: () => [
        {
            content: "Reserve a serial block",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=holder_name] input",
            run: "edit Tour Label Printer",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=generator_id] input",
            run: "edit Tour Block Generator",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Block Generator)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=size] input",
            run: "edit 50",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the block shows its range",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=first_serial]:contains(TB-0001)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=last_serial]:contains(TB-0050)",
            run() {
                window.location.href =
                    window.location.origin + "/odoo/action-stock.action_picking_tree_all";
            },
            expectUnloadPage: true,
        },
        {
            content: "Find the receipt",
            trigger: ".o_searchview_input",
            run: "edit TOURBLK",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            trigger: ".o_data_row:contains(TOURBLK) td.o_data_cell",
            run: "click",
        },
        {
            content: "Open the allocation wizard",
            trigger: ".o_form_view button[name=action_allocate_serials]",
            run: "click",
        },
        {
            content: "Open the line's detail",
            trigger: ".modal .o_data_row td[name=method]",
            run: "click",
        },
        {
            content: "Method: from a block",
            trigger: ".modal .o_field_widget[name=method] input[data-value=block]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=block_id] input",
            run: "edit Tour Label",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Label Printer)",
            run: "click",
        },
        {
            content: "The detail previews the serials taken from the block",
            trigger: ".modal .o_field_widget[name=preview]:contains(TB-0001 … TB-0002)",
        },
        {
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "Back on the summary line: its method and status",
            trigger:
                ".modal .o_data_row:has(td[name=method]:contains(From Block)) td[name=status]:contains(2 of 2 ready)",
        },
        {
            trigger: ".modal button[name=action_allocate]",
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
            content: "Allocated",
            trigger: ".o_notification:contains(2 serial(s) allocated)",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});

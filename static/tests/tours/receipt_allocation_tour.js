// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Starts on a confirmed purchase order made by tests/test_receipt_tour.py
// (4 x "Tour Laptop", 2 x "Tour Router", generator "TL-"), opens its receipt,
// allocates the generator's serials through "Allocate Serials" and validates
// the receipt.
registry.category("web_tour.tours").add("stock_serial_allocation_receipt_tour", {
    steps: () => [
        {
            content: "Open the receipt of the purchase order",
            trigger: ".o_form_view button[name=action_view_picking]",
            run: "click",
        },
        {
            content: "The receipt waits for serials",
            trigger: ".o_form_view .o_field_widget[name=picking_type_id]:contains(Receipts)",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Ready)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate_serials]",
            run: "click",
        },
        {
            content: "One wizard line per serial product, with its first and last serial",
            trigger:
                ".modal .o_data_row:contains(Tour Laptop) .o_data_cell[name=preview]:contains(TL-00001):contains(TL-00004)",
        },
        {
            trigger:
                ".modal .o_data_row:contains(Tour Router) .o_data_cell[name=preview]:contains(TL-00005):contains(TL-00006)",
        },
        {
            trigger: ".modal .o_data_row:contains(Tour Laptop) .o_data_cell[name=method]:contains(Generate)",
        },
        {
            content: "Allocate",
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
            content: "Six serials allocated: the notice stays, with its buttons",
            trigger:
                ".o_notification:contains(6 serial(s) allocated):has(button:contains(Print Labels)):has(button:contains(Open in Register))",
        },
        {
            content: "The wizard is closed and the receipt shows its allocations",
            trigger:
                "body:not(:has(.modal)) .o_form_view button[name=action_view_serial_allocations]:contains(2)",
        },
        {
            content: "Nothing left to allocate: the button is gone",
            trigger:
                ".o_form_view .o_statusbar_buttons:not(:has(button[name=action_allocate_serials]))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_serial_labels]",
        },
        {
            content: "Validate the receipt",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "The receipt is done",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

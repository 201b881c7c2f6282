// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Starts on a confirmed delivery of 2 x "Tour Phone" made by
// tests/test_serial_lifecycle_tour.py (serials TP-1 to TP-3 in stock):
// scans two serials into it and validates it, returns one of them through
// Odoo's return wizard (scanned too) and validates the return.
registry.category("web_tour.tours").add("stock_serial_allocation_lifecycle_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Ready)",
        },
        {
            content: "Scan the serials of the delivery",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_scan_serials]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            // Two scans, each ended by Enter, then Tab leaves the field.
            run: async (helpers) => {
                await helpers.edit("TP-2\nTP-3\n");
                await helpers.press("Tab");
            },
        },
        {
            content: "The count follows the scans",
            trigger: ".modal .o_field_widget[name=summary]:contains(2 of 2 entered)",
        },
        {
            trigger: ".modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains(2 serial(s) applied)",
        },
        {
            content: "Validate the delivery",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        {
            content: "Return one phone",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Return)",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_data_cell[name=quantity]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_data_cell[name=quantity] input",
            run: "edit 1",
        },
        {
            trigger: ".modal-footer button[name=action_create_returns]",
            run: "click",
        },
        {
            content: "The return is open",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name=origin] input:value(Return of)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_scan_serials]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: "edit TP-3 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=summary]:contains(1 of 1 entered)",
        },
        {
            trigger: ".modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains(1 serial(s) applied)",
        },
        {
            content: "Validate the return",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

// Starts on Serial Lookup: looks up the delivered and the returned phone.
registry.category("web_tour.tours").add("stock_serial_allocation_lookup_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=serial] input",
            run: "edit TP-2 && press Tab",
        },
        {
            content: "TP-2 is at the customer",
            trigger: ".o_form_view .o_field_widget[name=serial_status]:contains(Delivered)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=serial_partner_id]:contains(Tour Customer)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=serial] input",
            run: "edit TP-3 && press Tab",
        },
        {
            content: "TP-3 came back",
            trigger: ".o_form_view .o_field_widget[name=serial_status]:contains(Returned)",
        },
        {
            content: "Its history ends with the return from the customer",
            trigger:
                ".o_form_view .o_field_widget[name=move_line_ids] .o_data_row:nth-child(3) .o_data_cell[name=location_id]:contains(Customers)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_serial]",
            run: "click",
        },
        {
            content: "The serial's own form, with its status",
            trigger:
                ".o_form_view .o_field_widget[name=name] input:value(TP-3)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=serial_status]:contains(Returned)",
        },
    ],
});

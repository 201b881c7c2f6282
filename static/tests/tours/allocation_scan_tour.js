// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Starts on a ready receipt of 10 x "Tour Meter" (GTIN 09506000134352) made by
// tests/test_allocation_scan_tour.py. Scans ten serials one by one into the
// allocation wizard, as a hand scanner does (each code ends with Enter): a
// repeated scan is warned at once, a GS1 code of another product is refused,
// the product's own GS1 code gives its serial; then allocates.
registry.category("web_tour.tours").add("stock_serial_allocation_scan_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate_serials]",
            run: "click",
        },
        {
            content: "Open the line's detail",
            trigger: ".modal .o_data_row:contains(Tour Meter) td[name=method]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=method] input[data-value=enter]",
            run: "click",
        },
        {
            content: "Scan 1",
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0001");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0002");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0003");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0004");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0005");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=status]:contains(5 of 10 entered)",
        },
        {
            content: "Scan SCN-0003 again",
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0003");
                await helpers.press("Enter");
            },
        },
        {
            content: "Warned at once",
            trigger: ".o_notification:contains(SCN-0003 is already entered, on line 3)",
        },
        {
            trigger: ".modal .o_field_widget[name=status]:contains(1 duplicate(s): SCN-0003)",
        },
        {
            content: "Take the repeated scan out",
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.edit("SCN-0001\nSCN-0002\nSCN-0003\nSCN-0004\nSCN-0005\n");
                await helpers.press("Tab");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=status]:contains(5 of 10 entered):not(:contains(duplicate))",
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0006");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0007");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0008");
                await helpers.press("Enter");
            },
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("SCN-0009");
                await helpers.press("Enter");
            },
        },
        {
            content: "A GS1 code of another product (AI 01)",
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("(01)09501101530003(21)SCN-0010");
                await helpers.press("Enter");
            },
        },
        {
            content: "Its GTIN is not the product's",
            trigger: ".modal .o_field_widget[name=status]:contains(is for GTIN 09501101530003 (AI 01))",
        },
        {
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.edit("SCN-0001\nSCN-0002\nSCN-0003\nSCN-0004\nSCN-0005\nSCN-0006\nSCN-0007\nSCN-0008\nSCN-0009\n");
                await helpers.press("Tab");
            },
        },
        {
            content: "The GS1 code of this product",
            trigger: ".modal .o_field_widget[name=serials_text] textarea",
            run: async (helpers) => {
                await helpers.fill("(01)09506000134352(21)SCN-0010");
                await helpers.press("Enter");
            },
        },
        {
            content: "Ten serials, nothing wrong",
            trigger: ".modal .alert-success .o_field_widget[name=status]:contains(10 of 10 ready)",
        },
        {
            trigger: ".modal .o_field_widget[name=preview]:contains(SCN-0001 … SCN-0010 (10))",
        },
        {
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row td[name=status]:contains(10 of 10 ready)",
        },
        {
            trigger: ".modal-footer button[name=action_allocate]",
            run: "click",
        },
        {
            content: "The result, as the wizard's last step and as a notice",
            trigger: ".modal .o_field_widget[name=result_message]:contains(10 serial(s) allocated: SCN-0001 … SCN-0010)",
        },
        {
            trigger:
                ".o_notification:contains(10 serial(s) allocated):has(button:contains(Print Labels))",
        },
        {
            trigger: ".modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "Back on the receipt, which shows its allocation",
            trigger:
                "body:not(:has(.modal)) .o_form_view button[name=action_view_serial_allocations]:contains(1)",
        },
    ],
});

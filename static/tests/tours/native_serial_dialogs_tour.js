// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Odoo's own serial dialogs on products that have a serial generator
// (tests/test_native_dialogs_tour.py): they must keep working, and draw the
// generator's serials.

// A confirmed receipt of 3 x "Dialog Scanner" (generator "GD-%(product_code)s-",
// reference "TGD"): Details > Generate Serials/Lots > New > Generate.
registry.category("web_tour.tours").add("stock_serial_allocation_generate_dialog_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Ready)",
        },
        {
            content: "Open the detailed operations of the move",
            trigger: ".o_field_widget[name=move_ids] .o_data_row button:contains(Details)",
            run: "click",
        },
        {
            trigger: ".modal h4:contains('Detailed Operations')",
        },
        {
            trigger: ".modal .o_widget_generate_serials > button",
            run: "click",
        },
        {
            trigger: ".modal h4:contains('Generate Serial numbers')",
        },
        {
            content: "New: the first serial comes from the product's generator",
            trigger: ".modal .modal-body button:contains(New)",
            run: "click",
        },
        {
            trigger: ".modal div[name=next_serial] input:value(GD-TGD-0001)",
        },
        {
            trigger: ".modal div[name=next_serial_count] input",
            run: "edit 3 && click body",
        },
        {
            trigger: ".modal .modal-footer .btn-primary:contains('Generate')",
            run: "click",
        },
        {
            content: "Three serials of the generator, in order",
            trigger: ".modal .o_data_row:nth-child(3) .o_data_cell[name=lot_name]:contains(GD-TGD-0003)",
        },
        {
            trigger: ".modal .o_data_row:nth-child(1) .o_data_cell[name=lot_name]:contains(GD-TGD-0001)",
        },
        {
            trigger: ".modal button:contains(save)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

// A confirmed manufacturing order of 3 x "Dialog Scanner": Generate Serial >
// (first serial proposed by the generator) Generate > Apply > Produce All.
registry.category("web_tour.tours").add("stock_serial_allocation_mo_serial_dialog_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=product_id]:contains(Dialog Scanner)",
        },
        {
            trigger: ".o_form_view button[name=action_generate_serial]",
            run: "click",
        },
        {
            content: "The first serial proposed is the generator's next one",
            trigger: ".modal .o_field_widget[name=lot_name] input:value(GD-TGD-0001)",
        },
        {
            trigger: ".modal button[name=action_generate_serial_numbers]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=serial_numbers] textarea:value(GD-TGD-0001\nGD-TGD-0002\nGD-TGD-0003)",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The order has its three serials",
            trigger: "body:not(:has(.modal)) .o_form_view .oe_stat_button:contains(Serial Numbers):contains(3)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_mark_done]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

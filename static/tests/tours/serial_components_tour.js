// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Starts on a confirmed order of 2 x "Tour Gateway" made by
// tests/test_serial_components_tour.py, its components reserved: boards
// TB-1, TB-2 and sensors TS-1, TS-2. Allocates the order's serials, marks it
// as done through the Components per Unit step (the sensors swapped), then
// looks up the first gateway.
registry.category("web_tour.tours").add("stock_serial_allocation_components_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_allocate_serials]",
            run: "click",
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
            content: "The order produces its 2 serials",
            trigger:
                "body:not(:has(.modal)) .o_form_view button[name=action_view_serial_numbers] .o_stat_value:contains(2)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_mark_done]",
            run: "click",
        },
        {
            content: "Components per Unit: shared out in order",
            trigger: ".modal .o_field_widget[name=summary]:contains(ready)",
        },
        {
            trigger:
                ".modal .o_data_row:has(.o_data_cell[name=finished_lot_id]:contains(TGA-0001)) .o_data_cell[name=component_lot_id]:contains(TS-1)",
        },
        {
            content: "Give TS-2 to the first gateway",
            trigger:
                ".modal .o_data_row:has(.o_data_cell[name=component_lot_id]:contains(TS-2)) .o_data_cell[name=finished_lot_id]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_data_cell[name=finished_lot_id] input",
            run: "edit TGA-0001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(TGA-0001)",
            run: "click",
        },
        {
            content: "The first gateway now has two sensors: the step says so",
            trigger: ".modal .o_field_widget[name=problems]:contains(TGA-0002: 0.0)",
        },
        {
            content: "Give TS-1 to the second gateway",
            trigger:
                ".modal .o_data_row:has(.o_data_cell[name=component_lot_id]:contains(TS-1)) .o_data_cell[name=finished_lot_id]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row .o_data_cell[name=finished_lot_id] input",
            run: "edit TGA-0002",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(TGA-0002)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=summary]:contains(ready)",
        },
        {
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Produced",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
    ],
});

// Starts on Serial Lookup: the first gateway was made from TB-1 and TS-2.
registry.category("web_tour.tours").add("stock_serial_allocation_made_from_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=serial] input",
            run: "edit TGA-0001 && press Tab",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=component_lot_ids] .o_data_row:contains(TB-1)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=component_lot_ids] .o_data_row:contains(TS-2)",
        },
        {
            content: "Only its own components",
            trigger:
                ".o_form_view .o_field_widget[name=component_lot_ids]:not(:has(.o_data_row:contains(TS-1)))",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=serial] input",
            run: "edit TS-1 && press Tab",
        },
        {
            content: "TS-1 went into the second gateway",
            trigger: ".o_form_view .o_field_widget[name=used_in_lot_ids] .o_data_row:contains(TGA-0002)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_serial]",
            run: "click",
        },
        {
            content: "The serial's own form says where it went",
            trigger:
                ".o_form_view:has(.o_field_widget[name=name] input:value(TS-1)) .o_field_widget[name=used_in_lot_ids] .o_data_row:contains(TGA-0002)",
        },
    ],
});

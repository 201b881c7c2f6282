// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Creates a serial generator, then gives it to the serial product "Tour Serial
// Product" (created by tests/test_ui.py) and checks the product's preview.
registry.category("web_tour.tours").add("stock_serial_allocation_generator_tour", {
    url: "/odoo/action-stock_serial_allocation.action_stock_serial_generator",
    steps: () => [
        {
            content: "Create a serial generator",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour Serials",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=prefix] input",
            run: "edit TOUR-",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=padding] input",
            run: "edit 4 && click .o_form_view .o_field_widget[name=name] input",
        },
        {
            content: "The form previews the next five serials",
            trigger:
                ".o_form_view .o_field_widget[name=preview_serials]:contains(TOUR-0001):contains(TOUR-0005)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: go to the products",
            trigger: ".o_form_view .o_form_saved",
            run() {
                window.location.href =
                    window.location.origin + "/odoo/action-stock.product_template_action_product";
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_searchview_input",
            run: "edit Tour Serial Product",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            trigger: ".o_kanban_record:contains(Tour Serial Product)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook_headers a[name=inventory]",
            run: "click",
        },
        {
            content: "Set the new generator on the serial product",
            trigger: ".o_form_view .o_field_widget[name=serial_generator_id] input",
            run: "edit Tour Serials",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Serials)",
            run: "click",
        },
        {
            content: "The product shows its next serial",
            trigger: ".o_form_view .o_field_widget[name=serial_preview]:contains(TOUR-0001)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Still shown once saved",
            trigger: ".o_form_view .o_field_widget[name=serial_preview]:contains(TOUR-0001)",
        },
    ],
});

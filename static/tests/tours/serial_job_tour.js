// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";

// Starts on Import Legacy Serials, with a threshold of 3 serials for
// background jobs (tests/test_serial_job_tour.py): imports a file of five,
// which becomes a background job whose form shows it queued.
registry.category("web_tour.tours").add("stock_serial_allocation_job_tour", {
    steps: () => [
        {
            content: "Choose a file of five legacy serials",
            trigger: ".modal .o_field_widget[name=import_file]",
            run: () => {
                const rows = ["product,location,serial"];
                for (let number = 1; number <= 5; number++) {
                    rows.push(`BGJ,WH/Stock,BG-00${number}`);
                }
                const file = new File([rows.join("\n")], "legacy.csv", { type: "text/csv" });
                const input = document.querySelector(
                    ".modal .o_field_widget[name=import_file] input[type=file]"
                );
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".modal .o_field_widget[name=import_file] input.o_input:value(legacy.csv)",
        },
        {
            trigger: ".modal-footer button[name=action_import]",
            run: "click",
        },
        {
            content: "Too many serials for the request: a background job",
            trigger: ".o_notification:contains(runs in the background)",
        },
        {
            content: "The job's form: queued, with its progress",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains(Queued)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=progress] .o_progressbar",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=serial_count]:contains(5)",
        },
    ],
});

// Starts on the job's form once the cron worker has run it.
registry.category("web_tour.tours").add("stock_serial_allocation_job_done_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=progress]:contains(100)",
        },
        {
            content: "Its register entry",
            trigger: ".o_form_view .o_field_widget[name=allocation_ids] .o_data_row:contains(BG-001)",
        },
    ],
});

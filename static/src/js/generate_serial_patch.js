/** @odoo-module **/
// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { patch } from "@web/core/utils/patch";
import { GenerateDialog } from "@stock/widgets/generate_serial";

// Odoo's "New" button draws the next serial from product.lot_sequence_id.
// Tell the serial generator behind it which product and location it renders
// for, so product and location codes of its pattern are filled in.
patch(GenerateDialog.prototype, {
    async _onGenerateCustomSerial() {
        const move = this.props.move.data;
        const [product] = await this.orm.read(
            "product.product",
            [move.product_id.id],
            ["lot_sequence_id"]
        );
        if (!product.lot_sequence_id) {
            return super._onGenerateCustomSerial(...arguments);
        }
        this.nextSerial.el.value = await this.orm.call(
            "ir.sequence",
            "next_by_id",
            [product.lot_sequence_id[0]],
            {
                context: {
                    serial_product_id: move.product_id.id,
                    serial_location_id: move.location_dest_id?.id,
                    serial_source: "purchase",
                },
            }
        );
    },
});

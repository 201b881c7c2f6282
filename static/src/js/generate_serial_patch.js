/** @odoo-module **/
// Copyright 2026 Stock Serial Allocation Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { patch } from "@web/core/utils/patch";
import { GenerateDialog } from "@stock/widgets/generate_serial";

// Odoo's "New" button draws the next serial from product.lot_sequence_id.
// Odoo's own code runs unchanged; its server calls tell the serial generator
// behind that sequence which product and location it renders for, so the
// product and location codes of its pattern are filled in.
patch(GenerateDialog.prototype, {
    async _onGenerateCustomSerial() {
        const orm = this.orm;
        const move = this.props.move.data;
        const serialContext = {
            serial_product_id: move.product_id.id,
            serial_location_id: move.location_dest_id?.id,
            serial_source: "purchase",
        };
        this.orm = Object.create(orm, {
            call: {
                value: (model, method, args, kwargs = {}) =>
                    orm.call(model, method, args, {
                        ...kwargs,
                        context: { ...kwargs.context, ...serialContext },
                    }),
            },
        });
        try {
            return await super._onGenerateCustomSerial(...arguments);
        } finally {
            this.orm = orm;
        }
    },
});

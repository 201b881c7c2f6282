#!/usr/bin/env python3
# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Uninstall the addon from a real database and check that Odoo alone still
names lots (tools/test_uninstall.sh).

    check_uninstall.py ODOO_CONF DB

DB has the addon installed. The script allocates serials through the addon
for two products of one generator whose pattern uses the product code, a
date code and a check digit, uninstalls the addon as Settings > Apps does,
then, with Odoo alone: creates lots without a name, runs the Generate dialog's
server side and the manufacturing order's serial dialog. Every serial must be
rendered by Odoo from the product's own sequence, continue the counter and
never repeat a serial issued before. Odoo alone then delivers serials and
takes one back and moves one to transit; installing the addon again must give
each serial its status (delivered to either customer, returned, in stock, in
transit). Prints "N passed, N failed".
"""

import sys
import traceback

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tools import config

CHECKS = []


def check(description, condition, detail=""):
    CHECKS.append((description, bool(condition)))
    print("%s %s%s" % ("ok  " if condition else "FAIL", description, detail))


def environment(cr):
    return api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})


def allocate(env):
    """Serials for 3 + 2 units, through the addon's receipt wizard."""
    generator = env["stock.serial.generator"].create(
        {
            "name": "Uninstall",
            "prefix": "U-%(product_code)s-%(y)s-",
            "padding": 4,
            "check_digit": "mod_37_36",
        }
    )
    products = env["product.product"].create(
        [
            {
                "name": "Uninstall %s" % code,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "serial_generator_id": generator.id,
            }
            for code in ("11", "22")
        ]
    )
    warehouse = env.ref("stock.warehouse0")
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "location_id": env.ref("stock.stock_location_suppliers").id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
                for product, qty in zip(products, (3, 2), strict=True)
            ],
        }
    )
    receipt.action_confirm()
    action = receipt.action_allocate_serials()
    wizard = env[action["res_model"]].browse(action["res_id"])
    wizard.validate = True
    wizard.action_allocate()
    check("the receipt is validated with 5 serials", receipt.state == "done")
    return products, generator.sequence_id.number_next


def main(conf, db):
    config.parse_config(["-c", conf])
    registry = Registry(db)
    with registry.cursor() as cr:
        env = environment(cr)
        products, counter_next = allocate(env)
        product_ids = products.ids
        issued = set(env["stock.lot"].search([]).mapped("name"))
        env["ir.module.module"].search(
            [("name", "=", "stock_serial_allocation")]
        ).button_immediate_uninstall()

    registry = Registry(db)
    with registry.cursor() as cr:
        env = environment(cr)
        module = env["ir.module.module"].search(
            [("name", "=", "stock_serial_allocation")]
        )
        check("the addon is uninstalled", module.state == "uninstalled")
        check(
            "its models are gone", "stock.serial.generator" not in env.registry.models
        )
        cr.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'stock_lot'::regclass "
            "AND conname LIKE 'stock_lot_serial%%'"
        )
        constraints = [row[0] for row in cr.fetchall()]
        check(
            "its serial constraints on lots are gone (%s)" % constraints,
            not constraints,
        )
        products = env["product.product"].browse(product_ids)
        sequences = products.lot_sequence_id
        check("each product has a lot sequence", len(sequences) == 2)
        year = odoo.fields.Date.today().strftime("%y")
        for product in products:
            sequence = product.lot_sequence_id
            check(
                "%s: its sequence continues the counter" % product.name,
                sequence.number_next_actual == counter_next,
                " (%s, counter was at %s)"
                % (sequence.number_next_actual, counter_next),
            )
            lot = env["stock.lot"].create({"product_id": product.id})
            expected = "U-%s-%s-%04d" % (product.default_code, year, counter_next)
            check(
                "%s: a lot created without a name is named by Odoo" % product.name,
                lot.name == expected,
                " (%s, expected %s)" % (lot.name, expected),
            )
        product = products[0]
        lots = env["stock.lot"].search([("product_id", "in", product_ids)])
        new_names = set(lots.mapped("name")) - issued
        check("no serial issued before is issued again", len(new_names) == 2)

        # The Generate dialog's server side, as the web client calls it: each
        # call is a request of its own (nothing cached from the one before).
        env.invalidate_all()
        first = product.lot_sequence_id.next_by_id()
        env.invalidate_all()
        vals_list = env["stock.move"].action_generate_lot_line_vals(
            {
                "default_product_id": product.id,
                "default_location_dest_id": env.ref("stock.warehouse0").lot_stock_id.id,
                "default_location_id": env.ref("stock.stock_location_suppliers").id,
                "default_tracking": "serial",
                "default_quantity": 3,
            },
            "generate",
            first,
            3,
            "",
        )
        names = [vals["lot_name"] for vals in vals_list]
        expected = [
            "U-11-%s-%04d" % (year, number)
            for number in range(counter_next + 1, counter_next + 4)
        ]
        check(
            "the Generate dialog continues the sequence",
            names == expected,
            " (%s)" % names,
        )
        check("and repeats no serial", not set(names) & issued)

        # The manufacturing order's serial dialog proposes the next serial
        # (a new request in the web client: nothing cached from above).
        env.invalidate_all()
        issued |= new_names | set(names)
        production = env["mrp.production"].create(
            {"product_id": product.id, "product_qty": 2}
        )
        production.action_confirm()
        action = production.action_generate_serial()
        wizard = (
            env["mrp.production.serials"].with_context(**action["context"]).create({})
        )
        check(
            "the manufacturing order's dialog proposes an Odoo serial",
            wizard.lot_name.startswith("U-11-%s-" % year)
            and wizard.lot_name not in issued,
            " (%s)" % wizard.lot_name,
        )
        wizard.action_generate_serial_numbers()
        wizard.action_apply()
        check(
            "and gives the order two new serials",
            len(production.lot_producing_ids) == 2
            and not set(production.lot_producing_ids.mapped("name")) & issued,
        )
        cr.rollback()

    reinstall(db, product_ids)
    failed = sum(1 for _description, ok in CHECKS if not ok)
    print("%d passed, %d failed" % (len(CHECKS) - failed, failed))
    return 1 if failed else 0


def deliver(env, product, customer, quantity):
    """With Odoo alone: a validated delivery of `quantity` serials of
    `product` (those Odoo reserves) to `customer`."""
    warehouse = env.ref("stock.warehouse0")
    delivery = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": customer.id,
            "move_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": env.ref(
                            "stock.stock_location_customers"
                        ).id,
                    }
                )
            ],
        }
    )
    delivery.action_confirm()
    delivery.button_validate()
    return delivery


def move_with_odoo(env, products, customers):
    """With Odoo alone: serials delivered to two customers, one taken back
    through Odoo's return wizard, one sent to a transit location. Return
    {serial: (status, holder id)} as the addon must find them."""
    first, second = products
    lots = env["stock.lot"].search([("product_id", "in", products.ids)])
    delivery = deliver(env, first, customers[0], 2)
    wizard = (
        env["stock.return.picking"]
        .with_context(active_id=delivery.id, active_model="stock.picking")
        .create({})
    )
    wizard.product_return_moves.quantity = 1
    returned = env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
    returned.button_validate()
    other = deliver(env, second, customers[1], 1)
    transit = env["stock.location"].create(
        {"name": "Reinstall Transit", "usage": "transit"}
    )
    in_transit = lots.filtered(lambda lot: lot.product_id == second) - (
        other.move_ids.move_line_ids.lot_id
    )
    move = env["stock.move"].create(
        {
            "product_id": second.id,
            "product_uom_qty": 1,
            "location_id": env.ref("stock.warehouse0").lot_stock_id.id,
            "location_dest_id": transit.id,
        }
    )
    move._action_confirm()
    move._action_assign()
    move.picked = True
    move._action_done()
    back = returned.move_ids.move_line_ids.lot_id
    delivered = delivery.move_ids.move_line_ids.lot_id - back
    check(
        "Odoo alone delivers to two customers, takes one back, moves one",
        delivery.state == returned.state == other.state == move.state == "done"
        and len(delivered) == len(back) == len(in_transit) == 1
        and move.move_line_ids.lot_id == in_transit,
    )
    expected = {lot.name: ("in_stock", None) for lot in lots}
    expected.update({lot.name: ("delivered", customers[0].id) for lot in delivered})
    expected.update({lot.name: ("returned", None) for lot in back})
    expected.update(
        {
            lot.name: ("delivered", customers[1].id)
            for lot in other.move_ids.move_line_ids.lot_id
        }
    )
    expected.update({lot.name: ("in_transit", None) for lot in in_transit})
    return expected


def reinstall(db, product_ids):
    """Odoo alone delivers serials to two customers, takes one back and
    moves one to transit; installing the addon again gives every serial its
    status and holder from the quants and moves."""
    registry = Registry(db)
    with registry.cursor() as cr:
        env = environment(cr)
        products = env["product.product"].browse(product_ids)
        customers = env["res.partner"].create(
            [{"name": "Reinstall Customer %s" % n} for n in (1, 2)]
        )
        expected = move_with_odoo(env, products, customers)
        lot_ids = env["stock.lot"].search([("product_id", "in", product_ids)]).ids
        env["ir.module.module"].search(
            [("name", "=", "stock_serial_allocation")]
        ).button_immediate_install()

    registry = Registry(db)
    with registry.cursor() as cr:
        env = environment(cr)
        cr.execute(
            "SELECT name, serial_status, serial_partner_id FROM stock_lot "
            "WHERE id = ANY(%s)",
            [lot_ids],
        )
        found = {name: (status, partner) for name, status, partner in cr.fetchall()}
        check(
            "installed again, each serial has its status",
            found == expected,
            " (%s, expected %s)" % (found, expected),
        )
        cr.execute(
            "SELECT count(*) FROM stock_lot lot JOIN product_product product "
            "ON product.id = lot.product_id JOIN product_template template ON "
            "template.id = product.product_tmpl_id WHERE template.tracking = "
            "'serial' AND lot.serial_status IS NULL"
        )
        check("no serial is left without status", cr.fetchone()[0] == 0)


if __name__ == "__main__":
    try:
        sys.exit(main(*sys.argv[1:3]))
    except Exception:
        traceback.print_exc()
        failed = sum(1 for _description, ok in CHECKS if not ok)
        print("%d passed, %d failed" % (len(CHECKS) - failed, failed + 1))
        sys.exit(1)

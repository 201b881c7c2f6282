# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user
from odoo.tools.safe_eval import safe_eval

from .lifecycle_common import SerialLifecycleCommon
from .mrp_common import MrpAllocationCommon


class WarrantyMixin:
    def _warranty(self, lots):
        """{serial: (start, end, vendor end)} read from the database."""
        lots.invalidate_recordset()
        return {
            lot.name: (
                lot.serial_warranty_start,
                lot.serial_warranty_end,
                lot.serial_vendor_warranty_end,
            )
            for lot in lots
        }


class TestSerialWarranty(WarrantyMixin, SerialLifecycleCommon):
    """Customer warranty from delivery or receipt, vendor warranty from the
    vendor's price list line, the category's default, the filters."""

    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.laptop)

    def test_warranty_starts_at_delivery(self):
        self.laptop.write({"warranty": 12, "warranty_type": "month"})
        self.assertEqual(self.laptop.warranty_start, "delivery")
        lots = self._received_laptops()
        self.assertEqual(set(self._warranty(lots).values()), {(False, False, False)})
        delivery = self._deliver(lots[:2])
        end = self.today + relativedelta(months=12)
        self.assertEqual(
            self._warranty(lots[:2]),
            {lot.name: (self.today, end, False) for lot in lots[:2]},
        )
        self.assertEqual(
            set(self._warranty(lots[2:]).values()), {(False, False, False)}
        )
        # Returned and delivered again: the first warranty goes on.
        earlier = date(2025, 1, 15)
        lots[:1].write({"serial_warranty_start": earlier})
        self._return(delivery, lots[:1])
        self._deliver(lots[:1])
        self.assertEqual(
            self._warranty(lots[:1]), {lots[0].name: (earlier, end, False)}
        )

    def test_warranty_restarts_when_the_product_says_so(self):
        self.laptop.write(
            {"warranty": 2, "warranty_type": "year", "warranty_restart": True}
        )
        lots = self._received_laptops()
        delivery = self._deliver(lots[:1])
        lots[:1].write(
            {
                "serial_warranty_start": date(2025, 1, 15),
                "serial_warranty_end": date(2027, 1, 15),
            }
        )
        self._return(delivery, lots[:1])
        self._deliver(lots[:1])
        self.assertEqual(
            self._warranty(lots[:1]),
            {
                lots[0].name: (
                    self.today,
                    self.today + relativedelta(years=2),
                    False,
                )
            },
        )

    def test_warranty_given_by_a_migration_file_is_kept(self):
        self.laptop.warranty = 12
        lots = self._received_laptops()
        imported = date(2030, 6, 30)
        lots[:1].write({"serial_warranty_end": imported})
        self._deliver(lots[:1])
        self.assertEqual(
            self._warranty(lots[:1]), {lots[0].name: (False, imported, False)}
        )

    def test_recompute_warranty_ends(self):
        self.laptop.write({"warranty": 12, "warranty_type": "month"})
        lots = self._received_laptops()
        self._deliver(lots[:2])
        imported = date(2030, 6, 30)
        lots[2:3].write({"serial_warranty_end": imported})
        # A new period applies to the serials not started yet ...
        self.laptop.warranty = 24
        self._deliver(lots[3:4])
        self.assertEqual(
            self._warranty(lots[:4]),
            {
                lots[0].name: (
                    self.today,
                    self.today + relativedelta(months=12),
                    False,
                ),
                lots[1].name: (
                    self.today,
                    self.today + relativedelta(months=12),
                    False,
                ),
                lots[2].name: (False, imported, False),
                lots[3].name: (
                    self.today,
                    self.today + relativedelta(months=24),
                    False,
                ),
            },
        )
        # ... and to the started ones only when a manager asks for it.
        clerk = new_test_user(
            self.env, "warranty_clerk", groups="stock.group_stock_user"
        )
        with self.assertRaisesRegex(AccessError, "Only inventory administrators"):
            self.laptop.with_user(clerk).action_recompute_serial_warranty()
        self.laptop.action_recompute_serial_warranty()
        end = self.today + relativedelta(months=24)
        self.assertEqual(
            self._warranty(lots[:4]),
            {
                lots[0].name: (self.today, end, False),
                lots[1].name: (self.today, end, False),
                lots[2].name: (False, imported, False),
                lots[3].name: (self.today, end, False),
            },
        )
        note = self.laptop.product_tmpl_id.message_ids[:1]
        self.assertIn("24 month(s)", note.body)
        self.assertIn("2 of 3 started serials changed", note.body)

    def test_warranty_at_receipt_and_vendor_warranty(self):
        self.laptop.write(
            {"warranty": 90, "warranty_type": "day", "warranty_start": "receipt"}
        )
        self.env["product.supplierinfo"].create(
            {
                "partner_id": self.vendor.id,
                "product_tmpl_id": self.laptop.product_tmpl_id.id,
                "warranty_duration": 6,
            }
        )
        lots = self._received_laptops()
        routers = self.move_router.move_line_ids.lot_id
        self.assertEqual(
            self._warranty(lots),
            {
                lot.name: (
                    self.today,
                    self.today + relativedelta(days=90),
                    self.today + relativedelta(months=6),
                )
                for lot in lots
            },
        )
        self.assertEqual(set(self._warranty(routers).values()), {(False, False, False)})
        # Delivering does not start it again.
        self._deliver(lots[:1])
        self.assertEqual(self._warranty(lots[:1])[lots[0].name][0], self.today)

    def test_other_vendor_gives_no_vendor_warranty(self):
        self.env["product.supplierinfo"].create(
            {
                "partner_id": self.vendor.id,
                "product_tmpl_id": self.laptop.product_tmpl_id.id,
                "warranty_duration": 6,
            }
        )
        receipt = self._create_receipt([(self.laptop, 1)], vendor=self.vendor_2)
        self._allocate_receipt(receipt, validate=True)
        lots = receipt.move_ids.move_line_ids.lot_id
        self.assertEqual(self._warranty(lots), {lots.name: (False, False, False)})

    def test_category_gives_the_default(self):
        category = self.env["product.category"].create(
            {"name": "Warranty Category", "warranty": 3, "warranty_type": "year"}
        )
        template = self.env["product.template"].create(
            {"name": "Warranty Printer", "categ_id": category.id}
        )
        self.assertEqual((template.warranty, template.warranty_type), (3, "year"))
        template.warranty = 5
        self.assertEqual((template.warranty, template.warranty_type), (5, "year"))
        other = self.env["product.category"].create(
            {"name": "Other Warranty Category", "warranty": 6}
        )
        template.categ_id = other
        self.assertEqual((template.warranty, template.warranty_type), (6, "month"))
        # A product with its own value keeps it when its category changes.
        template.warranty = 2
        category.warranty = 9
        self.assertEqual(template.warranty, 2)

    def test_filters_and_lookup(self):
        lots = self._received_laptops()
        today = self.today
        ends = [
            today + relativedelta(days=200),
            today + relativedelta(days=10),
            today - relativedelta(days=3),
            False,
        ]
        for lot, end in zip(lots, ends, strict=False):
            lot.serial_warranty_end = end
        lots[4].write({"serial_vendor_warranty_end": today + relativedelta(days=1)})
        view = self.env.ref("stock_serial_allocation.view_stock_lot_warranty_search")
        context = {"context_today": lambda: today, "relativedelta": relativedelta}
        found = {}
        for node in etree.fromstring(view.arch).iter("filter"):
            if node.get("domain"):
                domain = safe_eval(node.get("domain"), context)
                found[node.get("name")] = self.Lot.search(
                    [("id", "in", lots.ids), *domain]
                )
        self.assertEqual(found["under_warranty"], lots[:2])
        self.assertEqual(found["warranty_expiring"], lots[1])
        self.assertEqual(found["warranty_expired"], lots[2])
        self.assertEqual(found["under_vendor_warranty"], lots[4])
        # The lot search (Inventory > Products > Lots/Serial Numbers) has them.
        lot_search = self.env.ref(
            "stock_serial_allocation.search_product_lot_filter_inherit_stock_serial_allocation"
        )
        for name in found:
            self.assertIn('name="%s"' % name, lot_search.arch_db)

        form = Form(self.env["stock.serial.lookup"])
        form.serial = lots[1].name
        self.assertEqual(form.warranty_left, "10 day(s) left")
        form.serial = lots[2].name
        self.assertEqual(form.warranty_left, "Expired 3 day(s) ago")
        self.assertFalse(form.vendor_warranty_left)

    def test_warranties_report(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock_serial_allocation.action_stock_lot_warranty"
        )
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertIn("pivot", action["view_mode"])
        menu = self.env.ref("stock_serial_allocation.menu_serial_warranties")
        self.assertEqual(menu.parent_id, self.env.ref("stock.menu_warehouse_report"))
        lots = self._received_laptops()
        lots[0].serial_warranty_end = self.today
        self.assertEqual(self.Lot.search(safe_eval(action["domain"])) & lots, lots[0])


class TestSerialWarrantyProduction(WarrantyMixin, MrpAllocationCommon):
    def test_warranty_starts_at_production(self):
        self.product.write(
            {"warranty": 1, "warranty_type": "year", "warranty_start": "production"}
        )
        production = self._create_mo(2)
        production.action_assign()
        self._allocate(production)
        finished = production.lot_producing_ids
        self.assertEqual(len(finished), 2)
        self.assertEqual(
            set(self._warranty(finished).values()), {(False, False, False)}
        )
        self.assertIs(production.button_mark_done(), True)
        today = fields.Date.context_today(production)
        self.assertEqual(
            self._warranty(finished),
            {
                lot.name: (today, today + relativedelta(years=1), False)
                for lot in finished
            },
        )

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from ast import literal_eval

from lxml import etree

from odoo.tests import Form

from .common import SerialAllocationCommon


class TestSerialProduct(SerialAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls._create_generator(
            name="Product Codes", prefix="%(product_code)s-", padding=5
        )
        cls.product = cls._create_serial_product(
            "Router X200", generator=cls.generator, default_code="RTX200"
        )

    # ------------------------------------------------------------------
    # Serial Product checkbox
    # ------------------------------------------------------------------
    def test_serial_product_checkbox_form(self):
        form = Form(self.env["product.template"])
        form.name = "Form Serial Product"
        self.assertFalse(form.is_serial_product)
        form.is_serial_product = True
        template = form.save()
        self.assertTrue(template.is_serial_product)
        self.assertEqual(template.tracking, "serial")
        self.assertEqual(template.type, "consu")
        self.assertTrue(template.is_storable)

        with Form(template) as form:
            form.is_serial_product = False
        self.assertFalse(template.is_serial_product)
        self.assertEqual(template.tracking, "none")
        self.assertTrue(template.is_storable, "only the tracking is cleared")

        with Form(template) as form:
            form.is_serial_product = True
        self.assertEqual(template.tracking, "serial")

    def test_serial_product_checkbox_follows_tracking(self):
        template = self.env["product.template"].create(
            {
                "name": "Lot Product",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        self.assertFalse(template.is_serial_product)
        template.tracking = "serial"
        self.assertTrue(template.is_serial_product)
        # Clearing the box of a lot-tracked product leaves its tracking alone.
        template.tracking = "lot"
        template.is_serial_product = False
        self.assertEqual(template.tracking, "lot")
        # The variant exposes the box too.
        variant = self.env["product.product"].create({"name": "Variant Box"})
        variant.is_serial_product = True
        self.assertEqual(variant.tracking, "serial")
        self.assertTrue(variant.is_storable)

    def test_search_serial_products(self):
        serial = self.product.product_tmpl_id
        other = self.env["product.template"].create(
            {"name": "Untracked", "type": "consu", "is_storable": True}
        )
        lot = self.env["product.template"].create(
            {"name": "By Lot", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        templates = serial | other | lot
        Template = self.env["product.template"]
        for domain, expected in [
            ([("is_serial_product", "=", True)], serial),
            ([("is_serial_product", "!=", False)], serial),
            ([("is_serial_product", "=", False)], other | lot),
            ([("is_serial_product", "!=", True)], other | lot),
        ]:
            with self.subTest(domain=domain):
                found = Template.search(domain + [("id", "in", templates.ids)])
                self.assertEqual(found, expected)
        variants = self.env["product.product"].search(
            [("is_serial_product", "=", True), ("product_tmpl_id", "in", templates.ids)]
        )
        self.assertEqual(variants, self.product)
        # The "Serial Products" filter of Inventory's product search views.
        for view_xmlid, model, tmpl_field in [
            ("stock.product_template_search_form_view_stock", "product.template", "id"),
            (
                "stock.stock_product_search_form_view",
                "product.product",
                "product_tmpl_id",
            ),
        ]:
            with self.subTest(view=view_xmlid):
                view = self.env.ref(view_xmlid)
                arch = self.env[model].get_view(view.id, "search")["arch"]
                [node] = etree.fromstring(arch).xpath(
                    "//filter[@name='serial_products']"
                )
                domain = literal_eval(node.get("domain"))
                found = self.env[model].search(
                    domain + [(tmpl_field, "in", templates.ids)]
                )
                self.assertEqual(found, self.product if tmpl_field != "id" else serial)

    # ------------------------------------------------------------------
    # Generator resolution
    # ------------------------------------------------------------------
    def test_generator_resolution(self):
        gen_own = self._create_generator(name="Own")
        gen_parent = self._create_generator(name="Parent Category")
        gen_child = self._create_generator(name="Child Category")
        gen_company = self._create_generator(name="Company Default")
        parent = self.env["product.category"].create(
            {"name": "Parent", "serial_generator_id": gen_parent.id}
        )
        child = self.env["product.category"].create(
            {"name": "Child", "parent_id": parent.id}
        )
        grandchild = self.env["product.category"].create(
            {"name": "Grandchild", "parent_id": child.id}
        )
        product = self._create_serial_product("Resolved", categ_id=grandchild.id)
        template = product.product_tmpl_id

        def assert_generator(generator):
            template.invalidate_recordset(["effective_serial_generator_id"])
            self.assertEqual(template._get_serial_generator(), generator)
            self.assertEqual(template.effective_serial_generator_id, generator)
            self.assertEqual(product.lot_sequence_id, generator.sequence_id)

        # The nearest category with a generator wins (here the grandparent).
        assert_generator(gen_parent)
        child.serial_generator_id = gen_child
        assert_generator(gen_child)
        # The product's own generator comes first.
        template.serial_generator_id = gen_own
        assert_generator(gen_own)
        self.assertEqual(gen_own.product_count, 1)
        self.assertEqual(
            gen_own.action_view_products()["domain"],
            [("serial_generator_id", "=", gen_own.id)],
        )
        self.assertEqual(template.action_open_serial_generator()["res_id"], gen_own.id)
        template.serial_generator_id = False
        assert_generator(gen_child)
        # No generator on the category chain: the company's default one.
        (parent | child).serial_generator_id = False
        self.assertFalse(template._get_serial_generator())
        self.company.serial_generator_id = gen_company
        assert_generator(gen_company)
        # Moving to another category with a generator.
        template.categ_id = parent
        parent.serial_generator_id = gen_parent
        assert_generator(gen_parent)

    def test_generator_resolution_new_product(self):
        """A serial product created under a category takes its generator."""
        gen_category = self._create_generator(name="Category Generator")
        category = self.env["product.category"].create(
            {"name": "With Generator", "serial_generator_id": gen_category.id}
        )
        product = self._create_serial_product("New In Category", categ_id=category.id)
        self.assertEqual(product.effective_serial_generator_id, gen_category)
        self.assertEqual(product.lot_sequence_id, gen_category.sequence_id)
        # A product that is not a serial product keeps Odoo's lot sequence.
        untracked = self.env["product.product"].create(
            {"name": "Untracked", "categ_id": category.id, "type": "consu"}
        )
        self.assertNotEqual(untracked.lot_sequence_id, gen_category.sequence_id)
        untracked.is_serial_product = True
        self.assertEqual(untracked.lot_sequence_id, gen_category.sequence_id)

    # ------------------------------------------------------------------
    # Odoo's own lot numbering draws from the generator
    # ------------------------------------------------------------------
    def test_lot_default_name_uses_generator(self):
        self.assertEqual(self.product.lot_sequence_id, self.generator.sequence_id)
        Lot = self.env["stock.lot"]
        lot = Lot.create({"product_id": self.product.id})
        self.assertEqual(lot.name, "RTX200-00001")
        self.assertEqual(self.generator.number_next, 2)
        self.assertEqual(self.generator.last_serial, "RTX200-00001")
        # Odoo's "next serial" (MO / repair) takes the following number.
        self.assertEqual(
            Lot._get_next_serial(self.company, self.product), "RTX200-00002"
        )
        self.assertEqual(self.generator.number_next, 3)
        # Our allocations continue the same counter.
        self.assertEqual(
            self.generator._next_serials(1, product=self.product), ["RTX200-00003"]
        )
        lot = Lot.create({"product_id": self.product.id})
        self.assertEqual(lot.name, "RTX200-00004")
        # A name typed by the user takes no number.
        Lot.create({"product_id": self.product.id, "name": "TYPED-1"})
        self.assertEqual(self.generator.number_next, 5)
        # Odoo's next_serial field shows the rendered serial, not the bare number.
        self.assertEqual(self.product.product_tmpl_id.next_serial, "RTX200-00005")

    def test_lot_default_name_per_product(self):
        """Lots of several products created together get their own codes."""
        other = self._create_serial_product(
            "Switch S8", generator=self.generator, default_code="SW8"
        )
        lots = self.env["stock.lot"].create(
            [
                {"product_id": self.product.id},
                {"product_id": other.id},
                {"product_id": self.product.id},
            ]
        )
        self.assertEqual(
            sorted(lots.mapped("name")), ["RTX200-00001", "RTX200-00002", "SW8-00003"]
        )
        self.assertEqual(lots[1].name, "SW8-00003")
        self.assertEqual(self.generator.number_next, 4)

    def test_next_serial_without_generator(self):
        """Products without a generator keep Odoo's behaviour."""
        product = self._create_serial_product("No Generator")
        self.assertFalse(product.effective_serial_generator_id)
        Lot = self.env["stock.lot"]
        Lot.create({"product_id": product.id, "name": "LEGACY-0041"})
        self.assertEqual(Lot._get_next_serial(self.company, product), "LEGACY-0042")

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def test_serial_preview(self):
        template = self.product.product_tmpl_id
        self.assertEqual(template.serial_preview, "RTX200-00001")
        self.assertEqual(self.generator.number_next, 1, "the preview takes no number")
        self.generator._next_serials(3, product=self.product)
        template.invalidate_recordset(["serial_preview"])
        self.assertEqual(template.serial_preview, "RTX200-00004")
        # The preview follows the internal reference.
        template.default_code = "RTX201"
        self.assertEqual(template.serial_preview, "RTX201-00004")

    def test_serial_preview_missing_code(self):
        product = self._create_serial_product(
            "Unreferenced Router", generator=self.generator
        )
        template = product.product_tmpl_id
        self.assertEqual(
            template.serial_preview,
            "Unreferenced Router has no Internal Reference "
            "(needed for %(product_code)s)",
        )
        with Form(template) as form:
            self.assertIn("has no Internal Reference", form.serial_preview)
            form.default_code = "UR1"
        self.assertEqual(template.serial_preview, "UR1-00001")
        self.assertEqual(self.generator.number_next, 1)

    def test_serial_preview_only_for_serial_products(self):
        self.company.serial_generator_id = self._create_generator(
            prefix="C-", padding=2
        )
        untracked = self.env["product.template"].create(
            {"name": "Plain", "type": "consu"}
        )
        self.assertFalse(untracked.serial_preview)
        untracked.is_serial_product = True
        self.assertEqual(untracked.serial_preview, "C-01")
        self.company.serial_generator_id = False
        untracked.invalidate_recordset(
            ["effective_serial_generator_id", "serial_preview"]
        )
        self.assertFalse(untracked.effective_serial_generator_id)
        self.assertFalse(untracked.serial_preview)

    def test_serial_preview_form_generator_change(self):
        other = self._create_generator(
            name="Other Pattern", prefix="OT-", padding=3, number_next=9
        )
        with Form(self.product.product_tmpl_id) as form:
            self.assertEqual(form.serial_preview, "RTX200-00001")
            form.serial_generator_id = other
            self.assertEqual(form.effective_serial_generator_id, other)
            self.assertEqual(form.serial_preview, "OT-009")
        self.assertEqual(self.product.lot_sequence_id, other.sequence_id)
        self.assertEqual(other.number_next, 9)

# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, UserError

from .block_common import SerialBlockCommon


class TestSerialBlockUsage(SerialBlockCommon):
    def _usage_wizard(self, block, text=None, **vals):
        wizard = (
            self.env["stock.serial.block.usage"]
            .with_context(active_id=block.id)
            .create(dict({"serials_text": text}, **vals))
        )
        return wizard

    def test_report_usage_creates_lots(self):
        block = self._reserve(10, product_id=self.product.id, partner_id=self.vendor.id)
        serials = list(block._iter_serials())
        wizard = self._usage_wizard(
            block, "%s\n  %s \n%s\n" % (serials[0], serials[5], serials[9])
        )
        self.assertEqual(wizard.product_id, self.product)
        wizard.action_report()
        lots = self.env["stock.lot"].search([("name", "in", serials)])
        self.assertEqual(
            sorted(lots.mapped("name")), [serials[0], serials[5], serials[9]]
        )
        self.assertEqual(lots.product_id, self.product)
        self.assertEqual(lots.serial_vendor_id, self.vendor)
        allocation = lots.serial_allocation_id
        self.assertRecordValues(
            allocation,
            [
                {
                    "source": "block",
                    "method": "block",
                    "block_id": block.id,
                    "count": 3,
                    "state": "done",
                    "partner_id": self.vendor.id,
                    "document_ref": block,
                }
            ],
        )
        self.assertEqual(lots.mapped("serial_source"), ["block"] * 3)
        self.assertEqual(
            (block.used_count, block.remaining_count, block.state), (3, 7, "in_use")
        )
        self.assertEqual(
            block.next_offset, 0, "reported serials do not move the take position"
        )
        self.assertEqual(block.allocation_count, 1)
        self.assertEqual(self.generator.number_next_actual, 11)

    def test_report_usage_needs_a_product(self):
        block = self._reserve(10)
        serials = list(block._iter_serials(0, 2))
        with self.assertRaisesRegex(UserError, "not reserved for a product"):
            block._report_usage([(1, serials[0])])
        wizard = self._usage_wizard(block, serials[0], product_id=self.product.id)
        wizard.action_report()
        self.assertEqual(block.used_count, 1)
        # A product of another generator is refused.
        with self.assertRaisesRegex(UserError, "takes its serials from Plain"):
            self._usage_wizard(
                block, serials[1], product_id=self.plain_product.id
            ).action_report()

    def test_report_usage_by_file(self):
        block = self._reserve(10, product_id=self.product.id)
        serials = list(block._iter_serials())
        content = "serial,applied on\n%s,2026-01-02\n%s,2026-01-03\n" % (
            serials[1],
            serials[2],
        )
        wizard = self._usage_wizard(
            block,
            input_method="import",
            import_file=base64.b64encode(content.encode()),
            import_filename="usage.csv",
        )
        wizard.action_report()
        self.assertEqual(block.used_count, 2)
        self.assertTrue(self.env["stock.lot"].search([("name", "=", serials[2])]))

    def test_report_usage_every_bad_input(self):
        """Outside the block, already used, wrong check digit, repeated and
        blank serials are each listed; nothing is written."""
        block = self._reserve(10, product_id=self.product.id)
        neighbour = self._reserve(10, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[0])])
        outside = next(neighbour._iter_serials())
        wrong_check = serials[4][:-1] + ("0" if serials[4][-1] != "0" else "1")
        cases = {
            "outside": (
                [outside],
                "line 1: %s is not a serial of this block (%s … %s)"
                % (outside, serials[0], serials[-1]),
            ),
            "used": (
                [serials[0]],
                "line 1: %s is already used ([SCN1] Scanner S1, " % serials[0],
            ),
            "check digit": (
                [wrong_check],
                "line 1: %s has a wrong check digit (mod_37_36)" % wrong_check,
            ),
            "repeated": (
                [serials[1], serials[1]],
                "line 2 repeats %s (line 1)" % serials[1],
            ),
            "blank": ([serials[1], "  ", serials[2]], "line 2 is blank"),
        }
        before = self._snapshot(block, neighbour)
        for name, (lines, message) in cases.items():
            with self.subTest(case=name):
                with self.assertRaises(UserError) as error:
                    self._usage_wizard(block, "\n".join(lines)).action_report()
                self.assertIn("No serial was allocated", str(error.exception))
                self.assertIn(message, str(error.exception))
                self.assertEqual(self._snapshot(block, neighbour), before)
        # All at once: every offending line is listed.
        text = "\n".join(
            [
                serials[2],
                outside,
                serials[0],
                wrong_check,
                serials[3],
                serials[3],
                "",
                serials[5],
            ]
        )
        with self.assertRaises(UserError) as error:
            self._usage_wizard(block, text).action_report()
        message = str(error.exception)
        for expected in (
            "line 2: %s is not a serial of this block" % outside,
            "line 3: %s is already used" % serials[0],
            "line 4: %s has a wrong check digit" % wrong_check,
            "line 6 repeats %s (line 5)" % serials[3],
            "line 7 is blank",
        ):
            self.assertIn(expected, message)
        for good in (serials[2], serials[5]):
            self.assertNotIn(good, message)
        self.assertEqual(self._snapshot(block, neighbour), before)
        with self.assertRaisesRegex(UserError, "Report at least one serial"):
            self._usage_wizard(block, "\n\n").action_report()
        self.assertEqual(self._snapshot(block, neighbour), before)

    def test_report_usage_on_closed_blocks(self):
        block = self._reserve(3, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[0]), (2, serials[1]), (3, serials[2])])
        self.assertEqual(block.state, "exhausted")
        with self.assertRaisesRegex(UserError, "is already used"):
            block._report_usage([(1, serials[1])])
        released = self._reserve(3, product_id=self.product.id)
        released.action_release("Contract ended")
        before = self._snapshot(released)
        with self.assertRaisesRegex(
            UserError, "was released; its unused serials were voided"
        ):
            released._report_usage([(1, next(released._iter_serials()))])
        self.assertEqual(self._snapshot(released), before)


class TestSerialBlockRelease(SerialBlockCommon):
    def test_release_voids_the_remainder(self):
        block = self._reserve(10, product_id=self.product.id)
        serials = list(block._iter_serials())
        block._report_usage([(1, serials[9])])
        self.assertEqual(block._take_serials(2), serials[:2])
        wizard = (
            self.env["stock.serial.block.release"]
            .with_user(self.manager)
            .with_context(active_ids=block.ids)
            .create({"reason": "Printer replaced"})
        )
        wizard.action_release()
        self.assertRecordValues(
            block,
            [
                {
                    "state": "released",
                    "used_count": 3,
                    "voided_count": 7,
                    "remaining_count": 0,
                    "release_reason": "Printer replaced",
                }
            ],
        )
        voided = self.env["stock.serial.allocation"].search(
            [("block_id", "=", block.id), ("state", "=", "voided")]
        )
        self.assertRecordValues(
            voided,
            [
                {
                    "method": "block",
                    "source": "block",
                    "count": 7,
                    "voided_count": 7,
                    "first_serial": serials[2],
                    "last_serial": serials[8],
                    "void_reason": "Printer replaced",
                    "product_id": self.product.id,
                    "generator_id": self.generator.id,
                }
            ],
        )
        self.assertFalse(voided.lot_ids)
        # Never reissued: the block refuses to give any, the counter is past them.
        with self.assertRaisesRegex(UserError, "only 0 unused serial"):
            block._take_serials(1)
        next_serial = self.generator._next_serials(1, self.product, source="block")[0]
        self.assertEqual(block._get_serial_offset(next_serial), (None, "outside"))
        self.assertEqual(self.generator.number_next_actual, 12)
        with self.assertRaisesRegex(UserError, "not open and cannot be released"):
            block.with_user(self.manager).action_release("again")

    def test_release_without_product_or_usage(self):
        block = self._reserve(5)
        serials = list(block._iter_serials())
        block.action_release("Never used")
        voided = block.allocation_ids
        self.assertRecordValues(
            voided,
            [
                {
                    "state": "voided",
                    "count": 5,
                    "first_serial": serials[0],
                    "last_serial": serials[-1],
                    "product_id": False,
                }
            ],
        )
        # The register lists the voided remainder.
        self.assertIn(
            voided,
            self.env["stock.serial.allocation"].search([("state", "=", "voided")]),
        )

    def test_release_needs_a_reason_and_a_manager(self):
        block = self._reserve(5)
        with self.assertRaisesRegex(UserError, "Give a reason"):
            block.action_release("  ")
        with self.assertRaisesRegex(AccessError, "Only serial allocation managers"):
            block.with_user(self.stock_user).action_release("because")
        self.assertEqual(block.state, "reserved")
        self.assertFalse(block.allocation_ids)

    def test_release_exhausted_block_refused(self):
        block = self._reserve(2)
        block._take_serials(2)
        self.assertEqual(block.state, "exhausted")
        with self.assertRaisesRegex(UserError, r"Exhausted"):
            block.action_release("late")

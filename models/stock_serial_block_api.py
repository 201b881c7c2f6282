# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The XML-RPC / JSON-RPC interface of serial blocks for the holders'
systems: reserve a block, read it, fetch its serials, report their usage."""

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .stock_serial_block import MANAGER_GROUP, USER_GROUP

# Serials returned by one api_get_serials call, at most.
MAX_API_PAGE = 100000


class StockSerialBlock(models.Model):
    _inherit = "stock.serial.block"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def api_reserve(
        self,
        generator_id,
        size,
        holder_name,
        partner_id=None,
        product_id=None,
        holder_user_id=None,
    ):
        """Reserve a block of `size` serials of generator `generator_id` for
        `holder_name`, optionally for a partner, a product and the holder
        system's API user (`holder_user_id`, group Serial Block Holder).
        Serial allocation managers only. Returns {"id", "name", "first_serial",
        "last_serial", "size", "used", "remaining", "state"}."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only serial allocation managers can reserve blocks.")
            )
        generator = (
            self.env["stock.serial.generator"]
            .browse(self._api_integer(generator_id, "generator_id"))
            .exists()
        )
        if not generator:
            raise UserError(
                self.env._("Serial generator %(id)s does not exist.", id=generator_id)
            )
        generator.check_access("read")
        block = self.create(
            {
                "generator_id": generator.id,
                "size": size,
                "holder_name": holder_name,
                "partner_id": partner_id
                and self._api_integer(partner_id, "partner_id"),
                "product_id": product_id
                and self._api_integer(product_id, "product_id"),
                "holder_user_id": holder_user_id
                and self._api_integer(holder_user_id, "holder_user_id"),
            }
        )
        return block._api_summary()

    def _api_summary(self):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "first_serial": self.first_serial,
            "last_serial": self.last_serial,
            "size": self.size,
            "used": self.used_count,
            "remaining": self.remaining_count,
            "state": self.state,
        }

    @api.model
    def _api_integer(self, value, name):
        """`value` as an int, or an error naming argument `name`: an RPC
        client may send 2.5 or "2" where a whole number is meant."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(
                self.env._(
                    "%(name)s must be a whole number, not %(value)r.",
                    name=name,
                    value=value,
                )
            )
        return value

    @api.model
    def _api_get_block(self, block_id):
        """The block `block_id` if the API user may read it, else an error."""
        if isinstance(block_id, float) and block_id.is_integer():
            block_id = int(block_id)
        if isinstance(block_id, bool) or not isinstance(block_id, int):
            raise UserError(self.env._("%(id)r is not a serial block id.", id=block_id))
        block = self.browse(block_id)
        if not block.sudo().exists():
            raise UserError(
                self.env._("Serial block %(id)s does not exist.", id=block_id)
            )
        try:
            block.check_access("read")
        except AccessError:
            raise AccessError(
                self.env._(
                    "You may not use serial block %(id)s: it is not held by your user.",
                    id=block_id,
                )
            ) from None
        return block

    @api.model
    def api_get_block(self, block_id):
        """Return the summary of block `block_id` (see ``api_reserve``)."""
        return self._api_get_block(block_id)._api_summary()

    @api.model
    def api_get_serials(self, block_id, offset=0, limit=1000):
        """Return the serials of block `block_id` from position `offset`
        (0 = first serial), `limit` of them at most (100,000 per call)."""
        block = self._api_get_block(block_id)
        offset = self._api_integer(offset, "offset")
        limit = self._api_integer(limit, "limit")
        if offset < 0 or limit <= 0 or limit > MAX_API_PAGE:
            raise UserError(
                self.env._(
                    "Ask for 1 to %(max)s serials from an offset of 0 or more "
                    "(offset %(offset)s, limit %(limit)s).",
                    max=MAX_API_PAGE,
                    offset=offset,
                    limit=limit,
                )
            )
        return list(block.sudo()._iter_serials(offset, limit))

    @api.model
    def api_report_usage(self, block_id, serials, product_id=None):
        """Report the serials of block `block_id` the holder applied: their
        lots are created (of the block's product, or `product_id`). Serials
        outside the block, with a wrong check digit, already used, repeated or
        blank are all listed in one error and nothing is written. Returns
        {"allocation", "lots", "serials", "used", "remaining"}."""
        block = self._api_get_block(block_id)
        if not isinstance(serials, (list, tuple)):
            raise UserError(self.env._("Give the used serials as a list of strings."))
        product = self.env["product.product"]
        if product_id:
            product = product.browse(self._api_integer(product_id, "product_id"))
            product = product.exists()
            if not product:
                raise UserError(
                    self.env._("Product %(id)s does not exist.", id=product_id)
                )
        if not self.env.user.has_group(USER_GROUP):
            # A holder's API user reports on its own block (checked above)
            # without any other right in the inventory.
            block = block.sudo()
        lines = [
            (index, str(serial or "")) for index, serial in enumerate(serials, start=1)
        ]
        allocation = block._report_usage(lines, product)
        block.invalidate_recordset()
        return {
            "allocation": allocation.name,
            "lots": allocation.lot_ids.ids,
            "serials": allocation.lot_ids.mapped("name"),
            "used": block.used_count,
            "remaining": block.remaining_count,
        }

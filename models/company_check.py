# Copyright 2026 Stock Serial Allocation Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's company consistency check, for records created by the thousand."""

from collections import defaultdict


def needs_company_check(records, fnames):
    """Whether ``BaseModel._check_company(fnames)`` can find anything wrong
    with `records`; found in a few queries.

    Odoo's check filters, for every record and every field, the linked
    records with a domain of their own: thousands of lots or move lines cost
    thousands of filters. Here the linked records of each field are filtered
    once per set of companies. The check of a record depends only on its
    companies and on what it links to, so when this finds nothing, neither
    would Odoo; when it finds something, Odoo's own check runs and raises
    its own message.
    """
    if len(records) < 2:
        return True
    if fnames is None or {"company_id", "company_ids"} & set(fnames):
        fnames = records._fields
    fields = [
        records._fields[name]
        for name in fnames
        if records._fields[name].relational and records._fields[name].check_company
    ]
    if not fields:
        return False
    company_fname = next(
        (name for name in ("company_id", "company_ids") if name in records._fields),
        None,
    )
    if company_fname is None or records._name == "res.company":
        return True
    linked_ids = defaultdict(set)
    current_company = records.env.company
    for companies, group in records.sudo().grouped(company_fname).items():
        for field in fields:
            key_companies = current_company if field.company_dependent else companies
            linked_ids[field, key_companies._ids].update(group.mapped(field.name)._ids)
    Company = records.env["res.company"]
    for (field, company_ids), ids in linked_ids.items():
        linked = records.env[field.comodel_name].sudo().browse(ids)
        domain = linked._check_company_domain(Company.browse(company_ids))
        if domain and len(
            linked.with_context(active_test=False).filtered_domain(domain)
        ) != len(linked):
            return True
    return False

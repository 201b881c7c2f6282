# Developer entry points for the stock_serial_allocation addon.
# The real work is done by the scripts in tools/ (see their headers).
#
#   make run                 serve serial_demo (demo data) at http://localhost:8069
#   make test                full test run on a throwaway cluster + database
#   make test ARGS="-k foo"  extra pytest arguments (or env PYTEST_ARGS)
#   make quicktest ARGS=...  iterate on tests against .local's serial_test db
#   make test-odoo           Odoo's own stock, purchase_stock, mrp and
#                            stock_account suites with the addon installed,
#                            against the known failures of Odoo's own build
#   make test-odoo-quick     the same, core test files about serials only
#   make test-uninstall      allocate, uninstall, then Odoo alone names lots
#   make load-test           concurrent clients drawing serials over XML-RPC
#                            from a 4-worker server on a throwaway cluster
#                            (CLIENTS=8 DURATION=30, ARGS="--seed 42")
#   make lint                ruff check, ruff format --check, pylint-odoo
#   make stop                stop the .local PostgreSQL cluster
#   make clean               stop it and delete .local/ and caches

SHELL := /bin/bash
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
TOOLS := $(ROOT)/tools
ARGS ?=

.PHONY: run test quicktest test-odoo test-odoo-quick test-uninstall load-test lint stop \
	clean

run:
	bash "$(TOOLS)/run.sh" $(ARGS)

test:
	bash "$(TOOLS)/test.sh" $(ARGS)

quicktest:
	bash "$(TOOLS)/quicktest.sh" $(ARGS)

test-odoo:
	bash "$(TOOLS)/test_odoo.sh" $(ARGS)

test-odoo-quick:
	bash "$(TOOLS)/test_odoo.sh" --quick $(ARGS)

test-uninstall:
	bash "$(TOOLS)/test_uninstall.sh"

load-test:
	bash "$(TOOLS)/load_test.sh" $(ARGS)

lint:
	bash "$(TOOLS)/lint.sh"

stop:
	bash "$(TOOLS)/clean.sh" --stop

clean:
	bash "$(TOOLS)/clean.sh"

# Thin entry points; infra/stack.sh and infra/install.sh do the work (see their headers).
PY := .venv/bin/python
CODE := contracts shared services tests bench

.PHONY: install up servers down status test demo lint bench chaos docs

install:
	infra/install.sh

up:
	infra/stack.sh up

down:
	infra/stack.sh down

status:
	infra/stack.sh status

# Tests and benchmarks start the services in-process, so they need servers and topics only.
servers:
	STACK_SERVICES=0 infra/stack.sh up

test: servers
	.venv/bin/pytest -q

demo: up
	$(PY) -m shared.demo

lint: install
	.venv/bin/ruff check $(CODE)
	.venv/bin/mypy $(CODE)

bench: servers
	$(PY) -m bench

chaos: servers
	.venv/bin/pytest -q tests/chaos

docs: install
	$(PY) -m contracts.export docs/generated

# Thin entry points; infra/stack.sh and infra/install.sh do the work (see their headers).
PY := .venv/bin/python
CODE := contracts shared services tests bench

.PHONY: install up down status test demo lint bench chaos docs

install:
	infra/install.sh

up:
	infra/stack.sh up

down:
	infra/stack.sh down

status:
	infra/stack.sh status

# Tests start the services in-process, so the stack brings up servers and topics only.
test:
	STACK_SERVICES=0 infra/stack.sh up
	.venv/bin/pytest -q

demo: up
	$(PY) -m shared.demo

lint:
	.venv/bin/ruff check $(CODE)
	.venv/bin/mypy $(CODE)

bench:
	$(PY) -m bench

chaos:
	.venv/bin/pytest -q tests/chaos

docs:
	$(PY) -m contracts.export docs/generated

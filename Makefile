# Two commands for a new user: `make run` and `make test`.
PY := .venv/bin/python
PIP := .venv/bin/pip

.PHONY: run test install lint messages

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: .venv/.installed

run: install
	@test -f .env || { printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env; echo "Đã tạo .env cho môi trường phát triển."; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py devserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check .

messages: install
	DEBUG=true $(PY) manage.py compilemessages -l en --ignore=.venv

# The two commands a fresh machine needs (README): `make demo` and `make test`.
# Everything else here is what they are made of.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CARGO_TARGET_DIR ?= $(HOME)/.cache/csm/cargo-target
export CARGO_TARGET_DIR

.PHONY: demo test test-python test-rust test-firmware lint system-deps venv bench gui screenshots translations clean

demo: system-deps venv
	$(VENV)/bin/csm demo

test: system-deps venv lint test-firmware test-rust test-python
	@echo "all test suites passed"

system-deps:
	@bash scripts/install-system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test]'
	touch $@

lint: venv
	$(VENV)/bin/ruff check desktop tests scripts
	$(VENV)/bin/lint-imports

test-python: venv
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -m "not sbf" --timeout=600 tests

test-rust:
	cd onchain/solana && RUST_LOG=error cargo test --locked

test-firmware:
	$(MAKE) -C firmware deps test qemu PYTHON=$(abspath $(PY))

bench: venv
	CSM_KILL_TRIALS=100 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q tests/benchmarks -s

# After changing UI text: refresh the catalogues (new strings arrive unfinished), translate them (Qt
# Linguist or any editor), then compile. tests/ui/test_translations.py fails until both are done.
LANGUAGES := de es fr
I18N := desktop/carbon_smart_meter/ui/translations
translations: venv
	for lang in $(LANGUAGES); do \
	  $(VENV)/bin/pyside6-lupdate desktop/carbon_smart_meter/ui/*.py -locations none -no-obsolete \
	    -source-language en -target-language $$lang -ts $(I18N)/csm_$$lang.ts && \
	  $(VENV)/bin/pyside6-lrelease -silent $(I18N)/csm_$$lang.ts -qm $(I18N)/csm_$$lang.qm || exit 1; \
	done

gui: system-deps venv
	$(VENV)/bin/csm gui

clean:
	rm -rf $(VENV) build *.egg-info

# The two commands a fresh machine needs (README): `make demo` and `make test`.
# Everything else here is what they are made of.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CARGO_TARGET_DIR ?= $(HOME)/.cache/csm/cargo-target
export CARGO_TARGET_DIR

.PHONY: demo test test-fast dist smoke-installed test-python test-rust test-firmware lint system-deps tools venv solana bench gui screenshots translations clean

# `make demo CHAIN=solana` claims on the embedded LiteSVM with the real program (built first).
CHAIN ?= evm

demo: system-deps venv $(if $(filter solana,$(CHAIN)),solana)
	$(VENV)/bin/csm demo --chain $(CHAIN)

test: system-deps tools venv lint test-firmware test-rust solana test-python
	@echo "all test suites passed"

# The Solana program as an SBPF v3 binary, from Debian's rustc-web and crates.io's sbpf-linker
# (installed once into ~/.cache/csm/tools); prints its SHA-256 and size. Output:
# $(CARGO_TARGET_DIR)/deploy/csm_solana_program.so, where the app and the tests look for it.
solana: system-deps
	@bash scripts/build-solana-program.sh

system-deps:
	@bash scripts/install-system-deps.sh

# Tools the tests run as separate processes (anvil, a real EVM node), cached outside the clone.
tools:
	@bash scripts/install-tools.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test,dist]'
	touch $@

lint: venv
	$(VENV)/bin/ruff check desktop tests scripts
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Day to day: the Python tests without benchmarks, soak, QEMU/firmware, SBF or slow ones, spread over the
# cores by pytest-xdist (a file's tests stay on one worker: module fixtures such as an embedded chain are
# built once). `make test` is still what CI runs and what must pass before a merge.
FAST_MARKERS := not (benchmark or soak or qemu or sbf or slow)
test-fast: venv
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -m "$(FAST_MARKERS)" -n auto --dist loadfile --timeout=300 tests

# Every test, the sbf ones included (they need `make solana`; without the binary they fail here), in one
# process: under pytest-xdist the logger window's stop-then-record test crashed a worker (a segmentation
# fault in HDF5 while one thread started SWMR on a new file and another verified the file just closed);
# see README, Known limits.
test-python: venv solana
	CSM_REQUIRE_SOLANA_PROGRAM=1 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q --timeout=900 --durations=15 tests

# Host tests of the Solana interface crate: payout vectors, 192-bit arithmetic, decoders, layouts.
test-rust:
	cd onchain/solana && cargo test --locked

test-firmware:
	$(MAKE) -C firmware deps test qemu PYTHON=$(abspath $(PY))

bench: venv
	CSM_KILL_TRIALS=100 CSM_FLEET_DEVICE_DAYS=1000 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q tests/benchmarks -s

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

# The PyInstaller one-folder bundle and the Debian package made from it, in build/dist/ (scripts/build-dist.sh;
# includes the Solana program when `make solana` built it). Then the bundle's size and start-up figures.
dist: system-deps venv
	@bash scripts/build-dist.sh
	$(PY) scripts/measure_bundle.py build/dist/csm

# Installs build/dist/*.deb on this machine (root), runs it from the installed files, removes and purges it
# and checks that recorded data stays. CI runs it after `make dist`; it changes the system it runs on.
smoke-installed: dist
	@bash scripts/smoke-installed.sh

gui: system-deps venv
	$(VENV)/bin/csm gui

# Caches outside the clone are kept (they make the next run fast): ~/.cache/csm holds the cargo
# target directory and the tools (anvil, sbpf-linker); remove it by hand to start from nothing.
clean:
	rm -rf $(VENV) build *.egg-info

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dvcq validate workbooks/sample/ || true
	$(BIN)/dvcq consolidate workbooks/sample/ --out build/demo/tong-hop.xlsx --db build/demo/lich-su.sqlite
	$(BIN)/dvcq report build/demo/tong-hop.xlsx --out build/demo/bao-cao.docx --md build/demo/bao-cao.md

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python bench/national.py

clean:
	rm -rf build .venv

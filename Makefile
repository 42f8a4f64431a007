# Two commands matter: `make all` (set up, run the pipeline on samples/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: all run test lint clean samples

all: run

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m pipeline run samples --out output

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Facsimile PDFs of the annex for the PDF reader (needs Chromium: apt-get install -y chromium).
samples: $(STAMP)
	$(BIN)/python -m facsimile

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) output/*/ output/_validation

# Two commands matter: `make all` (set up, run the pipeline on samples/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: all run test lint clean samples bench bench-hardening browser screenshots

all: run

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The real annex goes to output/; each facsimile (illustrative timeline) to its own
# folder under output/facsimiles/, with page images of what was read.
run: $(STAMP)
	$(BIN)/python -m pipeline run samples --out output
	@status=0; for pdf in samples/facsimiles/*.pdf; do \
	  name=$$(basename "$$pdf" .pdf); \
	  $(BIN)/python -m pipeline run "$$pdf" --out "output/facsimiles/$$name" \
	    --debug-images "output/facsimiles/$$name/debug-images" || status=1; \
	done; exit $$status

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# The report tests look at the page in a real headless Chromium (Debian's package).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (apt-get) for the report tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed here: report tests will skip"; fi; }

# Screenshots of the reports that `make all` wrote, for people (report.png beside each).
screenshots: $(STAMP) browser
	$(BIN)/python -m report output/techniekpact-*/ output/facsimiles/*/techniekpact-*/

# Facsimile PDFs of the annex for the PDF reader (needs Chromium: apt-get install -y chromium).
samples: $(STAMP)
	$(BIN)/python -m facsimile

# PDF reader benchmark (bench/README.md): time per page and matrix recovery on the
# facsimiles; rewrites the results in bench/README.md. Camelot is optional, in its own venv:
#   make bench CAMELOT_PYTHON=/tmp/camelot-venv/bin/python BENCH_ARGS="--repeat 3"
bench: $(STAMP)
	$(BIN)/python bench/pdf_extraction.py $(BENCH_ARGS)

# Hardening (bench/README.md): hostile PDFs at full size, peak memory against page count,
# and the fuzz run of the reading worker (10,000 cases: about an hour on a shared machine).
bench-hardening: $(STAMP)
	$(BIN)/python bench/bombs.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/fuzz.py --cases 10000

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) output/* output/.snapshots output/.lock

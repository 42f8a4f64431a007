# Two commands matter: `make all` (set up, run the pipeline on samples/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: all run test lint clean samples bench bench-link bench-hardening bench-perf browser \
	screenshots \
	layouts layout-sample producers layout-sweep

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

# Debian programs some tests use: Chromium (the report in a real browser), LibreOffice
# Calc (the workbook in a Dutch locale), R with readr and jsonlite (the R loading recipe
# and the data package as R's frictionless reads it). Installed together with apt-get
# as root: about 1.5 minutes and 300 MB on a fresh machine (chromium, calc ~1 min;
# R 15 s). Without them those tests skip and say why. DejaVu and Liberation: the fonts
# the layout generator prints with, whose installed outlines extract/pdf_fontmatch
# reads glyphs by when a re-distiller dropped their Unicode map.
DEBIAN_TOOLS := chromium fonts-dejavu-core fonts-liberation libreoffice-calc-nogui r-base-core r-cran-readr r-cran-jsonlite

browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v Rscript >/dev/null 2>&1 || missing="$$missing r-base-core"; \
	fc-list 2>/dev/null | grep -q DejaVuSans || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (apt-get) for the report, workbook and R tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $(DEBIAN_TOOLS) >/dev/null; \
	  else echo "missing$$missing and cannot install here: those tests will skip"; fi; fi

# Screenshots of the reports that `make all` wrote, for people (report.png beside each).
screenshots: $(STAMP) browser
	$(BIN)/python -m report output/techniekpact-*/ output/facsimiles/*/techniekpact-*/

# Facsimile PDFs of the annex for the PDF reader (needs Chromium: apt-get install -y chromium).
samples: $(STAMP) browser
	$(BIN)/python -m facsimile

# Generated layouts with a known truth (facsimile/layouts, samples/layouts/README.md):
#   make layouts N=200 [SEED=0] [LAYOUTS_OUT=/tmp/layouts]
# installs the producers (pip extra 'layouts'; Chromium, LibreOffice Writer/Calc, fonts and
# generation 3's re-distillers - Ghostscript, poppler, mupdf, qpdf - with apt-get when run
# as root) and writes N layouts, seeds SEED..SEED+N-1 (GENERATION=3 unless told).
N ?= 35
SEED ?= 0
LAYOUTS_OUT ?= output/layouts
LAYOUTS_STAMP := $(VENV)/.layouts-stamp

$(LAYOUTS_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,layouts]'
	touch $(LAYOUTS_STAMP)

producers: $(LAYOUTS_STAMP)
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui libreoffice-calc-nogui"; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	[ -d /usr/share/fonts/truetype/liberation ] || missing="$$missing fonts-liberation"; \
	command -v gs >/dev/null 2>&1 || missing="$$missing ghostscript"; \
	command -v pdftocairo >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v mutool >/dev/null 2>&1 || missing="$$missing mupdf-tools"; \
	command -v qpdf >/dev/null 2>&1 || missing="$$missing qpdf"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (apt-get)"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $$missing >/dev/null; \
	  else echo "missing$$missing: those producers' layouts will fail"; fi; fi

GENERATION ?= 3
layouts: producers
	$(BIN)/python -m facsimile.layouts --seed $(SEED) --count $(N) --out $(LAYOUTS_OUT) \
	  --generation $(GENERATION)

# The committed samples: seeds 0..34, one whole block (every producer, every choice value
# of generation 1; facsimile/layouts/options.py LEGACY), seeds 35..69, the next block, at
# generation 2 (samples/layouts-gen2/README.md), and seeds 70..104 at generation 3
# (samples/layouts-gen3/README.md).
layout-sample: producers
	rm -f samples/layouts/layout-*.pdf samples/layouts/layout-*.truth.json
	$(BIN)/python -m facsimile.layouts --seed 0 --count 35 --out samples/layouts --generation 1
	rm -f samples/layouts-gen2/layout-*.pdf samples/layouts-gen2/layout-*.truth.json
	$(BIN)/python -m facsimile.layouts --seed 35 --count 35 --out samples/layouts-gen2 --generation 2
	rm -f samples/layouts-gen3/layout-*.pdf samples/layouts-gen3/layout-*.truth.json
	$(BIN)/python -m facsimile.layouts --seed 70 --count 35 --out samples/layouts-gen3 --generation 3

# Reader accuracy per producer and option over a sweep (bench/README.md):
#   make layout-sweep N=200 [BENCH_ARGS="--camelot-python /tmp/camelot-venv/bin/python"]
layout-sweep: producers
	$(BIN)/python bench/layout_sweep.py --count $(N) --seed $(SEED) $(BENCH_ARGS)

# PDF reader benchmark (bench/README.md): time per page and matrix recovery on the
# facsimiles; rewrites the results in bench/README.md. Camelot is optional, in its own venv:
#   make bench CAMELOT_PYTHON=/tmp/camelot-venv/bin/python BENCH_ARGS="--repeat 3"
bench: $(STAMP)
	$(BIN)/python bench/pdf_extraction.py $(BENCH_ARGS)

# Linker benchmark (bench/README.md): time to link 47, 470 and 2,350 generated actions;
# rewrites its section of bench/README.md.
bench-link: $(STAMP)
	$(BIN)/python bench/linking.py $(BENCH_LINK_ARGS)

# Hardening (bench/README.md): hostile PDFs at full size, peak memory against page count,
# and the fuzz run of the reading worker (10,000 cases: about an hour on a shared machine).
bench-hardening: $(STAMP)
	$(BIN)/python bench/bombs.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/fuzz.py --cases 10000

# Performance (issue 14, bench/README.md): one command for every figure; each script
# rewrites its own section of bench/README.md, with machine and date. More than half an
# hour here; more on a loaded machine.
#   perf_batch.py: wall time per extra file in batches of 1, 20 and 100 generated text
#                  annexes, a single-file run against the stack floor, the teardown
#   perf_store.py: adding one version to a 1- and a 100-version store
#   backends.py:   pdfplumber and pypdfium2 on a layout sweep (LAYOUTS_FROM: make one
#                  with `make layouts N=200`), the reader against both floors
#   memory.py:     peak memory, 9 against 300 pages
LAYOUTS_FROM ?= $(LAYOUTS_OUT)
bench-perf: $(STAMP)
	$(BIN)/python bench/perf_batch.py $(BENCH_PERF_ARGS)
	$(BIN)/python bench/perf_store.py $(BENCH_STORE_ARGS)
	$(BIN)/python bench/backends.py --from $(LAYOUTS_FROM) $(BENCH_BACKENDS_ARGS)
	$(BIN)/python bench/memory.py --readme

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) output/* output/.snapshots output/.lock

# tsunagu — the two commands of the README, and their helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: demo test lint format install install-test install-bench browser fonts clean messages bench bench-cases bench-finder bench-import bench-watch bench-family-support bench-maternal

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

install-bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

# The Japanese fonts that printed PDFs (受付票) embed: IPAex Gothic, and IPAmj Mincho for the
# characters it lacks (𠮷 and other MJ kanji).
PDF_FONT := /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
PDF_FALLBACK_FONT := /usr/share/fonts/truetype/ipamj/ipamjm.ttf
fonts:
	@[ -f $(PDF_FONT) ] && [ -f $(PDF_FALLBACK_FONT) ] || { \
	  echo "Installing the IPAex Gothic and IPAmj Mincho fonts for printed PDFs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    fonts-ipaexfont-gothic fonts-ipamj-mincho; }

demo: install fonts
	$(BIN)/tsunagu migrate --no-input -v 0
	$(BIN)/tsunagu demo
	@echo "つなぐ: http://$(HOST)/ (the logins are listed above and in var/demo-logins.txt)"
	@# The background worker (directory imports) runs beside the server and stops with it.
	$(BIN)/tsunagu db_worker --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  TSUNAGU_DEBUG=false $(BIN)/tsunagu runserver $(HOST)

# pytest exits 5 when it collects nothing; say so plainly instead of failing obscurely.
test: install-test browser fonts
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest: no tests were collected"; rc=0; fi; exit $$rc

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Name matching against Splink and recordlinkage, the find-while-typing lookup, and the case
# pages in a large city. Larger runs:
#   make bench BENCH_SIZES=10000,100000,1000000 LOOKUP_PERSONS=1000000 CASES_SCALE=full \
#     FAMILY_SUPPORT_SCALE=1 MATERNAL_SCALE=1
BENCH_SIZES ?= 10000
LOOKUP_PERSONS ?= 10000
CASES_SCALE ?= small
CASES_SIZES_small = --people 20000 --intakes 5000 --cases 200 --activities 5000 --requests 50
CASES_SIZES_full =
FINDER_REQUESTS ?= 200
bench: install-bench
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)
	$(BIN)/python -m bench.lookup_latency --persons $(LOOKUP_PERSONS)
	$(MAKE) bench-cases
	$(MAKE) bench-finder
	$(MAKE) bench-import
	$(MAKE) bench-watch
	$(MAKE) bench-family-support
	$(MAKE) bench-maternal

# On PostgreSQL: DATABASE_URL naming an empty database (CI does this after its tests).
bench-cases: install-bench
	$(BIN)/python -m bench.cases_latency $(CASES_SIZES_$(CASES_SCALE))

# The public finder at the national count of children's cafeterias (12,600 places); on
# PostgreSQL with DATABASE_URL naming an empty database.
bench-finder: install-bench
	$(BIN)/python -m bench.finder_latency --requests $(FINDER_REQUESTS)

# A prefecture's directory file (100,000 rows) imported by the background worker while the
# case list is timed; on PostgreSQL with DATABASE_URL naming an empty database.
IMPORT_ROWS ?= 100000
bench-import: install-bench
	$(BIN)/python -m bench.import_latency --rows $(IMPORT_ROWS)

# Partners' visit reports over real HTTP: the app under gunicorn on 127.0.0.1, each of
# WATCH_VOLUNTEERS volunteers filing a report from its "phone", 16 at a time, a tenth sent twice;
# fails on an error or a duplicate. On PostgreSQL with DATABASE_URL naming an empty database.
WATCH_VOLUNTEERS ?= 1000
bench-watch: install-bench
	$(BIN)/python -m bench.watch_load --volunteers $(WATCH_VOLUNTEERS)

# A fiscal year's figures of family support services (家庭支援事業の実績) in a designated city:
# the figures, their page and their Excel export timed. FAMILY_SUPPORT_SCALE=1 is the city's
# size (20,000 decisions, 400,000 uses a year); on PostgreSQL with DATABASE_URL naming an empty
# database.
FAMILY_SUPPORT_SCALE ?= 0.05
bench-family-support: install-bench
	$(BIN)/python -m bench.family_support_figures --scale $(FAMILY_SUPPORT_SCALE)

# The maternal-health nurse's lists (母子保健) in a designated city: her newborn visits, the
# unit's (?all=1) and the missed-check-up list, timed through the test client. MATERNAL_SCALE=1
# is the city's size (14,000 births a year for five years, about 200,000 check-ups; goal p95
# ≤ 100 ms); on PostgreSQL with DATABASE_URL naming an empty database.
MATERNAL_SCALE ?= 0.1
bench-maternal: install-bench
	$(BIN)/python -m bench.maternal_lists --scale $(MATERNAL_SCALE)

clean:
	rm -rf $(VENV) var build *.egg-info

# Refresh the English catalogue after changing Japanese UI text (needs GNU gettext).
messages: install
	cd tsunagu && ../$(BIN)/tsunagu makemessages -l en && ../$(BIN)/tsunagu compilemessages

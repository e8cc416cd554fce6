# InfusionScheduler — the two set-up commands are `make run` and `make test`.
SWIFT ?= swift
# The import check makes an import of a target the importer does not depend on an error, so the
# layers of docs/ARCHITECTURE.md hold in incremental builds too (a clean build may otherwise
# find the module already built).
LAYER_CHECK := --explicit-target-dependency-import-check error

DAY ?= instances/medium-1.json
OUT ?= out
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null && echo sudo)

.PHONY: deps build run test clean render-check render-docs docs service-build service-test serve

# GLPK is the only system dependency: Debian's libglpk-dev, installed when missing.
deps:
	@if ! dpkg -s libglpk-dev >/dev/null 2>&1 && [ ! -f /usr/include/glpk.h ]; then \
		echo "installing libglpk-dev"; \
		$(SUDO) apt-get install -y libglpk-dev || { $(SUDO) apt-get update && $(SUDO) apt-get install -y libglpk-dev; }; \
	fi

build: deps
	$(SWIFT) build -c release --product infusion-scheduler $(LAYER_CHECK)

# Solve the bundled medium day, print a summary, write the schedule and check it.
run: build
	@mkdir -p $(OUT)
	.build/release/infusion-scheduler solve $(DAY) --output $(OUT)/$(notdir $(DAY:.json=.schedule.json))
	.build/release/infusion-scheduler validate $(DAY) $(OUT)/$(notdir $(DAY:.json=.schedule.json))
	@echo "schedule written to $(OUT)/$(notdir $(DAY:.json=.schedule.json))"

# The service package (Service/) builds in the background while the library's tests run; a
# failed build fails the target (its log: .build/service-build.log). Its tests run last.
test: deps
	$(SWIFT) build --build-tests $(LAYER_CHECK)
	@mkdir -p .build
	$(MAKE) service-build > .build/service-build.log 2>&1 & build=$$!; \
	$(SWIFT) test --skip-build; tests=$$?; \
	wait $$build; built=$$?; \
	if [ $$built -ne 0 ]; then tail -50 .build/service-build.log; echo "make service-build failed (log: .build/service-build.log)"; fi; \
	[ $$tests -eq 0 ] && [ $$built -eq 0 ]
	$(MAKE) render-check
	$(MAKE) service-test

# Renders the medium day, the worked horizon with its bookings, and the chart of a simulation of the medium day, in a real headless chromium
# (installed when missing) and fails on script errors, missing elements or a blank page.
render-check:
	scripts/render-check.sh
	scripts/render-check.sh --horizon Tests/Fixtures/worked-horizon.json --bookings Tests/Fixtures/worked-bookings.json \
	    --out .build/render-check-horizon
	scripts/render-check.sh --simulation --out .build/render-check-simulation

# Same, and refreshes docs/medium-day.png.
render-docs:
	scripts/render-check.sh --update-docs

# The API documentation: one DocC archive of every layer's public symbols and the catalogue in
# Sources/InfusionScheduler/InfusionScheduler.docc, in .build/docs; any DocC warning fails it.
# (The umbrella module only re-exports, so the layers' symbol graphs are converted together.)
SYMBOL_GRAPHS := .build/symbol-graphs
docs:
	$(SWIFT) package dump-symbol-graph --minimum-access-level public
	rm -rf $(SYMBOL_GRAPHS) .build/docs && mkdir -p $(SYMBOL_GRAPHS)
	cp "$$($(SWIFT) build --show-bin-path)"/../symbolgraph/Scheduling*.symbols.json \
	   "$$($(SWIFT) build --show-bin-path)"/../symbolgraph/InfusionScheduler.symbols.json $(SYMBOL_GRAPHS)/
	$$(dirname "$$(readlink -f "$$(command -v $(SWIFT))")")/docc convert Sources/InfusionScheduler/InfusionScheduler.docc \
	    --additional-symbol-graph-dir $(SYMBOL_GRAPHS) --fallback-display-name InfusionScheduler \
	    --fallback-bundle-identifier org.infusionscheduler.InfusionScheduler --output-path .build/docs \
	    --analyze --warnings-as-errors
	@echo "documentation written to .build/docs (open with a DocC-aware server, or docc preview)"

# The HTTP service: a package of its own (Service/) so that the library and the CLI never build
# its server dependencies (docs/SERVICE.md).
service-build: deps
	cd Service && $(SWIFT) build --build-tests

# The service's tests, then the built server on a free loopback port under schemathesis and the
# Python client example, then SIGTERM (scripts/service-test.sh).
service-test:
	scripts/service-test.sh

# Build the service in release mode and serve on 127.0.0.1:8080 (ARGS="--port 9000 ..." to change).
serve: deps
	cd Service && $(SWIFT) build -c release --product infusion-scheduler-service
	Service/.build/release/infusion-scheduler-service $(ARGS)

clean:
	rm -rf .build Service/.build $(OUT)

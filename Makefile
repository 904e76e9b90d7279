# twinwatch — see README.md. Every target works on a fresh Debian machine as root:
# the ClickHouse server the tests and the demo need is installed from Debian's
# packages by scripts/clickhouse.sh.

GO       ?= go
BIN      := bin/twinwatch
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
DATA_DIR ?= .data
FUZZTIME ?= 10s

# Fuzz targets run briefly by `make test` (package:Target).
FUZZ_TARGETS := \
	./twin:FuzzParseDate \
	./parser:FuzzParse \
	./parser/htmldoc:FuzzParse \
	./parser/dates:FuzzFind \
	./parser/gazetteer:FuzzFind \
	./crawler:FuzzCanonicalURL \
	./crawler:FuzzDecodeHTML \
	./crawler:FuzzDiscover \
	./config:FuzzLoadBytes \
	./internal/backfill:FuzzRead

.PHONY: all build demo up test test-unit fuzz bench lint chromium-install clickhouse-install clickhouse-start clickhouse-stop clean help

all: build

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 22

build: ## build bin/twinwatch
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/twinwatch

demo: clickhouse-install build ## the main job on embedded defaults: crawl the offline demo into ClickHouse, print a summary
	./$(BIN) up --demo --once

up: clickhouse-install build ## run the whole pipeline continuously on the offline demo (Ctrl-C to stop)
	./$(BIN) up --demo

test: clickhouse-install chromium-install ## everything: vet, unit and integration tests (real ClickHouse and NATS), short fuzz runs
	$(GO) vet ./...
	TWINWATCH_REQUIRE_INTEGRATION=1 $(GO) test -count=1 -timeout 15m ./...
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

test-unit: ## fast tests only (no servers)
	$(GO) test -short ./...

fuzz: ## run every fuzz target for FUZZTIME (default 10s)
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

bench: clickhouse-install ## Go benchmarks and the pipeline benchmark (numbers go to docs/BENCHMARKS.md)
	$(GO) test -run '^$$' -bench . -benchmem -count 1 -timeout 30m ./... | tee $(DATA_DIR)/bench.txt
	$(GO) run ./cmd/twinbench -n 200000 | tee -a $(DATA_DIR)/bench.txt

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

clickhouse-install: ## install Debian's clickhouse-server if it is missing (root)
	@scripts/clickhouse.sh install

chromium-install: ## install Debian's chromium if it is missing (root; the HTML report test drives it)
	@scripts/chromium.sh install

clickhouse-start: clickhouse-install ## start a private ClickHouse under $(DATA_DIR)/clickhouse
	@scripts/clickhouse.sh start $(DATA_DIR)/clickhouse

clickhouse-stop: ## stop it
	@scripts/clickhouse.sh stop $(DATA_DIR)/clickhouse

clean: ## remove build output and local data
	-@scripts/clickhouse.sh stop $(DATA_DIR)/clickhouse 2>/dev/null
	rm -rf bin $(DATA_DIR)

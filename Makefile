# standpunten: build the dataset from raw/, publish releases and test them. Needs only Go for
# build, release and the unit tests; the conformance suite installs Node and Debian packages itself.
GO ?= go
OUT ?= output/build
FUZZTIME ?= 30s

.PHONY: build run release verify test unit slow-test lint tidy-check conformance shacl-tools fuzz bench update-golden eval

build: ## compile the command into ./standpunten
	$(GO) build -o standpunten ./cmd/standpunten

# The targets below run the built binary, not `go run`, so that its exit code (2, 3, 4, 130, …)
# reaches make and the caller unchanged.
run: build ## build every table from raw/ into $(OUT)
	./standpunten build --raw raw --out $(OUT)

release: build ## publish a new release under output/releases when raw/ changed (NOTES="..." for the notes)
	./standpunten release --raw raw --out output $(if $(NOTES),--notes "$(NOTES)")

verify: build ## the latest committed release must be exactly what raw/ builds
	./standpunten verify --raw raw --out output

test: lint tidy-check unit slow-test verify conformance bench-smoke ## everything CI runs

unit: shacl-tools ## every Go test (race detector, shuffled order)
	$(GO) test -race -shuffle=on -count=1 ./...

slow-test: ## the tests too slow under the race detector: 20 random kills of a real release, 100,000 registry entries, a 10 MB generated corpus built twice, release pages at their caps, validate's memory over 10,000 and 100,000 passages
	$(GO) test -count=1 -run '^(TestRandomKill|TestLoadAtScale|TestReproducibleAtScale|TestCappedAtPageLimits|TestMemoryDoesNotGrowWithPassages)$$' ./pipeline/release/ ./pipeline/registry/ ./pipeline/build/ ./pipeline/site/ ./pipeline/check/

lint: ## gofmt and go vet must be clean
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

tidy-check: ## go.mod and go.sum must be tidy
	@cp go.mod /tmp/standpunten.go.mod.bak && cp go.sum /tmp/standpunten.go.sum.bak; \
	$(GO) mod tidy; \
	if ! cmp -s go.mod /tmp/standpunten.go.mod.bak || ! cmp -s go.sum /tmp/standpunten.go.sum.bak; then \
	  cp /tmp/standpunten.go.mod.bak go.mod; cp /tmp/standpunten.go.sum.bak go.sum; \
	  echo "go.mod/go.sum are not tidy: run 'go mod tidy' and commit"; exit 1; fi

shacl-tools: ## the SHACL validator the DCAT tests use (skipped without npm, unless CI requires it)
	@if command -v npm >/dev/null 2>&1; then \
	  if [ ! -d tools/shacl/node_modules ] || [ tools/shacl/package-lock.json -nt tools/shacl/node_modules ]; then \
	    npm ci --prefix tools/shacl --no-audit --no-fund --loglevel=error && touch tools/shacl/node_modules; fi; \
	elif [ "$$STANDPUNTEN_CONFORMANCE" = require ]; then echo "npm is needed for the SHACL tests"; exit 1; \
	else echo "npm not found: the DCAT SHACL tests will skip"; fi

conformance: ## read every release and a fresh build with DuckDB, parquet-go, SHACL and the Python venv (pandas, pyarrow, polars, fastparquet, frictionless, pyshacl, rdflib, daff, csvkit)
	rm -rf output/.conformance-build
	$(GO) run ./cmd/standpunten build --raw raw --out output/.conformance-build
	bash conformance/run.sh output/releases/v*/ output/.conformance-build; status=$$?; \
	rm -rf output/.conformance-build; exit $$status
	bash conformance/break_test.sh

fuzz: ## run every fuzz target of every package for $(FUZZTIME) each (found with go test -list, so none is forgotten)
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; done; done

eval: ## score the programme-text parser against the answer keys in eval/answers (needs ../shared/corpus)
	$(GO) run ./tools/eval -corpus ../shared/corpus -answers eval/answers

bench: ## benchmarks with memory statistics
	$(GO) test -run '^$$' -bench . -benchmem ./...

update-golden: ## regenerate the golden files (then read the diff!)
	$(GO) test ./pipeline/build/ -run TestGolden -update
	$(GO) test ./pipeline/extract/ -run TestCorpusGolden -update
	$(GO) test ./pipeline/changes/ ./pipeline/codebook/ ./pipeline/metadata/ -update
	$(GO) test ./cmd/standpunten/ -run TestBadInput -update

.PHONY: bench-scale bench-smoke
SIZES ?= 10MB,100MB,1GB

bench-scale: ## the scale benchmark (issue 10): build, validate, release, verify, diff at SIZES against SHA-256 and DuckDB; writes BENCHMARKS.md and benchmarks/scale.json
	@if [ ! -d conformance/node_modules/@duckdb/node-api ]; then npm ci --prefix conformance --no-audit --no-fund --loglevel=error; fi
	$(GO) run ./tools/benchscale -sizes $(SIZES)

bench-smoke: ## one ~10 MB pass of the scale benchmark (CI): every step must succeed; writes no report
	@if [ ! -d conformance/node_modules/@duckdb/node-api ] && command -v npm >/dev/null 2>&1; then npm ci --prefix conformance --no-audit --no-fund --loglevel=error; fi
	$(GO) run ./tools/benchscale -sizes 10MB -md= -json=

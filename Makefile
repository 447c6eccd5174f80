# standpunten: build the dataset from raw/ and test it. Needs only Go.
GO ?= go
OUT ?= output/build
FUZZTIME ?= 30s

.PHONY: build run test lint tidy-check fuzz bench update-golden

build: ## compile the command into ./standpunten
	$(GO) build -o standpunten ./cmd/standpunten

run: ## build every table from raw/ into $(OUT)
	$(GO) run ./cmd/standpunten build --raw raw --out $(OUT)

test: lint tidy-check ## vet, format check, tidy check and every test (race detector, shuffled)
	$(GO) test -race -shuffle=on -count=1 ./...

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

fuzz: ## run every fuzz target for $(FUZZTIME)
	for t in FuzzPartySummaries FuzzScoreOverview FuzzProgrammeChapter FuzzPledgeDocument; do \
	  $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./pipeline/extract/ || exit 1; done
	$(GO) test -run '^$$' -fuzz '^FuzzText$$' -fuzztime $(FUZZTIME) ./pipeline/normalize/

bench: ## benchmarks with memory statistics
	$(GO) test -run '^$$' -bench . -benchmem ./...

update-golden: ## regenerate the golden files (then read the diff!)
	$(GO) test ./pipeline/build/ -run TestGolden -update

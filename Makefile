# The two set-up commands of the README: `make demo` and `make test`. Each installs what it
# needs from Debian's packages first (skipped when present), then configures and builds.

BUILD ?= build
JOBS ?= $(shell nproc)
PYTHON := /usr/bin/python3
PACK := rules/chongqing-dte-2025

# Debian 12 packages: compiler and build, the libraries, the Python side, sanitizers/fuzzing.
DEBIAN_PACKAGES := g++ cmake make pkg-config \
  nlohmann-json3-dev libboost-date-time-dev libsimdjson-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  python3 python3-dev pybind11-dev python3-pybind11 python3-pytest python3-venv python3-pip \
  python3-nbclient python3-ipykernel python3-pandas python3-matplotlib python3-jsonschema \
  python3-distributed \
  clang libclang-rt-14-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps configure build demo test bench sanitize tsan fuzz clean

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython3_EXECUTABLE=$(PYTHON)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/qualify check --pack $(PACK)
	@echo
	$(BUILD)/qualify evaluate --pack $(PACK) --as-of 2025-11-03 examples/applications --format table
	@echo
	$(BUILD)/qualify select --pack $(PACK) --as-of 2025-11-03 examples/applications --format table --ranked
	@echo
	$(BUILD)/qualify select --pack $(PACK) --as-of 2025-11-03 examples/applications --format html --quiet > $(BUILD)/report.html
	@echo "report for the bureau: $(BUILD)/report.html (summary, ranking and selection, score chart, findings by clause)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) sanitize tsan fuzz

bench: build
	$(PYTHON) benchmarks/report.py --build $(BUILD)

# Sanitizer and fuzzing builds (clang from Debian). Each has a tree of its own and builds only
# what it runs, at -O1: `sanitize` the whole unit test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, `tsan` the multi-threaded tests under ThreadSanitizer, `fuzz`
# each libFuzzer target for FUZZ_SECONDS. Any report, leak, crash or timeout fails the target.
SAN_CXX ?= clang++
FUZZ_SECONDS ?= 60
SAN_CMAKE := -DCMAKE_CXX_COMPILER=$(SAN_CXX) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DQUALIFY_BUILD_PYTHON=OFF -DQUALIFY_BUILD_BENCHMARKS=OFF -DQUALIFY_BUILD_EXAMPLES=OFF
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
# The tests that run evaluations on several threads.
TSAN_TESTS := *ManyThreads*:HostileBatchTest.*:SelectTest.SampleApplicationsEndToEnd
FUZZERS := pack expression evaluate

sanitize: deps
	cmake -S . -B build-asan $(SAN_CMAKE) -DCMAKE_CXX_FLAGS="$(ASAN_FLAGS)"
	cmake --build build-asan --target qualify_tests -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:strict_init_order=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  build-asan/tests/qualify_tests --gtest_brief=1

tsan: deps
	cmake -S . -B build-tsan $(SAN_CMAKE) -DCMAKE_CXX_FLAGS="$(TSAN_FLAGS)"
	cmake --build build-tsan --target qualify_tests -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  build-tsan/tests/qualify_tests --gtest_brief=1 --gtest_filter='$(TSAN_TESTS)'

# The checked-in seeds (tests/fuzz/corpus) are copied to build-fuzz/corpus-*, where the
# fuzzers add what they find; crashes land in build-fuzz/artifacts, logs in build-fuzz/fuzz_*.log.
# The fuzzers run side by side, each for FUZZ_SECONDS.
fuzz: deps
	cmake -S . -B build-fuzz $(SAN_CMAKE) -DQUALIFY_BUILD_FUZZERS=ON -DQUALIFY_BUILD_TESTS=OFF -DQUALIFY_BUILD_CLI=OFF
	cmake --build build-fuzz --target $(addprefix fuzz_,$(FUZZERS)) -j $(JOBS)
	@mkdir -p build-fuzz/artifacts
	@for f in $(FUZZERS); do mkdir -p build-fuzz/corpus-$$f; cp tests/fuzz/corpus/$$f/* build-fuzz/corpus-$$f/; done
	@echo "fuzzing $(FUZZERS) for $(FUZZ_SECONDS) s each"
	@for f in $(FUZZERS); do \
	  build-fuzz/tests/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -dict=tests/fuzz/jsonlogic.dict -artifact_prefix=build-fuzz/artifacts/$$f- -print_final_stats=1 \
	    build-fuzz/corpus-$$f > build-fuzz/fuzz_$$f.log 2>&1 & eval "pid_$$f=$$!"; \
	done; \
	status=0; for f in $(FUZZERS); do \
	  if eval "wait \$$pid_$$f"; then \
	    echo "fuzz_$$f: $$(grep -E '^Done' build-fuzz/fuzz_$$f.log)"; \
	  else \
	    status=1; echo "fuzz_$$f FAILED:"; tail -n 60 build-fuzz/fuzz_$$f.log; \
	  fi; \
	done; exit $$status

clean:
	rm -rf $(BUILD)

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

.PHONY: deps configure build demo test bench fuzz clean

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
	$(BUILD)/qualify evaluate --pack $(PACK) examples/applications --format jsonl --as-of 2025-11-03 > $(BUILD)/decisions.jsonl
	@$(PYTHON) -c "import json,collections,sys; rs=[json.loads(l) for l in open('$(BUILD)/decisions.jsonl')]; c=collections.Counter(r.get('status','error') for r in rs); print(len(rs),'applications:',dict(c))"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/benchmarks/qualify_bench

clean:
	rm -rf $(BUILD)

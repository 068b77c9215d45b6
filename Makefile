# vpsbox: the two commands are `make demo` and `make test`.
SHELL := /bin/sh
CARGO ?= cargo
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
DEB := target/debian/vpsbox_$(VERSION)_amd64.deb
DEMO_LISTEN ?= 127.0.0.1:8443

.PHONY: all build release demo test check lint deb bench fmt clean deps-cargo-deb

all: build

build:
	./scripts/deps.sh build
	$(CARGO) build

release:
	./scripts/deps.sh build
	$(CARGO) build --release

## make demo: install what is missing, build in release mode, run the cabinet on
## https://127.0.0.1:8443 with embedded defaults on libvirt's test driver (never a real
## hypervisor), a stocked shop, data in ./var, demo accounts printed.
demo:
	./scripts/deps.sh demo
	$(CARGO) build --release
	./target/release/vpsbox serve --demo --data-dir ./var --listen $(DEMO_LISTEN)

## make test: install what the tests need, start libvirtd, build the test templates (tiny and
## real Debian 12) and the rescue image (Debian 12), unpack cloud-init as the seed tests' oracle and install the OpenAPI validator
## (PyPI), check formatting and lints,
## build the .deb, run every test.
test:
	./scripts/deps.sh test
	./scripts/start-libvirtd.sh
	./scripts/build-test-template.sh target/test-template
	./scripts/build-debian-template.sh target/debian-template
	./scripts/build-rescue-image.sh target/rescue-image
	./scripts/cloud-init-cli.sh target/cloud-init
	./scripts/openapi-validator.sh target/openapi-validator
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(MAKE) deb
	VPSBOX_DEB=$(abspath $(DEB)) $(CARGO) test --all-targets

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

deps-cargo-deb:
	@command -v cargo-deb >/dev/null 2>&1 || $(CARGO) install cargo-deb --locked --version ^3

## make deb: target/debian/vpsbox_<version>_amd64.deb
deb: deps-cargo-deb
	./scripts/deps.sh build
	$(CARGO) deb --no-strip -o $(DEB)
	@echo "built $(DEB)"

## make bench: the cabinet vs a bare axum+rustls handler, idle RSS, VM list, reconcile, create latency, IP allocation, console proxies, backups, billing (metering tick, statement page), SLA (availability and credits of 5,000 VMs over a month), metrics (a /metrics scrape and a usage sampling round over 1,000 servers).
bench:
	./scripts/deps.sh bench
	./scripts/start-libvirtd.sh
	./scripts/build-test-template.sh target/test-template
	$(CARGO) build --release --bin vpsbox --example bare_tls --example vm_bench --example ipam_bench --example console_bench --example backup_bench --example billing_bench --example sla_bench --example metrics_bench
	./scripts/bench.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf var

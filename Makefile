# The two commands of the README: `make run` and `make test`.
# Each installs what it needs first (idempotently), then does its work.
.PHONY: run test check size build tools bench-app bench-sync

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# The quick loop: fmt, clippy and driehoek-core's tests, in minutes.
check:
	@bash scripts/check.sh

# The gzipped size of the release build against the budget.
size:
	@bash scripts/size.sh

# The release build of the app into dist/.
build:
	@bash scripts/build.sh

# Only the tools, for both commands.
tools:
	@bash -c 'source scripts/tools.sh && ensure_build_tools && ensure_test_tools'

# The app's browser benchmark (first paint, commit, keystrokes); BENCHMARKS.md.
bench-app:
	@bash scripts/bench-app.sh

bench-sync:
	@bash scripts/bench-sync.sh

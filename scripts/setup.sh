#!/bin/sh
# Installs the Debian packages cohsim builds and tests with; installs only what is missing,
# runs `apt-get update` once before the first install, and prints nothing when all is present.
set -eu

# Every package the project uses, one per line: the build, the unit tests, the trace formats,
# the cross-checks (valgrind for Lackey and Cachegrind), the runners of `cohsim sweep` (GNU
# Parallel; Slurm's sbatch for clusters); clang builds the libFuzzer targets (make fuzz); and the
# RTL and SystemC parts (Verilator, SystemC with TLM-2.0); chromium and node for the browser test
# of the --html page (playwright-core comes from npm: package.json, package-lock.json).
PACKAGES="
build-essential
make
pkg-config
libcriterion-dev
libinih-dev
libcjson-dev
libzstd-dev
liblzma-dev
zlib1g-dev
xz-utils
zstd
gzip
valgrind
python3
python3-jsonschema
parallel
slurm-wlm
clang
verilator
libsystemc-dev
gtkwave
chromium
nodejs
"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

# npm comes with some builds of node (NodeSource's nodejs, which conflicts with Debian's npm);
# beside Debian's own nodejs it is a package of its own
command -v npm >/dev/null || missing="$missing npm"

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    echo "setup: done"
fi

# playwright-core for the browser test (tests/browser/), exactly as package-lock.json pins it.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$root/node_modules/playwright-core" ] && command -v npm >/dev/null; then
    echo "setup: npm ci"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

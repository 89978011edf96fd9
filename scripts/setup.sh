#!/bin/sh
# Installs the Debian packages cohsim builds and tests with; installs only what is missing,
# runs `apt-get update` once before the first install, and prints nothing when all is present.
set -eu

# Every package the project uses, one per line: the build, the unit tests, the trace formats,
# the cross-checks (valgrind for Lackey and Cachegrind), the runners of `cohsim sweep` (GNU
# Parallel; Slurm's sbatch for clusters); clang builds the libFuzzer targets (make fuzz); and the
# RTL and SystemC parts (Verilator, SystemC with TLM-2.0).
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
"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "setup: done"

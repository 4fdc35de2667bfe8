#!/usr/bin/env bash
# Builds the FFLAS-FFPACK peer (benches/peer/fflas_rank.cpp) into ${CARGO_TARGET_DIR:-target}/peer/
# and prints the binary's path; run from the package root, as cargo runs the benches.
#
# The binary is compiled again only when the source or this script is newer than it. When
# FFLAS-FFPACK, Givaro, OpenBLAS or g++ is missing, they are installed with apt-get if this runs
# as root (saying so on stderr); otherwise the script says on stderr
# "FFLAS-FFPACK peer not run: <reason>" and exits 1, and the bench goes on without the peer.
#
# OpenBLAS is linked by name (-lopenblas), not through pkg-config's "-lblas -llapack": those
# follow Debian's alternatives, which may pick BLIS or the reference BLAS. The caller sets
# OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 when it runs the binary.
set -u

src=benches/peer/fflas_rank.cpp
out="${CARGO_TARGET_DIR:-target}/peer/fflas_rank"
packages="fflas-ffpack libopenblas-dev libgivaro-dev g++ pkg-config"

not_run() {
    echo "FFLAS-FFPACK peer not run: $1" >&2
    exit 1
}

present() {
    [ -f /usr/include/fflas-ffpack/ffpack/ffpack.h ] && [ -f /usr/include/givaro/modular.h ] &&
        compgen -G '/usr/lib/*/libopenblas.so' >/dev/null && command -v g++ >/dev/null
}

if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$0" -nt "$out" ]; then
    if ! present; then
        [ "$(id -u)" = 0 ] || not_run "FFLAS-FFPACK, Givaro, OpenBLAS or g++ is missing (as root: apt-get install -y $packages)"
        command -v apt-get >/dev/null || not_run "FFLAS-FFPACK is missing and there is no apt-get"
        log=$(mktemp)
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y $packages >"$log" 2>&1; then
            apt-get update >>"$log" 2>&1
            DEBIAN_FRONTEND=noninteractive apt-get install -y $packages >>"$log" 2>&1 ||
                not_run "apt-get install -y $packages failed: $(tail -n 1 "$log")"
        fi
        rm -f "$log"
        echo "FFLAS-FFPACK peer: installed $packages with apt-get" >&2
    fi
    if pkg-config --exists fflas-ffpack givaro 2>/dev/null; then
        cflags=$(pkg-config --cflags fflas-ffpack givaro)
        libs=$(pkg-config --libs givaro)
    else
        cflags="-I/usr/include"
        libs="-lgivaro -lgmpxx -lgmp"
    fi
    mkdir -p "$(dirname "$out")"
    echo "FFLAS-FFPACK peer: compiling $out" >&2
    # shellcheck disable=SC2086 # the flags are word lists
    if ! errors=$(g++ -O3 -march=native -std=c++17 $cflags "$src" -o "$out" -lopenblas $libs 2>&1); then
        rm -f "$out"
        not_run "g++ failed: $(echo "$errors" | grep -m 1 error)"
    fi
fi
echo "$out"

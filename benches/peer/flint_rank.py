#!/usr/bin/env python3
"""Peer benchmark for `rank_mod_p`: FLINT's nmod_mat rank modulo 2^61 - 1.

Builds random dense N x N matrices (entries uniform in [0, PRIME), drawn with
random.Random(seed), no numpy) and times `flint.nmod_mat(...).rank()` on one
thread: median of 3 runs for N <= 2000, 1 run for N = 4000. Matrix generation
and conversion are not timed. Wall and CPU (process) time are both reported:
on a busy machine the CPU time is the fairer figure. Prints the same table as
benches/modular_rank.rs (same distribution; the entries differ, as the Rust bench
draws them with ChaCha20).

Usage: python3 flint_rank.py [N ...]      (default: 500 1000 2000 4000)
"""
import random
import statistics
import subprocess
import sys
import time

try:
    import flint
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "python-flint"])
    import flint

PRIME = (1 << 61) - 1
SEED = 20240601


def runs_for(n):
    return 3 if n <= 2000 else 1


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [500, 1000, 2000, 4000]
    try:
        flint.ctx.threads = 1
    except Exception:  # older python-flint without the setting
        pass
    print(f"python-flint {flint.__version__}, FLINT threads = {getattr(flint.ctx, 'threads', '?')}")
    print(f"{'N':>6} {'runs':>5} {'wall s':>10} {'cpu s':>10} {'rank':>6}")
    for n in sizes:
        rng = random.Random(SEED + n)
        entries = [rng.randrange(PRIME) for _ in range(n * n)]
        m = flint.nmod_mat(n, n, entries, PRIME)
        del entries
        wall, cpu = [], []
        rank = None
        for _ in range(runs_for(n)):
            t0, c0 = time.perf_counter(), time.process_time()
            rank = m.rank()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - t0)
        print(
            f"{n:>6} {runs_for(n):>5} {statistics.median(wall):>10.3f} {statistics.median(cpu):>10.3f} {rank:>6}",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""Peer for tensor assembly: a random tensor train with d = 6, n = 10, r = 20 contracted to its
dense tensor by a plain numpy einsum (float64, optimize=True). Prints the median seconds of 5."""
import time

from common import need

np = need("numpy", "numpy")


def main():
    rng = np.random.default_rng(2018)
    n, r, d = 10, 20, 6
    shapes = [(1 if k == 0 else r, n, r if k < d - 1 else 1) for k in range(d)]
    cores = [rng.integers(-(2**31) + 1, 2**31, size=s).astype(np.float64) for s in shapes]
    spec = "aib,bjc,ckd,dle,emf,fng->ijklmn"
    times = []
    for _ in range(5):
        start = time.perf_counter()
        np.einsum(spec, *cores, optimize=True)
        times.append(time.perf_counter() - start)
    print(f"{sorted(times)[2]:.4f}")


if __name__ == "__main__":
    main()

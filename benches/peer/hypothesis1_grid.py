"""Peer pipeline for the Hypothesis 1 grid at d = 6 (n = 2..10, r = 2..20, equal and different
TT-cores): the same work as the whole-grid figure of `cargo bench --bench random`, done the way
a careful Python user would: cores drawn as integers |x| < 2^31, the tensor assembled exactly mod
p = 2^61 - 1 by FLINT matrix products (python-flint nmod_mat), the odd/even matricization by a
numpy transpose, its rank mod p by FLINT. Prints the total wall time in seconds."""
import random
import sys
import time

from common import P, need

np = need("numpy", "numpy")
flint = need("flint", "python-flint")


def draw_core(rng, left, n, right):
    return [rng.randrange(-(2**31) + 1, 2**31) % P for _ in range(left * n * right)]


def tensor_mod_p(cores, n):
    """Left to right: L holds, per prefix (i_1..i_k), the row G_1[i_1] ... G_k[i_k]."""
    left = flint.nmod_mat(1, 1, [1], P)
    for (l, r, core) in cores:
        product = left * flint.nmod_mat(l, n * r, core, P)
        left = flint.nmod_mat(product.nrows() * n, r, [int(x) for x in product.entries()], P)
    return np.array([int(x) for x in left.entries()], dtype=np.int64)


def instance(rng, n, r, d, equal):
    shapes = [(1 if k == 0 else r, r if k < d - 1 else 1) for k in range(d)]
    if equal:
        first, inner, last = draw_core(rng, 1, n, r), draw_core(rng, r, n, r), draw_core(rng, r, n, 1)
        cores = [(1, r, first)] + [(r, r, inner)] * (d - 2) + [(r, 1, last)]
    else:
        cores = [(l, rr, draw_core(rng, l, n, rr)) for (l, rr) in shapes]
    tensor = tensor_mod_p(cores, n).reshape([n] * d)
    odd_even = tensor.transpose(list(range(0, d, 2)) + list(range(1, d, 2))).reshape(n ** (d // 2), -1)
    matrix = flint.nmod_mat(odd_even.shape[0], odd_even.shape[1], [int(x) for x in odd_even.ravel()], P)
    return matrix.rank()


def main():
    if hasattr(flint, "ctx") and hasattr(flint.ctx, "threads"):
        flint.ctx.threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    rng = random.Random(2018)
    start = time.perf_counter()
    certified = 0
    for equal in (True, False):
        for n in range(2, 11):
            for r in range(2, 21):
                rank = instance(rng, n, r, 6, equal)
                certified += rank >= min(n, r) ** 3
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.3f} {certified}")


if __name__ == "__main__":
    main()

// Peer benchmark for the rank mod p: FFLAS-FFPACK's FFPACK::Rank (a PLUQ factorization over
// BLAS) of a dense N x N matrix of pseudo-random residues mod p, on one thread (the caller sets
// OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1; the sequential Rank is called).
//
// Usage: fflas_rank N [p [seed [runs [field]]]]
//   p     a prime below 2^26 (default 2097143 = 2^21 - 9)
//   seed  of the std::mt19937_64 that draws the entries, uniform in [0, p) (default 2018)
//   runs  how many times the rank is timed (default 3); each run factors a fresh copy
//   field "modular" for Givaro::Modular<double> (residues in [0, p)) or "balanced" for
//         Givaro::ModularBalanced<double> (residues in (-p/2, p/2]); default "modular", the
//         faster of the two on a 2-core AVX-512 Xeon, if only just: at N = 3000, best of six
//         1.48 s against 1.54 s of CPU, medians 1.84 s against 1.89 s (within the noise at
//         N = 2000 and 4000).
// Prints one line "N seconds rank cpu": the median wall time of the runs, as the Rust side
// reports (benches/common/mod.rs, median_seconds: the element at runs / 2 of the sorted times),
// the rank, and the median CPU time of the process (the fairer figure on a busy machine).
// Filling and copying the matrix are not timed.

#include <fflas-ffpack/ffpack/ffpack.h>
#include <givaro/modular.h>
#include <givaro/modular-balanced.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

// Median wall and CPU time of `runs` ranks of the same N x N matrix; `rank` receives the rank.
template <class Field>
std::pair<double, double> time_rank(size_t n, uint64_t p, uint64_t seed, int runs, size_t& rank) {
    Field field(p);
    std::mt19937_64 gen(seed);
    std::uniform_int_distribution<uint64_t> residue(0, p - 1);
    std::vector<typename Field::Element> entries(n * n);
    for (auto& e : entries) {
        field.init(e, residue(gen));
    }
    typename Field::Element_ptr a = FFLAS::fflas_new(field, n, n);
    std::vector<double> wall, cpu;
    for (int run = 0; run < runs; ++run) {
        std::copy(entries.begin(), entries.end(), a);
        auto start = std::chrono::steady_clock::now();
        std::clock_t cpu_start = std::clock();
        rank = FFPACK::Rank(field, n, n, a, n);
        cpu.push_back(double(std::clock() - cpu_start) / CLOCKS_PER_SEC);
        wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    FFLAS::fflas_delete(a);
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s N [p [seed [runs [modular|balanced]]]]\n", argv[0]);
        return 2;
    }
    size_t n = std::strtoull(argv[1], nullptr, 10);
    uint64_t p = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2097143;
    uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 2018;
    int runs = argc > 4 ? std::atoi(argv[4]) : 3;
    std::string kind = argc > 5 ? argv[5] : "modular";
    if (n == 0 || runs < 1 || p < 3 || p >= (1u << 26)) {
        std::fprintf(stderr, "need N >= 1, runs >= 1 and an odd prime p < 2^26\n");
        return 2;
    }
    size_t rank = 0;
    std::pair<double, double> seconds;
    if (kind == "modular") {
        seconds = time_rank<Givaro::Modular<double>>(n, p, seed, runs, rank);
    } else if (kind == "balanced") {
        seconds = time_rank<Givaro::ModularBalanced<double>>(n, p, seed, runs, rank);
    } else {
        std::fprintf(stderr, "field must be modular or balanced, not %s\n", kind.c_str());
        return 2;
    }
    std::printf("%zu %.6f %zu %.6f\n", n, seconds.first, rank, seconds.second);
    return 0;
}

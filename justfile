# tnproof tasks. Install just once with `cargo install just`.

# Check every case in cases/ and print one line per case and claim.
verify *ARGS:
    cargo run --release --quiet -- verify {{ARGS}}

# The whole test suite of both crates (unit, property, snapshot, CLI and bad-input tests).
test:
    cargo test --workspace

# Review certificate snapshot changes (needs `cargo install cargo-insta`).
review:
    cargo insta review

# Print one instance's cores and the matricizations its claims use, e.g. `just show cases/alkin2024-equal-core.toml --params n=3,r=4,d=4`.
show CASE *ARGS:
    cargo run --release --quiet -- show {{CASE}} {{ARGS}}

# Write a certificate per case instance into certificates/.
certificates:
    cargo run --release --quiet -- verify --out certificates

# Write every certificate and re-check each one with the trusted kernel.
check: certificates
    cargo run --release --quiet -- check --dir certificates

# Sweep a (large) grid: CSV, Markdown table and SVG plot in sweeps/ (with --latex also LaTeX tables and a PGF/TikZ plot), e.g. `just sweep cases/hypothesis1-equal-cores.toml --latex`.
sweep CASE *ARGS:
    cargo run --release --quiet -- sweep {{CASE}} --out sweeps {{ARGS}}

# The generic-rank tables of grids/ at depth D = 8 (n = 2..10, r = 2..20) or 10 (n = 2..6, r = 2..12), equal and different cores: CSV, Markdown, LaTeX, plots and every certificate in tables/d<D>/. Not run by `cargo test` or `verify`. SHARD=i/N sweeps one part (e.g. `just grid 8 2/4`; then `just grid-merge 8`).
grid D SHARD="1/1":
    cargo run --release --quiet -- sweep grids/hypothesis1-equal-cores-d{{D}}.toml --shard {{SHARD}} --out tables/d{{D}} --certificates tables/d{{D}}/certificates --latex
    cargo run --release --quiet -- sweep grids/hypothesis1-different-cores-d{{D}}.toml --shard {{SHARD}} --out tables/d{{D}} --certificates tables/d{{D}}/certificates --latex

# Merge the shard CSVs `just grid D i/N` wrote into tables/d<D>/ into the whole tables.
grid-merge D:
    cargo run --release --quiet -- merge tables/d{{D}}/hypothesis1-equal-cores-d{{D}}-grid.shard-*.csv --out tables/d{{D}} --latex
    cargo run --release --quiet -- merge tables/d{{D}}/hypothesis1-different-cores-d{{D}}-grid.shard-*.csv --out tables/d{{D}} --latex

# Table 2 of Khrulkov et al. 2018, certified: table2/table2.md, its cases and certificates.
table2 *ARGS:
    cargo run --release --quiet -- table2 {{ARGS}}

# Measured performance (exact rank, contraction, the whole case set).
bench:
    cargo bench

# The sources' expressivity experiment: tables, CSV and histograms in experiment/ (about 2-3 minutes).
expressivity *ARGS:
    cargo run --release --quiet -- expressivity --out experiment {{ARGS}}

# The trusted kernel's size: lines of code, of comments and of unit tests in kernel/src/ (blank lines not counted).
kernel-size:
    @awk 'FNR == 1 { test = 0; files++ } /^#\[cfg\(test\)\]/ { test = 1 } /^[[:space:]]*$/ { next } test { tests++; next } /^[[:space:]]*\/\// { comments++; next } { code++ } END { printf "tnproof-kernel (kernel/src, %d files): %d lines of code, %d of comments, %d of unit tests\n", files, code, comments, tests }' kernel/src/*.rs

//! The experiment's Markdown report and CSV table: fixed formatting, every float to 3
//! significant digits, rows in output order, so that one configuration gives the same bytes on
//! every run and thread count.

use super::{Config, Cores, ExactPath, Experiment, Outcome, DRAW_BITS, DRAW_TERMS, OPERATORS};
use crate::network::generalized::Xi;
use std::fmt::Write;

/// The CSV's first line.
pub const CSV_HEADER: &str = "xi,cores,R,network,seed_text,rank_p,rank_f64,lower_bound,certified_width,exact_path";

/// The report's values (Afambo 2020, section 5.2): rectifier, different cores, `M = 10`,
/// `T = 6`, 20 networks per rank: `(R, mean, standard deviation)` of the lower bound.
pub const REPORT: [(usize, &str, &str); 4] = [
    (1, "1.3", "0.7"),
    (2, "7.6", "7.8"),
    (4, "11.4", "8.5"),
    (8, "16.2", "8.0"),
];

/// `x` to 3 significant digits, fixed notation: `0`, `0.0333`, `1.27`, `33.3`, `1000`.
pub fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x.is_finite() { "0".into() } else { format!("{x}") };
    }
    // The exponent after rounding to 3 digits (9.996 rounds to 1.00e1).
    let scientific = format!("{x:.2e}");
    let exponent: i32 = scientific.rsplit('e').next().and_then(|e| e.parse().ok()).unwrap_or(0);
    let decimals = (2 - exponent).max(0) as usize;
    format!("{x:.decimals$}")
}

/// `x` to 3 significant digits, scientific: `8.24e-6`.
pub fn scientific(x: f64) -> String {
    format!("{x:.2e}")
}

/// Mean and population standard deviation (ddof = 0, as numpy's `std`), summed in order.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

fn report_value(config: &Config, xi: Xi, cores: Cores, rank: usize) -> (String, String) {
    if !config.is_sources_setting() {
        return ("not comparable".into(), "not comparable".into());
    }
    match REPORT.iter().find(|(r, _, _)| *r == rank) {
        Some((_, mean, sd)) if xi == Xi::Rectifier && cores == Cores::Different => (mean.to_string(), sd.to_string()),
        _ => ("not reported".into(), "not reported".into()),
    }
}

fn title(xi: Xi) -> &'static str {
    match xi {
        Xi::Rectifier => "certified (rank mod p)",
        _ => "numeric estimate (f64 SVD rank)",
    }
}

/// One CSV row per network, in output order.
pub fn to_csv(experiment: &Experiment) -> String {
    let config = &experiment.config;
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for o in &experiment.outcomes {
        let opt = |v: Option<usize>| v.map_or(String::new(), |v| v.to_string());
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            o.xi.name(),
            o.cores.name(),
            o.rank,
            o.network,
            o.seed_text,
            opt(o.rank_p),
            o.numeric.rank,
            significant(o.lower_bound(config)),
            opt(o.certified_width(config)),
            o.path.map_or("", ExactPath::name)
        );
    }
    out
}

/// The table of one (operator, cores).
fn table(out: &mut String, experiment: &Experiment, xi: Xi, cores: Cores) {
    let config = &experiment.config;
    let side = config.side();
    let exact = xi == Xi::Rectifier;
    let _ = writeln!(out, "## {}, {} cores: {}\n", xi.name(), cores.name(), title(xi));
    let _ = writeln!(
        out,
        "| R | N | mean | sd | min | max | certified width >= | rank = {side} (full) | f64 disagreements | report mean | report sd |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for &rank in &config.ranks {
        let group: Vec<&Outcome> = experiment.group(xi, cores, rank).collect();
        if group.is_empty() {
            continue;
        }
        let bounds: Vec<f64> = group.iter().map(|o| o.lower_bound(config)).collect();
        let (mean, sd) = mean_sd(&bounds);
        let min = bounds.iter().copied().fold(f64::INFINITY, f64::min);
        let max = bounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let full = group.iter().filter(|o| o.measured_rank() == side).count();
        let (widths, full, disagreements) = if exact {
            let widths: Vec<usize> = group.iter().filter_map(|o| o.certified_width(config)).collect();
            let (lo, hi) = (
                widths.iter().min().copied().unwrap_or(0),
                widths.iter().max().copied().unwrap_or(0),
            );
            let widths = if lo == hi {
                lo.to_string()
            } else {
                format!("{lo} to {hi}")
            };
            (
                widths,
                format!("{full} certified exact"),
                group.iter().filter(|o| o.disagrees()).count().to_string(),
            )
        } else {
            ("none (numeric)".into(), format!("{full} (numeric)"), "n/a".into())
        };
        let (report_mean, report_sd) = report_value(config, xi, cores, rank);
        let _ = writeln!(
            out,
            "| {rank} | {} | {} | {} | {} | {} | {widths} | {full} | {disagreements} | {report_mean} | {report_sd} |",
            group.len(),
            significant(mean),
            significant(sd),
            significant(min),
            significant(max),
        );
    }
    out.push('\n');
}

/// The whole report.
pub fn to_markdown(experiment: &Experiment) -> String {
    let config = &experiment.config;
    let (m, t, side, divisor) = (config.templates, config.length, config.side(), config.divisor());
    let ranks: Vec<String> = config.ranks.iter().map(usize::to_string).collect();
    let top = (1i64 << DRAW_BITS) - 1;
    let rows: Vec<String> = (1..=t).step_by(2).map(|s| s.to_string()).collect();
    let cols: Vec<String> = (2..=t).step_by(2).map(|s| s.to_string()).collect();
    let example = super::seed_text(config, Xi::Rectifier, Cores::Different, config.ranks[0], 1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Expressivity of generalized RNNs: lower bounds on the width of equivalent shallow networks\n"
    );
    let _ = writeln!(
        out,
        "The sources' experiment (Khrulkov's thesis, Fig. 3-3 to 3-5; Afambo's 2020 report, Fig. 5), with certified \
         ranks for the rectifier. Written by `tnproof expressivity --runs {} --seed {} --templates {m} --length {t} \
         --ranks {}`; every number is recomputed from the seed.\n",
        config.runs,
        config.seed,
        ranks.join(",")
    );
    let _ = writeln!(out, "## Setup\n");
    let lines = [
        format!("M = {m} templates, T = {t}, L_t = M, ranks R in {{{}}} (R_0 = R_T = 1), N = {} networks per (xi, cores, R), seed {}.", ranks.join(", "), config.runs, config.seed),
        "Operators: rectifier xi(x, y) = max(x, y, 0) (exact) and sqrt xi(x, y) = sqrt(x^2 + y^2) (floating point only).".into(),
        "Network: h^0 = unit of xi, h^t_k = sum_{i,j} G^t[i,j,k] xi([C^t f(x_t)]_i, h^{t-1}_j), score h^T; F = ReLU(A) with A drawn (M x M), C^t drawn (L x M), G^t drawn (L x R_{t-1} x R_t).".into(),
        "Cores: \"different\": every G^t drawn; \"shared\": G^1, G^2 and G^T drawn, G^3 = ... = G^{T-1} = G^2. The matrices C^t are drawn for every t in both modes.".into(),
        format!(
            "Draws: every entry is (u_1 + ... + u_{DRAW_TERMS} - {}) / 2^{DRAW_BITS} with u_i uniform integers in [0, 2^{DRAW_BITS}) (Irwin-Hall): \
             mean 0, variance 1 - 2^-{}, |x| <= {}/{}, an exact dyadic rational; no floating point in the draw. \
             u_i is the low {DRAW_BITS} bits of one 64-bit word of a ChaCha20 stream (RFC 8439) keyed by SHA-256 of the seed text, \
             e.g. `{example}` (each network's is in the CSV). Order: A row by row, then for t = 1..T: C^t row by row, G^t in (i, j, k) order (shared copies not drawn).",
            DRAW_TERMS as i64 / 2 * top,
            2 * DRAW_BITS,
            DRAW_TERMS as i64 / 2 * top,
            1i64 << DRAW_BITS
        ),
        format!(
            "Grid tensor Gamma[i_1..i_T] = score on (x^(i_1), ..., x^(i_T)); odd/even matricization, rows ({}), columns ({}): {side} x {side}.",
            rows.join(","),
            cols.join(",")
        ),
        format!(
            "Lower bound on the width R' of a rectifier shallow network with the same grid tensor: Lemma 5 (Cohen & Shashua 2016) gives \
             odd/even rank <= R' T M / 2 = {divisor} R', so R' >= rank / {divisor} (the statistics and histograms), and R' >= ceil(rank_p / {divisor}) as a certified integer."
        ),
        format!(
            "Rank, rectifier: the grid tensor is computed exactly (i128 fixed point over 2^{}, overflow excluded a priori; Q otherwise) and its matricization's rank \
             is taken modulo p = 2^61 - 1. rank_p <= rank over Q always (a minor non-zero mod p is non-zero), so rank_p is a certified lower bound; \
             it is the exact rank when it is full ({side}).",
            (t + 2) * DRAW_BITS as usize
        ),
        "Cross-check, rectifier: the same network computed in f64, rank from its singular values with numpy's tolerance sigma_max * max(m, n) * eps. It never decides; every disagreement is listed below.".into(),
        "sqrt: f64 only (sqrt(x * x + y * y), IEEE operations); its rank is the f64 SVD rank, a numeric estimate. Lemma 5 is proved for the rectifier only, so for sqrt rank / (T M / 2) is the sources' statistic, not a proven bound.".into(),
        "Statistics: mean and population standard deviation (ddof = 0) over the N networks of rank / (T M / 2); min and max of the same; floats to 3 significant digits.".into(),
    ];
    for line in lines {
        let _ = writeln!(out, "- {line}");
    }
    out.push('\n');
    for xi in OPERATORS {
        for cores in Cores::ALL {
            table(&mut out, experiment, xi, cores);
        }
    }
    let _ = writeln!(out, "## f64 disagreements (rectifier: f64 rank != rank_p)\n");
    let disagreeing: Vec<&Outcome> = experiment.outcomes.iter().filter(|o| o.disagrees()).collect();
    if disagreeing.is_empty() {
        let _ = writeln!(
            out,
            "None: on every rectifier network the f64 SVD rank equals rank_p.\n"
        );
    } else {
        let below = disagreeing
            .iter()
            .filter(|o| o.numeric.rank < o.rank_p.unwrap_or(0))
            .count();
        let _ = writeln!(
            out,
            "{} of {} rectifier networks. f64 rank below rank_p ({below} here) is a floating-point underestimate, as rank_p is a \
             certified lower bound; f64 rank above rank_p ({} here) leaves the exact rank between rank_p and the matrix size. \
             Singular values: the smallest counted, the largest not counted, and the tolerance sigma_max * max(m, n) * eps.\n",
            disagreeing.len(),
            experiment.outcomes.iter().filter(|o| o.rank_p.is_some()).count(),
            disagreeing.len() - below
        );
        let _ = writeln!(
            out,
            "| cores | R | network | rank_p | f64 rank | sigma kept | sigma dropped | tolerance |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
        for o in &disagreeing {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                o.cores.name(),
                o.rank,
                o.network,
                o.rank_p.unwrap_or(0),
                o.numeric.rank,
                scientific(o.numeric.sigma_kept),
                scientific(o.numeric.sigma_dropped),
                scientific(o.numeric.tolerance)
            );
        }
        out.push('\n');
    }
    let exact: Vec<&Outcome> = experiment.outcomes.iter().filter(|o| o.path.is_some()).collect();
    let fallback = exact.iter().filter(|o| o.path == Some(ExactPath::Rational)).count();
    let _ = writeln!(out, "## Exact arithmetic\n");
    let _ = writeln!(
        out,
        "{} of {} rectifier grid tensors were computed in i128 fixed point, {fallback} through the Q fallback.\n",
        exact.len() - fallback,
        exact.len()
    );
    let _ = writeln!(out, "## Notes\n");
    let notes = [
        "The report's values (Afambo 2020, section 5.2: rectifier, different cores, M = 10, T = 6, 20 networks per rank; means 1.3, 7.6, 11.4, 16.2 and standard deviations 0.7, 7.8, 8.5, 8.0 for R = 1, 2, 4, 8) come from N(0, 1) floating-point draws and, presumably, a floating-point rank; the report notes that the initialization of the cores strongly affects the bounds. Khrulkov's thesis gives histograms only (Fig. 3-3: M = 10, T = 6; the captions of Fig. 3-4, shared cores, and Fig. 3-5, sqrt, say M = 6, T = 6).",
        "A certified rank below full is a lower bound only: the exact rank over Q may be larger if p divides every larger minor (probability negligible, but not excluded by this computation).",
    ];
    for note in notes {
        let _ = writeln!(out, "- {note}");
    }
    let _ = writeln!(out, "\nFiles: `expressivity.csv` (one row per network: {CSV_HEADER}), `histogram-<xi>-<cores>.svg` (one histogram per R, bins [b, b + 1) of rank / {divisor}).");
    out
}

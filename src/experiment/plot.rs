//! The histograms of the lower bounds, one SVG per (operator, cores) with one panel per rank,
//! like the sources' figures: x is `rank / (T M / 2)` in bins of width 1, y the number of
//! networks. Fixed size, fonts named by family only, so the same outcomes give the same bytes.

use super::report::{mean_sd, significant};
use super::{Cores, Experiment};
use crate::network::generalized::Xi;
use plotters::prelude::*;

const PANEL: (u32, u32) = (480, 300);
const TITLE_HEIGHT: u32 = 60;
const FONT: &str = "sans-serif";

/// Why a histogram could not be drawn (plotters' layout or backend error, in words).
#[derive(Debug, thiserror::Error)]
#[error("could not draw the histogram: {0}")]
pub struct PlotError(String);

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// The histogram file of one (operator, cores).
pub fn histogram_svg(experiment: &Experiment, xi: Xi, cores: Cores) -> Result<String, PlotError> {
    let mut svg = String::new();
    draw(&mut svg, experiment, xi, cores).map_err(|e| PlotError(e.to_string()))?;
    Ok(svg)
}

/// `1.5`, `2`: axis labels without trailing zeros.
fn tick(x: &f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        significant(*x)
    }
}

fn draw(svg: &mut String, experiment: &Experiment, xi: Xi, cores: Cores) -> DrawResult {
    let config = &experiment.config;
    let divisor = config.divisor();
    // Bins [b, b + 1) for b = 0 .. floor(side / divisor): every possible bound has a bin.
    let bins = config.side() / divisor + 1;
    let histograms: Vec<(usize, Vec<u32>, Vec<f64>)> = config
        .ranks
        .iter()
        .map(|&rank| {
            let mut counts = vec![0u32; bins];
            let mut bounds = Vec::new();
            for o in experiment.group(xi, cores, rank) {
                counts[o.measured_rank() / divisor] += 1;
                bounds.push(o.lower_bound(config));
            }
            (rank, counts, bounds)
        })
        .collect();
    let y_max = histograms
        .iter()
        .flat_map(|(_, c, _)| c.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1)
        + 1;
    let columns = histograms.len().clamp(1, 2);
    let rows = histograms.len().div_ceil(columns).max(1);
    let size = (PANEL.0 * columns as u32, TITLE_HEIGHT + PANEL.1 * rows as u32);
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let (head, body) = root.split_vertically(TITLE_HEIGHT);
    let (what, rank_name) = match xi {
        Xi::Rectifier => ("certified lower bounds", "rank_p"),
        _ => ("numeric estimates of the lower bounds", "f64 rank"),
    };
    let lines = [
        format!(
            "xi = {}, {} cores: {what} on the width of an equivalent shallow network",
            xi.formula().trim_start_matches("xi(x, y) = "),
            cores.name()
        ),
        format!(
            "{rank_name} / {divisor} of the odd/even grid matricization ({0} x {0}), M = {1}, T = {2}; bins [b, b + 1)",
            config.side(),
            config.templates,
            config.length
        ),
    ];
    for (n, line) in lines.iter().enumerate() {
        head.draw(&Text::new(
            line.clone(),
            (12, 10 + 22 * n as i32),
            (FONT, if n == 0 { 16 } else { 13 }).into_font(),
        ))?;
    }
    for (index, (area, (rank, counts, bounds))) in
        body.split_evenly((rows, columns)).iter().zip(&histograms).enumerate()
    {
        let caption = if bounds.is_empty() {
            format!("R = {rank}: no networks")
        } else {
            let (mean, sd) = mean_sd(bounds);
            format!(
                "R = {rank}: N = {}, mean {}, sd {}",
                bounds.len(),
                significant(mean),
                significant(sd)
            )
        };
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FONT, 14))
            .margin(10)
            .x_label_area_size(34)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..bins as f64, 0u32..y_max)?;
        chart
            .configure_mesh()
            .x_desc(format!("lower bound on the shallow width ({rank_name} / {divisor})"))
            .y_desc("networks")
            .x_labels(bins.min(18) + 1)
            .y_labels((y_max as usize + 1).min(11))
            .x_label_formatter(&tick)
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .label_style((FONT, 11))
            .axis_desc_style((FONT, 12))
            .draw()?;
        let colour = Palette99::pick(index);
        chart.draw_series(
            counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(b, &c)| Rectangle::new([(b as f64 + 0.08, 0), (b as f64 + 0.92, c)], colour.filled())),
        )?;
    }
    root.present()?;
    Ok(())
}

//! A sweep's rank claims as an SVG plot (plotters): one panel per claim and value of d, the rank
//! found as points and the claim's bound as a line, one colour per value of the other parameters
//! (n), over r, on a log scale. The SVG has a fixed size and names fonts only by family, so the
//! same rows give the same bytes on every machine.

use super::{distinct, Sweep, SweepRow};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

const PANEL: (u32, u32) = (520, 380);
const LEGEND_WIDTH: u32 = 260;
const TITLE_HEIGHT: u32 = 48;
const FONT: &str = "sans-serif";
/// Where the legend's series start, below the key to the markers.
const LEGEND_KEY_HEIGHT: u32 = 140;

/// Why the plot could not be drawn (plotters' layout or backend error, in words).
#[derive(Debug, thiserror::Error)]
#[error("could not draw the plot: {0}")]
pub struct PlotError(String);

/// One panel: a claim at one value of the facet parameter.
struct Panel<'a> {
    caption: String,
    rows: Vec<&'a SweepRow>,
}

/// How the parameters map onto the plot: the x axis, the panels, and the series (all others).
struct Axes {
    x: String,
    facet: Option<String>,
}

impl Axes {
    /// x = r (else d, else the last parameter); panels per d unless d is on x.
    fn of(names: &[&str]) -> Option<Axes> {
        let x = ["r", "d"]
            .into_iter()
            .find(|p| names.contains(p))
            .or(names.last().copied())?;
        let facet = (x != "d" && names.contains(&"d")).then(|| "d".to_string());
        Some(Axes {
            x: x.to_string(),
            facet,
        })
    }

    fn x(&self, row: &SweepRow) -> Option<i64> {
        row.param(&self.x)
    }

    /// `n = 3`: the parameters that are neither x nor the facet.
    fn series(&self, row: &SweepRow) -> String {
        let others = row
            .params
            .iter()
            .filter(|(k, _)| *k != self.x && Some(k) != self.facet.as_ref());
        others.map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
    }
}

/// The plot, or `None` when no row has a rank and a bound to plot.
pub fn to_svg(sweep: &Sweep) -> Result<Option<String>, PlotError> {
    let plotted: Vec<&SweepRow> = sweep
        .rows
        .iter()
        .filter(|r| r.rank.is_some() && r.bound.is_some())
        .collect();
    let Some(axes) = Axes::of(&sweep.param_names()) else {
        return Ok(None);
    };
    if plotted.is_empty() {
        return Ok(None);
    }
    let claims = distinct(plotted.iter().map(|r| r.claim));
    let facets = distinct(plotted.iter().map(|r| axes.facet.as_ref().and_then(|f| r.param(f))));
    let series = distinct(plotted.iter().map(|r| axes.series(r)));
    let mut panels = Vec::new();
    for &claim in &claims {
        let Some(first) = plotted.iter().find(|r| r.claim == claim) else {
            continue;
        };
        let relation = first.bound.map_or("", |(relation, _)| relation.symbol());
        for &facet in &facets {
            let rows: Vec<&SweepRow> = plotted
                .iter()
                .copied()
                .filter(|r| r.claim == claim && axes.facet.as_ref().and_then(|f| r.param(f)) == facet)
                .collect();
            let at = match (&axes.facet, facet) {
                (Some(name), Some(value)) => format!(", {name} = {value}"),
                _ => String::new(),
            };
            panels.push(Panel {
                caption: format!("claim {claim} {}: rank {relation} bound{at}", first.kind),
                rows,
            });
        }
    }
    let f = &sweep.fingerprint;
    let title = if f.title.is_empty() {
        f.case.clone()
    } else {
        f.title.replace('\n', " ")
    };
    let mut svg = String::new();
    draw(&mut svg, &title, &axes, &series, &panels, facets.len()).map_err(|e| PlotError(e.to_string()))?;
    Ok(Some(svg))
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn draw(svg: &mut String, title: &str, axes: &Axes, series: &[String], panels: &[Panel], columns: usize) -> DrawResult {
    let columns = columns.max(1);
    let rows = panels.len().div_ceil(columns);
    let width = PANEL.0 * columns as u32 + LEGEND_WIDTH;
    let height = TITLE_HEIGHT + (PANEL.1 * rows as u32).max(legend_height(series.len()));
    let root = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = root.titled(title, (FONT, 20))?;
    let (plots, legend) = body.split_horizontally(PANEL.0 * columns as u32);
    for (area, panel) in plots.split_evenly((rows, columns)).iter().zip(panels) {
        draw_panel(area, axes, series, panel)?;
    }
    draw_legend(&legend, series)?;
    root.present()?;
    Ok(())
}

fn colour(series: &[String], name: &str) -> PaletteColor<Palette99> {
    Palette99::pick(series.iter().position(|s| s == name).unwrap_or(0))
}

fn draw_panel(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    axes: &Axes,
    series: &[String],
    panel: &Panel,
) -> DrawResult {
    let xs = distinct(panel.rows.iter().filter_map(|r| axes.x(r)));
    let (Some(&x_min), Some(&x_max)) = (xs.iter().min(), xs.iter().max()) else {
        return Ok(());
    };
    let largest = panel
        .rows
        .iter()
        .flat_map(|r| [r.rank.unwrap_or(0), r.bound.map_or(0, |(_, b)| b)])
        .max()
        .unwrap_or(1);
    let y_max = (largest.max(1) as f64) * 2.0;
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.caption, (FONT, 15))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d((x_min..x_max).into_segmented(), (0.7f64..y_max).log_scale())?;
    let x_label = |v: &SegmentValue<i64>| match v {
        SegmentValue::Exact(x) | SegmentValue::CenterOf(x) => x.to_string(),
        SegmentValue::Last => String::new(),
    };
    chart
        .configure_mesh()
        .x_desc(axes.x.as_str())
        .y_desc("rank (log scale)")
        .x_label_formatter(&x_label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_labels(xs.len().min(20))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 13))
        .draw()?;
    // Series are drawn in pixels, each shifted sideways by a few pixels of its own, so that
    // series with equal values stay visible side by side rather than hidden under each other.
    let (base_x, base_y) = area.get_base_pixel();
    let pixel = |x: i64, y: usize, shift: i32| {
        let (px, py) = chart.backend_coord(&(SegmentValue::CenterOf(x), y as f64));
        (px - base_x + shift, py - base_y)
    };
    let names = distinct(panel.rows.iter().map(|r| axes.series(r)));
    let mut sorted = xs.clone();
    sorted.sort();
    let gap = sorted
        .windows(2)
        .map(|w| pixel(w[1], 1, 0).0 - pixel(w[0], 1, 0).0)
        .min()
        .unwrap_or(PANEL.0 as i32 / 2);
    let spacing = (gap / (names.len() as i32 + 1)).clamp(0, 6);
    for (position, name) in names.iter().enumerate() {
        let colour = colour(series, name);
        let shift = spacing * (2 * position as i32 + 1 - names.len() as i32) / 2;
        let rows: Vec<&&SweepRow> = panel.rows.iter().filter(|r| axes.series(r) == *name).collect();
        let mut bounds: Vec<(i64, usize)> = rows
            .iter()
            .filter_map(|r| Some((axes.x(r)?, r.bound?.1)))
            .filter(|&(_, b)| b >= 1)
            .collect();
        bounds.sort();
        area.draw(&PathElement::new(
            bounds.into_iter().map(|(x, b)| pixel(x, b, shift)).collect::<Vec<_>>(),
            colour.stroke_width(2),
        ))?;
        for row in rows {
            let (Some(x), Some(rank)) = (axes.x(row), row.rank.filter(|&r| r >= 1)) else {
                continue;
            };
            // Filled: the rank is exact (fixed cores, or a generic rank that meets the cut bound);
            // hollow: only a lower bound on the generic rank.
            let style = if row.certified == Some(false) {
                colour.stroke_width(2)
            } else {
                colour.filled()
            };
            area.draw(&Circle::new(pixel(x, rank, shift), 4, style))?;
            if !row.as_expected() {
                area.draw(&Cross::new(pixel(x, rank, shift), 7, BLACK.stroke_width(2)))?;
            }
        }
    }
    Ok(())
}

/// The legend's height: the key, then a line per series.
fn legend_height(series: usize) -> u32 {
    LEGEND_KEY_HEIGHT + 20 * series as u32 + 20
}

fn draw_legend(area: &DrawingArea<SVGBackend, plotters::coord::Shift>, series: &[String]) -> DrawResult {
    let text = |line: &str, y: i32| Text::new(line.to_string(), (44, y - 7), (FONT, 14).into_font());
    let mut y = 40;
    let grey = BLACK.mix(0.6);
    let key: [(&str, ShapeStyle, bool); 3] = [
        ("rank, exact", grey.filled(), false),
        ("rank, lower bound (< cut bound)", grey.stroke_width(2), false),
        ("not as expected", BLACK.stroke_width(2), true),
    ];
    for (label, style, cross) in key {
        if cross {
            area.draw(&Cross::new((26, y), 7, style))?;
        } else {
            area.draw(&Circle::new((26, y), 4, style))?;
        }
        area.draw(&text(label, y))?;
        y += 22;
    }
    area.draw(&PathElement::new(vec![(14, y), (38, y)], grey.stroke_width(2)))?;
    area.draw(&text("the claim's bound", y))?;
    y = LEGEND_KEY_HEIGHT as i32;
    for name in series {
        let colour = colour(series, name);
        area.draw(&PathElement::new(vec![(14, y), (38, y)], colour.stroke_width(2)))?;
        area.draw(&Circle::new((26, y), 4, colour.filled()))?;
        area.draw(&text(if name.is_empty() { "rank" } else { name }, y))?;
        y += 20;
    }
    Ok(())
}

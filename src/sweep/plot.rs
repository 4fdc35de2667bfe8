//! A sweep's plot (`figure`) as SVG (plotters): the panels in a grid, the legend outside them
//! on the right, the key to the markers and lines first, then a line per series. The SVG has a
//! fixed size and names fonts only by family, so the same rows give the same bytes on every
//! machine.

use super::figure::{figure, style, Figure, Key, Mark, Panel, Shape, COLOURS};
use super::Sweep;
use plotters::coord::ranged1d::SegmentValue;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

const PANEL: (u32, u32) = (520, 380);
const LEGEND_WIDTH: u32 = 300;
const TITLE_HEIGHT: u32 = 48;
const FONT: &str = "sans-serif";
/// The legend's lines: the first's height, and the spacing of the key and of the series.
const LEGEND_TOP: i32 = 40;
const KEY_LINE: i32 = 22;
const SERIES_LINE: i32 = 20;

/// Why the plot could not be drawn (plotters' layout or backend error, in words).
#[derive(Debug, thiserror::Error)]
#[error("could not draw the plot: {0}")]
pub struct PlotError(String);

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// The plot, or `None` when no row has a rank and a bound to plot.
pub fn to_svg(sweep: &Sweep) -> Result<Option<String>, PlotError> {
    let Some(figure) = figure(sweep) else {
        return Ok(None);
    };
    let mut svg = String::new();
    draw(&mut svg, &figure).map_err(|e| PlotError(e.to_string()))?;
    Ok(Some(svg))
}

fn draw(svg: &mut String, figure: &Figure) -> DrawResult {
    let columns = figure.columns;
    let rows = figure.panels.len().div_ceil(columns);
    let width = PANEL.0 * columns as u32 + LEGEND_WIDTH;
    let height = TITLE_HEIGHT + (PANEL.1 * rows as u32).max(legend_height(figure));
    let root = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = root.titled(&figure.title, (FONT, 20))?;
    let (plots, legend) = body.split_horizontally(PANEL.0 * columns as u32);
    for (area, panel) in plots.split_evenly((rows, columns)).iter().zip(&figure.panels) {
        draw_panel(area, &figure.x, panel)?;
    }
    draw_legend(&legend, figure)?;
    root.present()?;
    Ok(())
}

fn colour(series: usize) -> RGBColor {
    let (r, g, b) = COLOURS[style(series).0];
    RGBColor(r, g, b)
}

/// A marker of `shape` at `(x, y)`, filled or drawn as an outline.
fn marker(area: &Area, shape: Shape, (x, y): (i32, i32), filled: bool, colour: RGBColor) -> DrawResult {
    let style = if filled {
        colour.filled()
    } else {
        colour.stroke_width(2)
    };
    let corners: Vec<(i32, i32)> = match shape {
        Shape::Circle => {
            area.draw(&Circle::new((x, y), 4, style))?;
            return Ok(());
        }
        Shape::Square => vec![(x - 4, y - 4), (x + 4, y - 4), (x + 4, y + 4), (x - 4, y + 4)],
        Shape::Triangle => vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)],
    };
    if filled {
        area.draw(&Polygon::new(corners, style))?;
    } else {
        let mut closed = corners.clone();
        closed.push(corners[0]);
        area.draw(&PathElement::new(closed, style))?;
    }
    Ok(())
}

/// The verdict's mark over a marker: a ring for an expected failure, a cross for a verdict
/// not as expected.
fn draw_mark(area: &Area, mark: Mark, centre: (i32, i32)) -> DrawResult {
    match mark {
        Mark::ExpectedFailure => area.draw(&Circle::new(centre, 8, BLACK.stroke_width(1)))?,
        Mark::NotAsExpected => area.draw(&Cross::new(centre, 7, BLACK.stroke_width(2)))?,
    }
    Ok(())
}

fn draw_panel(area: &Area, x_name: &str, panel: &Panel) -> DrawResult {
    let (Some(&x_min), Some(&x_max)) = (panel.xs.first(), panel.xs.last()) else {
        return Ok(());
    };
    let y_max = panel.largest * 2.0;
    let mut chart = ChartBuilder::on(area)
        .caption(panel.caption(panel.relation.symbol()), (FONT, 15))
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
        .x_desc(x_name)
        .y_desc("rank (log scale)")
        .x_label_formatter(&x_label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_labels(panel.xs.len().min(20))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 13))
        .draw()?;
    // Series are drawn in pixels, each shifted sideways by a few pixels of its own, so that
    // series with equal values stay visible side by side rather than hidden under each other.
    let (base_x, base_y) = area.get_base_pixel();
    let pixel = |x: i64, y: f64, shift: i32| {
        let (px, py) = chart.backend_coord(&(SegmentValue::CenterOf(x), y));
        (px - base_x + shift, py - base_y)
    };
    let gap = panel
        .xs
        .windows(2)
        .map(|w| pixel(w[1], 1.0, 0).0 - pixel(w[0], 1.0, 0).0)
        .min()
        .unwrap_or(PANEL.0 as i32 / 2);
    let count = panel.lines.len() as i32;
    let spacing = (gap / (count + 1)).clamp(0, 6);
    for (position, line) in panel.lines.iter().enumerate() {
        let colour = colour(line.series);
        let shift = spacing * (2 * position as i32 + 1 - count) / 2;
        area.draw(&PathElement::new(
            line.bound
                .iter()
                .map(|&(x, b)| pixel(x, b as f64, shift))
                .collect::<Vec<_>>(),
            colour.stroke_width(2),
        ))?;
        area.draw(&DashedPathElement::new(
            line.cut
                .iter()
                .map(|&(x, c)| pixel(x, c as f64, shift))
                .collect::<Vec<_>>(),
            5,
            4,
            colour.stroke_width(1),
        ))?;
        for point in &line.points {
            let centre = pixel(point.x, point.rank as f64, shift);
            marker(area, style(line.series).1, centre, point.evidence.filled(), colour)?;
            if let Some(mark) = point.mark {
                draw_mark(area, mark, centre)?;
            }
        }
    }
    Ok(())
}

/// The legend's height: the key, a gap, then a line per series.
fn legend_height(figure: &Figure) -> u32 {
    (LEGEND_TOP + KEY_LINE * figure.key.len() as i32 + SERIES_LINE * (figure.series.len() as i32 + 1)) as u32
}

fn draw_legend(area: &Area, figure: &Figure) -> DrawResult {
    let text = |line: &str, y: i32| Text::new(line.to_string(), (44, y - 7), (FONT, 14).into_font());
    let grey = RGBColor(0x55, 0x55, 0x55);
    let mut y = LEGEND_TOP;
    for &key in &figure.key {
        match key {
            Key::Rank(evidence) => marker(area, Shape::Circle, (26, y), evidence.filled(), grey)?,
            Key::Bound => area.draw(&PathElement::new(vec![(14, y), (38, y)], grey.stroke_width(2)))?,
            Key::Cut => area.draw(&DashedPathElement::new(
                vec![(14, y), (38, y)],
                5,
                4,
                grey.stroke_width(1),
            ))?,
            Key::Mark(mark) => {
                marker(area, Shape::Circle, (26, y), true, grey)?;
                draw_mark(area, mark, (26, y))?;
            }
        }
        area.draw(&text(key.label(), y))?;
        y += KEY_LINE;
    }
    y += SERIES_LINE;
    for (k, name) in figure.series.iter().enumerate() {
        let colour = colour(k);
        area.draw(&PathElement::new(vec![(14, y), (38, y)], colour.stroke_width(2)))?;
        marker(area, style(k).1, (26, y), true, colour)?;
        area.draw(&text(if name.is_empty() { "rank" } else { name }, y))?;
        y += SERIES_LINE;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::figure::samples;
    use super::*;

    fn svg(sweep: &Sweep) -> String {
        to_svg(sweep).ok().flatten().expect("rank rows")
    }

    /// The legend outside the panel has the key to what `samples::mixed` shows (the evidence
    /// certified mod p, the cut bound, the expected failure and the verdict not as expected)
    /// and a line per series; the same rows give the same bytes, with fonts named by family.
    #[test]
    fn the_svg_has_the_key_to_what_it_shows() {
        let text = svg(&samples::mixed());
        for label in [
            "rank certified mod p (= cut bound)",
            "rank mod p &lt; cut bound (lower bound)",
            "the claim&apos;s bound",
            "cut bound (generic rank &lt;=)",
            "fails, as expected",
            "not as expected",
            "n = 2",
            "n = 3",
            "claim 1 matricization-rank: rank X^((1,3),(2,4)) &gt;= bound, d = 4",
        ] {
            assert!(text.contains(label), "{label} in:\n{text}");
        }
        assert!(!text.contains("rank, exact over Q"), "no exact rank in these rows");
        assert_eq!(text, svg(&samples::mixed()));
        assert!(text.contains("font-family=\"sans-serif\""), "{text}");
        // Twenty series: each in the legend.
        let text = svg(&samples::twenty());
        assert!((1..=20).all(|s| text.contains(&format!("\ns = {s}\n"))), "{text}");
    }
}

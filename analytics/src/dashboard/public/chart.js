import { formatValue, periodLabel, periodRange, zonedLabel } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 260;
const PAD = { top: 16, right: 16, bottom: 30, left: 56 };

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Which layer answered each point: the API's `layers` are contiguous spans, so a point lies in
 * one span (batch or speed) or straddles B (both). No spans: the speed layer alone answered.
 */
export function layerOfPoints(result) {
  const spans = (result.layers ?? []).map((s) => ({ from: Date.parse(s.from), to: Date.parse(s.to), layer: s.layer }));
  return result.series.map((point) => {
    if (spans.length === 0) return 'speed';
    const start = Date.parse(point.start);
    const end = Date.parse(point.end);
    const seen = new Set(spans.filter((s) => s.from < end && s.to > start).map((s) => s.layer));
    if (seen.size === 2) return 'mixed';
    return seen.values().next().value ?? 'speed';
  });
}

/** A round tick step for about four gridlines: 1, 2 or 5 times a power of ten (at least 1 unit). */
function tickStep(max, minStep) {
  const rough = Math.max(max / 4, minStep);
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return Math.max(m * power, minStep);
  return 10 * power;
}

const LAYER_NAME = { batch: 'batch views', speed: 'speed layer', mixed: 'batch and speed' };

/**
 * Draws `result` (a /v1/query answer) as an inline SVG bar chart into `container`: one bar per
 * period, coloured by the layer that served it, and a dashed line at the batch watermark B when
 * B falls inside the range. Redrawn from scratch on every update; a few hundred nodes at most.
 */
export function renderChart(container, result, label) {
  const width = Math.max(320, Math.floor(container.clientWidth || 800));
  const layers = layerOfPoints(result);
  const values = result.series.map((p) => p.value);
  // Counts are whole; sums step by at least one major unit (100 cents).
  const step = tickStep(Math.max(0, ...values), result.decimals ? 10 ** result.decimals : 1);
  const top = Math.max(step, Math.ceil(Math.max(0, ...values) / step) * step);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = Math.max(1, result.series.length);
  const band = plotW / n;
  const gap = band > 6 ? Math.min(4, band * 0.2) : 0;
  const y = (v) => PAD.top + plotH - (Math.max(0, v) / top) * plotH;
  const total = formatValue(result.total.value, result.decimals);

  const svg = el('svg', {
    width,
    height: HEIGHT,
    viewBox: `0 0 ${width} ${HEIGHT}`,
    role: 'img',
    'aria-labelledby': 'chart-svg-title',
    class: 'chart-svg',
  });
  svg.append(el('title', { id: 'chart-svg-title' }, `${label}: ${total} in ${n} ${result.granularity === 'day' ? 'days' : `${result.granularity}s`}, ${result.timeZone}`));

  const defs = el('defs');
  const hatch = el('pattern', { id: 'hatch-mixed', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  hatch.append(el('rect', { width: 6, height: 6, class: 'hatch-bg' }), el('rect', { width: 3, height: 6, class: 'hatch-fg' }));
  defs.append(hatch);
  svg.append(defs);

  for (let v = 0; v <= top; v += step) {
    const gy = y(v);
    svg.append(el('line', { x1: PAD.left, x2: width - PAD.right, y1: gy, y2: gy, class: v === 0 ? 'axis' : 'grid' }));
    svg.append(el('text', { x: PAD.left - 8, y: gy + 4, class: 'tick', 'text-anchor': 'end' }, formatValue(v, result.decimals)));
  }

  // Faint bands behind the bars: which layer served which stretch, visible even where bars are zero.
  for (const span of result.layers ?? []) {
    const x1 = xOf(result, Date.parse(span.from), band, 'start');
    const x2 = xOf(result, Date.parse(span.to), band, 'end');
    if (x1 === null || x2 === null || x2 <= x1) continue;
    svg.append(el('rect', { x: (PAD.left + x1).toFixed(2), y: PAD.top, width: (x2 - x1).toFixed(2), height: plotH, class: `region ${span.layer}` }));
  }

  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 70))));
  const bars = el('g', { class: 'bars' });
  result.series.forEach((point, i) => {
    const x = PAD.left + i * band + gap / 2;
    const barY = y(point.value);
    const bar = el('rect', {
      x: x.toFixed(2),
      y: barY.toFixed(2),
      width: Math.max(1, band - gap).toFixed(2),
      height: Math.max(0, PAD.top + plotH - barY).toFixed(2),
      class: `bar ${layers[i]}`,
      'data-value': point.value,
    });
    if (layers[i] === 'mixed') bar.setAttribute('fill', 'url(#hatch-mixed)');
    bar.append(el('title', {}, `${periodRange(point.start, point.end, result.granularity)}: ${formatValue(point.value, result.decimals)} (${LAYER_NAME[layers[i]]})`));
    bars.append(bar);
    if (i % every === 0) {
      svg.append(el('text', { x: (PAD.left + i * band + band / 2).toFixed(2), y: HEIGHT - 10, class: 'tick', 'text-anchor': 'middle' }, periodLabel(point.start, result.granularity)));
    }
  });
  svg.append(bars);

  const boundary = boundaryX(result, band);
  if (boundary !== null) {
    const bx = PAD.left + boundary;
    svg.append(el('line', { x1: bx, x2: bx, y1: PAD.top - 4, y2: PAD.top + plotH, class: 'boundary' }));
    const anchorEnd = bx > width - 90;
    svg.append(el('text', { x: anchorEnd ? bx - 4 : bx + 4, y: PAD.top + 8, class: 'boundary-label', 'text-anchor': anchorEnd ? 'end' : 'start' }, 'B'));
  }

  container.replaceChildren(svg);
  return { layers, boundaryShown: boundary !== null };
}

/**
 * The x offset of instant `t` in the plot, interpolated within the period that holds it; an
 * instant before or after the series clamps to its edge (`start`/`end` say which side a span
 * bound is), or null when `t` is outside and not clamped.
 */
function xOf(result, t, band, clamp) {
  const series = result.series;
  if (series.length === 0) return null;
  if (t <= Date.parse(series[0].start)) return clamp ? 0 : null;
  if (t >= Date.parse(series.at(-1).end)) return clamp ? series.length * band : null;
  const index = series.findIndex((p) => Date.parse(p.start) <= t && t < Date.parse(p.end));
  if (index === -1) return null;
  const start = Date.parse(series[index].start);
  return index * band + ((t - start) / (Date.parse(series[index].end) - start)) * band;
}

/** Where B is drawn, or null when B lies outside the range. */
function boundaryX(result, band) {
  return result.watermark ? xOf(result, Date.parse(result.watermark), band) : null;
}

/** One sentence about B for the legend. */
export function boundaryNote(result) {
  if (result.watermark === undefined) return 'Speed layer only.';
  if (result.watermark === null) return 'No batch views yet: the speed layer served everything.';
  const where = boundaryX(result, 1) === null ? (Date.parse(result.watermark) < Date.parse(result.from) ? ' (before this range)' : ' (after this range)') : '';
  return `B = ${zonedLabel(result.watermark, result.timeZone)}${where}`;
}

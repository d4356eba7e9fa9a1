import { ApiError, getJson } from './api.js';
import { breakdownTotals, DIMENSION_LABELS } from './breakdown.js';
import { boundaryNote, renderChart } from './chart.js';
import { renderDrift } from './drift.js';
import { duration, formatValue, percent, periodRange, zonedLabel } from './format.js';
import { openLiveStream } from './live-stream.js';
import { forgetKey, keyProblem, saveKey, storedKey, takeKeyFromFragment } from './read-key.js';
import { clearRows, fillRows } from './tables.js';

const DAY_MS = 24 * 3_600_000;
const REFRESH_EVERY_MS = 60_000;
const HEADLINES = ['events', 'pageviews', 'unique_users', 'revenue'];
const LABELS = { events: 'Events', pageviews: 'Page views', unique_users: 'Unique users', revenue: 'Revenue' };

/** The three ranges; periods are the tenant's local minutes, hours and days (the API's default zone). */
const RANGES = {
  hour: () => ({ granularity: 'minute' }),
  day: () => ({ granularity: 'hour' }),
  // Today and the 29 local days before it: the API widens `from` to the start of its local day.
  month: () => ({ granularity: 'day', from: new Date(Date.now() - 29 * DAY_MS).toISOString() }),
};

const $ = (id) => document.getElementById(id);
const ui = {
  zone: $('zone'),
  rangeForm: $('range-form'),
  forget: $('forget-key'),
  problem: $('problem'),
  keyPanel: $('key-panel'),
  keyForm: $('key-form'),
  keyInput: $('key-input'),
  dashboard: $('dashboard'),
  cards: [...document.querySelectorAll('.card')],
  chartTitle: $('chart-title'),
  chart: $('chart'),
  chartRows: $('chart-rows'),
  boundaryNote: $('boundary-note'),
  live: $('live'),
  freshEvent: $('fresh-event'),
  freshSpeed: $('fresh-speed'),
  freshBatch: $('fresh-batch'),
  freshLate: $('fresh-late'),
  topPages: $('top-pages'),
  topReferrers: $('top-referrers'),
  breakdownSelect: $('breakdown-select'),
  breakdownDimension: $('breakdown-dimension'),
  breakdownRows: $('breakdown-rows'),
  drift: { summary: $('drift-summary'), rows: $('drift-rows'), flagged: $('drift-flagged'), flaggedDetails: $('drift-flagged-details') },
};

const state = {
  key: null,
  range: 'day',
  params: null,
  chartMetric: 'events',
  results: {},
  /** Bumped on every range change or sign-out: answers of an older generation are dropped. */
  generation: 0,
  stream: null,
  loading: null,
  loadAgain: false,
  retryTimer: null,
  retryMs: 2000,
  lastEvents: null,
  freshness: null,
  freshnessAt: 0,
};

// ── Key ──────────────────────────────────────────────────────────────────────

function showKeyPanel(message) {
  stopAll();
  ui.dashboard.hidden = true;
  ui.rangeForm.hidden = true;
  ui.forget.hidden = true;
  ui.zone.hidden = true;
  ui.keyPanel.hidden = false;
  if (message) showProblem(message);
  else hideProblem();
  ui.keyInput.value = '';
  ui.keyInput.focus();
}

function rejectKey() {
  forgetKey(sessionStorage);
  state.key = null;
  showKeyPanel('This read key was not accepted: it is unknown, revoked, or not a read key. Paste another read key (rk_…).');
}

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const key = ui.keyInput.value.trim();
  const problem = keyProblem(key);
  if (problem) {
    showProblem(problem);
    ui.keyInput.setAttribute('aria-invalid', 'true');
    ui.keyInput.focus();
    return;
  }
  ui.keyInput.removeAttribute('aria-invalid');
  saveKey(sessionStorage, key);
  open(key);
});

ui.forget.addEventListener('click', () => {
  forgetKey(sessionStorage);
  state.key = null;
  showKeyPanel();
});

// ── Problems ─────────────────────────────────────────────────────────────────

function showProblem(message, tone = 'error') {
  ui.problem.textContent = message;
  ui.problem.dataset.tone = tone;
  ui.problem.hidden = false;
}

function hideProblem() {
  ui.problem.hidden = true;
  ui.problem.textContent = '';
}

// ── Loading ──────────────────────────────────────────────────────────────────

function open(key) {
  state.key = key;
  ui.keyPanel.hidden = true;
  ui.dashboard.hidden = false;
  ui.rangeForm.hidden = false;
  ui.forget.hidden = false;
  hideProblem();
  changeRange(state.range);
}

function changeRange(range) {
  stopAll();
  state.range = range;
  state.params = RANGES[range]();
  state.generation++;
  state.results = {};
  state.lastEvents = null;
  state.loadAgain = false;
  for (const metric of HEADLINES) $(`value-${metric}`).textContent = '…';
  ui.live.textContent = 'Loading…';
  ui.live.dataset.state = 'loading';
  void load().then((ok) => {
    if (ok) startStream();
  });
}

function stopAll() {
  state.stream?.close();
  state.stream = null;
  clearTimeout(state.retryTimer);
  state.retryTimer = null;
}

/**
 * Loads every panel for the current range; resolves true when the range can be shown (then
 * the live stream is worth opening). Concurrent calls coalesce into one more run afterwards.
 */
async function load() {
  const generation = state.generation;
  if (state.loading?.generation === generation) {
    state.loadAgain = true;
    return state.loading.promise;
  }
  const promise = loadOnce(generation);
  state.loading = { generation, promise };
  try {
    return await promise;
  } finally {
    if (state.loading?.promise === promise) {
      state.loading = null;
      if (state.loadAgain) {
        state.loadAgain = false;
        void load();
      }
    }
  }
}

async function loadOnce(generation) {
  const { key, params } = state;
  const [breakdownMetric, dimension] = ui.breakdownSelect.value.split('|');
  const query = (extra) => getJson('/v1/query', { ...params, ...extra }, key);
  const tasks = {
    ...Object.fromEntries(HEADLINES.map((metric) => [metric, query({ metric })])),
    top_pages: query({ metric: 'top_pages' }),
    top_referrers: query({ metric: 'top_referrers' }),
    breakdown: query({ metric: breakdownMetric, breakdown: dimension, limit: 10 }),
    drift: getJson('/v1/reconciliation', {}, key),
  };
  const names = Object.keys(tasks);
  const settled = await Promise.allSettled(Object.values(tasks));
  if (generation !== state.generation) return false;
  const failures = [];
  settled.forEach((outcome, i) => {
    const name = names[i];
    if (outcome.status === 'fulfilled') state.results[name] = outcome.value;
    else {
      const reason = outcome.reason instanceof ApiError ? outcome.reason : new ApiError('server', `Unexpected answer: ${outcome.reason?.message ?? outcome.reason}`);
      // During an outage the last answers stay on screen; anything else is cleared.
      if (!reason.retryable) delete state.results[name];
      failures.push(reason);
    }
  });
  if (failures.some((e) => e.kind === 'auth')) {
    rejectKey();
    return false;
  }
  renderAll();
  if (failures.length === 0) {
    hideProblem();
    state.retryMs = 2000;
    return true;
  }
  // The most telling failure: a period no layer holds, then a bad request, then an outage.
  const order = ['not-covered', 'bad-request', 'server', 'network'];
  const worst = [...failures].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0];
  if (worst.retryable) {
    const wait = state.retryMs;
    state.retryMs = Math.min(state.retryMs * 2, 30_000);
    showProblem(`${worst.message} Retrying in ${Math.round(wait / 1000)} s…`, 'warning');
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(() => {
      state.retryTimer = null;
      void load().then((ok) => {
        if (ok && !state.stream) startStream();
      });
    }, wait);
  } else {
    showProblem(worst.message);
  }
  ui.live.textContent = worst.kind === 'not-covered' ? 'Live updates paused for this range' : 'Not live';
  ui.live.dataset.state = 'stopped';
  return false;
}

// ── Live ─────────────────────────────────────────────────────────────────────

/**
 * One stream, of `events` over the current range: every human event counts there, so a change
 * of its total or of the last event time is the signal to reload the other panels.
 */
function startStream() {
  const generation = state.generation;
  state.stream = openLiveStream({
    key: state.key,
    params: { ...state.params, metric: 'events' },
    onUpdate: (result) => {
      if (generation !== state.generation) return;
      state.results.events = result;
      renderHeadline('events');
      if (state.chartMetric === 'events') renderChartPanel();
      renderFreshness(result);
      const signature = `${result.total.value}|${result.freshness.lastEventTime}`;
      if (state.lastEvents !== null && signature !== state.lastEvents) void load();
      state.lastEvents = signature;
    },
    onState: ({ state: streamState, error, retryInMs }) => {
      if (generation !== state.generation) return;
      ui.live.dataset.state = streamState;
      if (streamState === 'live') {
        ui.live.textContent = `Live · updated ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })}`;
        if (ui.problem.dataset.tone === 'warning') hideProblem();
      } else if (streamState === 'retrying') {
        ui.live.textContent = `Reconnecting in ${Math.round(retryInMs / 1000)} s…`;
        if (error?.kind === 'network') showProblem(`${error.message} Retrying…`, 'warning');
      } else if (error?.kind === 'auth') {
        rejectKey();
      } else {
        ui.live.textContent = 'Not live';
        if (error) showProblem(error.message);
      }
    },
  });
}

// ── Rendering ────────────────────────────────────────────────────────────────

function renderAll() {
  for (const metric of HEADLINES) renderHeadline(metric);
  renderChartPanel();
  const any = state.results.events ?? state.results.pageviews;
  if (any) {
    renderFreshness(any);
    ui.zone.textContent = `Times in ${any.timeZone}`;
    ui.zone.hidden = false;
  }
  renderTop(ui.topPages, state.results.top_pages, 'No page views in this range.');
  renderTop(ui.topReferrers, state.results.top_referrers, 'No referrers in this range.');
  renderBreakdown();
  if (state.results.drift) renderDrift(ui.drift, state.results.drift);
  else clearRows(ui.drift.rows);
}

function renderHeadline(metric) {
  const result = state.results[metric];
  $(`value-${metric}`).textContent = result ? formatValue(result.total.value, result.decimals) : '—';
}

function renderChartPanel() {
  const metric = state.chartMetric;
  const result = state.results[metric];
  ui.chartTitle.textContent = LABELS[metric];
  if (!result) {
    ui.chart.replaceChildren();
    clearRows(ui.chartRows);
    ui.boundaryNote.textContent = '';
    return;
  }
  const { layers } = renderChart(ui.chart, result, LABELS[metric]);
  ui.boundaryNote.textContent = boundaryNote(result);
  fillRows(
    ui.chartRows,
    result.series.map((point, i) => [
      periodRange(point.start, point.end, result.granularity),
      { text: formatValue(point.value, result.decimals), className: 'num' },
      layers[i] === 'mixed' ? 'both' : layers[i],
    ]),
    'No periods.',
  );
}

function renderTop(tbody, result, emptyText) {
  if (!result) return clearRows(tbody);
  fillRows(
    tbody,
    (result.total.top ?? []).map((t) => [t.item, { text: formatValue(t.count), className: 'num' }]),
    emptyText,
  );
}

function renderBreakdown() {
  const result = state.results.breakdown;
  const [metric, dimension] = ui.breakdownSelect.value.split('|');
  ui.breakdownDimension.textContent = DIMENSION_LABELS[dimension] ?? dimension;
  if (!result) return clearRows(ui.breakdownRows);
  const rows = breakdownTotals(result);
  fillRows(
    ui.breakdownRows,
    rows.map((r) => [
      r.value,
      { text: formatValue(r.total, result.decimals), className: 'num' },
      { text: percent(r.total, result.total.value), className: 'num' },
    ]),
    `No ${LABELS[metric]?.toLowerCase() ?? metric} with a ${(DIMENSION_LABELS[dimension] ?? dimension).toLowerCase()} in this range.`,
  );
}

function renderFreshness(result) {
  state.freshness = { ...result.freshness, watermark: result.watermark, batchLagMs: result.lagMs, timeZone: result.timeZone };
  state.freshnessAt = Date.now();
  tickFreshness();
}

/** Ages count up every second between updates, from the last answer and the time it came. */
function tickFreshness() {
  const f = state.freshness;
  if (!f) return;
  const since = Date.now() - state.freshnessAt;
  ui.freshEvent.textContent = f.lastEventTime
    ? `${duration(Math.max(0, Date.now() - Date.parse(f.lastEventTime)))} ago (${zonedLabel(f.lastEventTime, f.timeZone)})`
    : 'No events yet';
  ui.freshSpeed.textContent = f.lagMs === null ? 'Nothing received yet' : `Last event received ${duration(f.lagMs + since)} ago`;
  ui.freshBatch.textContent =
    f.watermark === undefined
      ? 'Not used'
      : f.watermark === null
        ? 'No batch views yet'
        : `Up to B = ${zonedLabel(f.watermark, f.timeZone)} · lag ${duration((f.batchLagMs ?? 0) + since)}`;
  ui.freshLate.textContent = `${formatValue(f.late)} late · ${formatValue(f.rejected)} rejected`;
}

// ── Controls ─────────────────────────────────────────────────────────────────

ui.rangeForm.addEventListener('change', (event) => {
  if (event.target.name === 'range') changeRange(event.target.value);
});
ui.rangeForm.addEventListener('submit', (event) => event.preventDefault());

for (const card of ui.cards) {
  card.addEventListener('click', () => {
    state.chartMetric = card.dataset.metric;
    for (const c of ui.cards) c.setAttribute('aria-pressed', String(c === card));
    renderChartPanel();
  });
}

ui.breakdownSelect.addEventListener('change', () => {
  delete state.results.breakdown;
  renderBreakdown();
  void load();
});

new ResizeObserver(() => {
  if (!ui.dashboard.hidden) renderChartPanel();
}).observe(ui.chart);

setInterval(tickFreshness, 1000);
// Slides the windows of the panels the stream does not carry, and picks up a moved B.
setInterval(() => {
  if (state.key && !state.retryTimer && document.visibilityState === 'visible') void load();
}, REFRESH_EVERY_MS);

// ── Start ────────────────────────────────────────────────────────────────────

takeKeyFromFragment(window.location, window.history, sessionStorage);
const initial = storedKey(sessionStorage);
const initialRange = document.querySelector('input[name="range"]:checked')?.value ?? 'day';
state.range = initialRange;
if (initial) {
  const problem = keyProblem(initial);
  if (problem) {
    forgetKey(sessionStorage);
    showKeyPanel(problem);
  } else open(initial);
} else {
  showKeyPanel();
}

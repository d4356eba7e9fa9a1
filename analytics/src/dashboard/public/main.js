import { ApiError, getJson } from './api.js';
import { breakdownTotals, DIMENSION_LABELS } from './breakdown.js';
import { boundaryNote, renderChart } from './chart.js';
import { renderDrift } from './drift.js';
import { formatValue, percent, periodRange } from './format.js';
import { BREAKDOWN_METRICS, defaultCustom, deltaText, formatMetric, freshnessOf, freshnessTexts, HEADLINES, LABELS, panelFilters, panelParams, rangeParams } from './panels.js';
import { handoverAnswers, handoverFits, readHandover } from './handover.js';
import { openLiveStream } from './live-stream.js';
import { forgetKey, forgetKeyForServer, isShareKey, keepKeyForServer, keyFromCookie, keyProblem, saveKey, storedKey, takeKeyFromFragment } from './read-key.js';
import { clearRows, fillRows } from './tables.js';
import { downloadCsv } from './csv-download.js';
import { readViewState, writeViewState } from './view-state.js';
import { createProductPanels } from './product-panels.js';
import { productSpan } from './product-range.js';

const REFRESH_EVERY_MS = 60_000;
const REALTIME_EVERY_MS = 10_000;
/** Every panel a load asks for. */
const PANELS = [...HEADLINES, 'top_pages', 'top_referrers', 'breakdown', 'drift'];

const $ = (id) => document.getElementById(id);
const ui = {
  zone: $('zone'),
  rangeForm: $('range-form'),
  forget: $('forget-key'),
  sharedNote: $('shared-note'),
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
  customRange: $('custom-range'),
  rangeFrom: $('range-from'),
  rangeTo: $('range-to'),
  compare: $('compare'),
  filters: $('filters'),
  filterChips: $('filter-chips'),
  filterNote: $('filter-note'),
  filterClear: $('filter-clear'),
  realtime: $('realtime'),
  realtimeValue: $('realtime-value'),
};

/** The server painted this view's numbers (the page was asked with the key cookie): keep them until answers come. */
let paintedByServer = document.body.dataset.painted === 'server';
/** When the server asked the answers it handed over (the freshness ages count from then, not from the script's start). */
const answeredAt = new WeakMap();
/** What the stream's updates are compared by: a change of the events total or of the last event time. */
const eventsSignature = (result) => `${result.total.value}|${result.freshness.lastEventTime}`;

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
  custom: { from: null, to: null },
  compare: false,
  /** Dimension values (one per dimension, all must hold) every panel that can be cut by them is filtered by. */
  filters: [],
  /** /v1/metrics: each metric's dimensions and their labels. */
  catalogue: null,
  /** The key the catalogue was read with: another key reads its own. */
  catalogueKey: null,
  realtimeTimer: null,
  /** The range, dates, comparison and key the goal, funnel and retention panels last loaded for. */
  productView: null,
};

const dimensionLabel = (name) => state.catalogue?.dimensions.find((d) => d.name === name)?.label ?? DIMENSION_LABELS[name] ?? name;
const filtersFor = (metric, breakdown) => panelFilters(state.catalogue, state.filters, metric, breakdown);
const paramsFor = (metric, extra = {}) => panelParams({ catalogue: state.catalogue, filters: state.filters, compare: state.compare, range: state.params }, metric, extra);

function saveView() {
  writeViewState(window.location, window.history, {
    range: state.range,
    ...state.custom,
    compare: state.compare,
    filters: state.filters,
    metric: state.chartMetric,
    ...product.viewState(),
  });
}

/** A visit's entry and exit pages and a goal are no column of the raw events: those reports cannot be cut by them. */
const NOT_IN_RAW_EVENTS = ['visit.entry_page', 'visit.exit_page', 'goal'];
/** The filters goals, funnel and retention take: they keep the visitors who match. */
const productFilters = () => state.filters.filter((f) => !NOT_IN_RAW_EVENTS.includes(f.dimension));

/** Goals, funnel and retention: raw-event reports, which a share key may not read. */
const product = createProductPanels(
  {
    view: () => ({
      key: state.key,
      span: productSpan(state.range, state.custom),
      filters: productFilters().map((f) => `${f.dimension}:${f.value}`),
      compare: state.compare,
      timeZone: Object.values(state.results).find((r) => r?.timeZone)?.timeZone,
    }),
    onFilter: (filter) => addFilter(filter),
    onAuth: (error) => rejectKey(error),
    onViewChange: () => saveView(),
  },
  readViewState(window.location.search),
);
const productShown = () => state.key !== null && !isShareKey(state.key);

// ── Key ──────────────────────────────────────────────────────────────────────

function showKeyPanel(message) {
  stopAll();
  product.show(false);
  state.productView = null;
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

function rejectKey(error) {
  // Several requests fail at once with a bad key; the first refusal has already said why.
  if (state.key === null) return;
  const shared = isShareKey(state.key);
  forgetKey(sessionStorage);
  forgetKeyForServer(document);
  state.key = null;
  ui.sharedNote.hidden = true;
  const said = error?.details?.serverMessage;
  showKeyPanel(
    shared
      ? `This shared link no longer opens the dashboard${said ? `: ${said}` : ''}. Ask whoever shared it for a new link.`
      : 'This read key was not accepted: it is unknown, revoked, or not a read key. Paste another read key (rk_…).',
  );
}

/** A shared view says so, and until when; the API tells the share key its own expiry. */
async function showSharedNote(key) {
  try {
    const { expiresAt } = await getJson('/v1/share-keys/self', {}, key);
    const when = new Date(expiresAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
    ui.sharedNote.textContent = `Shared view, read-only, expires ${when}`;
    ui.sharedNote.hidden = false;
  } catch (error) {
    if (error?.kind === 'auth') rejectKey(error);
  }
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
  keepKeyForServer(document, key);
  open(key);
});

ui.forget.addEventListener('click', (event) => {
  event.preventDefault();
  forgetKey(sessionStorage);
  forgetKeyForServer(document);
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

/** `handover`: the server's answers for this page (handover.js), when it painted them with this key. */
function open(key, handover = null) {
  state.key = key;
  ui.keyPanel.hidden = true;
  ui.dashboard.hidden = false;
  ui.rangeForm.hidden = false;
  // A shared view has no key of its own to forget: the link is the key.
  ui.forget.hidden = isShareKey(key);
  if (isShareKey(key)) void showSharedNote(key);
  hideProblem();
  if (state.catalogueKey !== key) state.catalogue = null;
  if (handover?.catalogue && !state.catalogue) showCatalogue(handover.catalogue, key);
  void loadCatalogue().then(() => changeRange(state.range, handover));
}

async function loadCatalogue() {
  if (state.catalogue) return;
  const key = state.key;
  try {
    const catalogue = await getJson('/v1/metrics', {}, key);
    // Signed out or in with another key meanwhile: this catalogue is no longer the page's.
    if (state.key === key) showCatalogue(catalogue, key);
  } catch {
    return;
  }
}

/** The catalogue `key` read decides each panel's filters and the breakdowns offered. */
function showCatalogue(catalogue, key) {
  state.catalogue = catalogue;
  state.catalogueKey = key;
  const current = ui.breakdownSelect.value;
  ui.breakdownSelect.replaceChildren(
    ...BREAKDOWN_METRICS.flatMap((metric) =>
      (state.catalogue.metrics.find((m) => m.name === metric)?.breakdowns ?? []).map((dimension) => {
        const option = document.createElement('option');
        option.value = `${metric}|${dimension}`;
        option.textContent = `${LABELS[metric] ?? metric} by ${dimensionLabel(dimension)}`;
        return option;
      }),
    ),
  );
  ui.breakdownSelect.value = current;
}

/**
 * Shows `range` (and the current dates, comparison and filters): asks every panel, or, given the
 * server's `handover` for this very view, starts from its answers and asks only for what it lacks.
 */
function changeRange(range, handover = null) {
  stopAll();
  state.range = range;
  ui.customRange.hidden = range !== 'custom';
  if (range === 'custom' && !(state.custom.from && state.custom.to)) {
    // Until dates are chosen, the last seven local days.
    state.custom = defaultCustom();
  }
  ui.rangeFrom.value = state.custom.from ?? '';
  ui.rangeTo.value = state.custom.to ?? '';
  saveView();
  renderFilter();
  startRealtime();
  product.show(productShown());
  const productView = `${range}|${state.custom.from}|${state.custom.to}|${state.compare}|${state.key}|${JSON.stringify(productFilters())}`;
  const reloadProduct = productShown() && productView !== state.productView;
  state.productView = productShown() ? productView : null;
  const view = { range, custom: state.custom, compare: state.compare, filters: state.filters };
  // Answers for another view, or older than a refresh would have kept them, are asked again.
  const taken = handover && handoverFits(handover, view, Date.now(), REFRESH_EVERY_MS) ? handover : null;
  // The server's parameters: its answers are for its `from` (a month's start moves with the clock).
  state.params = taken ? taken.params : rangeParams(range, state.custom);
  state.generation++;
  state.results = taken ? handoverAnswers(taken, ui.breakdownSelect.value) : {};
  if (taken) for (const result of Object.values(state.results)) answeredAt.set(result, Math.min(Date.now(), Date.parse(taken.asOf)));
  // Then the stream's first update reloads the panels only if the numbers moved since the server asked.
  state.lastEvents = state.results.events ? eventsSignature(state.results.events) : null;
  state.loadAgain = false;
  // The server's numbers for this view stay until the page's own answers replace them.
  if (paintedByServer) paintedByServer = false;
  else for (const metric of HEADLINES) $(`value-${metric}`).textContent = '…';
  ui.live.textContent = 'Loading…';
  ui.live.dataset.state = 'loading';
  if (taken) renderAll();
  const loaded = load(taken ? PANELS.filter((name) => !state.results[name]) : undefined);
  // After the cards: their answers name the tenant's zone, in which these panels label times.
  if (reloadProduct) void product.reload({ after: loaded });
  void loaded.then((ok) => {
    if (ok) startStream();
  });
}

function stopAll() {
  state.stream?.close();
  state.stream = null;
  clearTimeout(state.retryTimer);
  state.retryTimer = null;
  clearInterval(state.realtimeTimer);
  state.realtimeTimer = null;
}

/** Distinct visitors of the last five minutes, from the speed layer's minutes, every ten seconds. */
function startRealtime() {
  const tick = async () => {
    try {
      const result = await getJson('/v1/query', { metric: 'unique_users', granularity: 'minute', from: new Date(Date.now() - 5 * 60_000).toISOString() }, state.key);
      ui.realtimeValue.textContent = formatValue(result.total.value);
      ui.realtime.hidden = false;
    } catch {
      ui.realtimeValue.textContent = '—';
    }
  };
  void tick();
  state.realtimeTimer = setInterval(() => void tick(), REALTIME_EVERY_MS);
}

/**
 * Loads every panel for the current range (or only the panels named in `only`); resolves true
 * when the range can be shown (then the live stream is worth opening). Concurrent calls
 * coalesce into one more run of every panel afterwards.
 */
async function load(only) {
  const generation = state.generation;
  if (state.loading?.generation === generation) {
    state.loadAgain = true;
    return state.loading.promise;
  }
  const promise = loadOnce(generation, only ?? PANELS);
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

async function loadOnce(generation, names) {
  const { key } = state;
  const [breakdownMetric, dimension] = ui.breakdownSelect.value.split('|');
  const query = (metric, extra) => () => getJson('/v1/query', paramsFor(metric, extra), key);
  const asks = {
    ...Object.fromEntries(HEADLINES.map((metric) => [metric, query(metric)])),
    top_pages: query('top_pages'),
    top_referrers: query('top_referrers'),
    breakdown: query(breakdownMetric, { breakdown: dimension, limit: 10 }),
    drift: () => getJson('/v1/reconciliation', {}, key),
  };
  const settled = await Promise.allSettled(names.map((name) => asks[name]()));
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
    rejectKey(failures.find((e) => e.kind === 'auth'));
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
    params: paramsFor('events'),
    onUpdate: (result) => {
      if (generation !== state.generation) return;
      state.results.events = result;
      renderHeadline('events');
      if (state.chartMetric === 'events') renderChartPanel();
      renderFreshness(result);
      const signature = eventsSignature(result);
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
        rejectKey(error);
      } else {
        ui.live.textContent = 'Not live';
        if (error) showProblem(error.message);
      }
    },
  });
}

// ── Rendering ────────────────────────────────────────────────────────────────

function renderAll() {
  renderFilter();
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
  $(`value-${metric}`).textContent = result ? formatMetric(metric, result.total.value, result.decimals) : '—';
  $(`delta-${metric}`).textContent = deltaText(metric, result);
}

function renderFilter() {
  const fs = state.filters;
  ui.filters.hidden = fs.length === 0;
  ui.filterChips.replaceChildren(
    ...fs.map((f) => {
      const chip = document.createElement('li');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'quiet';
      remove.textContent = '×';
      remove.setAttribute('aria-label', `Remove filter ${dimensionLabel(f.dimension)} ${f.value}`);
      remove.addEventListener('click', () => setFilters(state.filters.filter((g) => g !== f)));
      chip.append(`${dimensionLabel(f.dimension)} is “${f.value}” `, remove);
      return chip;
    }),
  );
  if (fs.length === 0) return;
  const panels = [...HEADLINES, 'top_pages', 'top_referrers'];
  const partly = panels.filter((m) => filtersFor(m).length < fs.length).map((m) => LABELS[m] ?? m.replace('_', ' '));
  if (productShown() && productFilters().length < fs.length) partly.push('Goals', 'Funnel', 'Retention');
  const raw = Object.values(state.results).filter((r) => r?.served === 'raw events');
  const through = raw.map((r) => r.freshness.through).filter(Boolean).sort()[0];
  ui.filterNote.textContent = [
    partly.length ? `Not cut by every filter, so shown with fewer or none: ${partly.join(', ')}.` : '',
    raw.length ? `Panels the stored cells cannot cut this way are counted from the raw events${through ? `, through ${new Date(through).toLocaleTimeString()}` : ' (none stored yet)'}.` : '',
  ].filter(Boolean).join(' ');
}

function setFilters(filters) {
  state.filters = filters;
  changeRange(state.range);
}

/** A clicked value adds a filter, replacing only one on the same dimension. */
function addFilter(filter) {
  setFilters([...state.filters.filter((f) => f.dimension !== filter.dimension), filter].slice(-5));
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
  const format = (value) => formatMetric(metric, value, result.decimals);
  ui.boundaryNote.textContent = boundaryNote(result);
  fillRows(
    ui.chartRows,
    result.series.map((point, i) => [
      periodRange(point.start, point.end, result.granularity),
      { text: format(point.value), className: 'num' },
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
  ui.breakdownDimension.textContent = dimensionLabel(dimension);
  if (!result) return clearRows(ui.breakdownRows);
  const rows = breakdownTotals(result);
  fillRows(
    ui.breakdownRows,
    rows.map((r) => [
      { text: r.value, action: () => addFilter({ dimension, value: r.value }), label: `Filter every panel by ${dimensionLabel(dimension)} ${r.value}` },
      { text: formatValue(r.total, result.decimals), className: 'num' },
      { text: percent(r.total, result.total.value), className: 'num' },
    ]),
    `No ${LABELS[metric]?.toLowerCase() ?? metric} with a ${dimensionLabel(dimension).toLowerCase()} in this range.`,
  );
}

function renderFreshness(result) {
  state.freshness = freshnessOf(result);
  state.freshnessAt = answeredAt.get(result) ?? Date.now();
  tickFreshness();
}

/** Ages count up every second between updates, from the last answer and the time it came. */
function tickFreshness() {
  const f = state.freshness;
  if (!f) return;
  const texts = freshnessTexts(f, Date.now() - state.freshnessAt);
  ui.freshEvent.textContent = texts.event;
  ui.freshSpeed.textContent = texts.speed;
  ui.freshBatch.textContent = texts.batch;
  ui.freshLate.textContent = texts.late;
}

// ── Controls ─────────────────────────────────────────────────────────────────

ui.rangeForm.addEventListener('change', (event) => {
  if (event.target.name === 'range') changeRange(event.target.value);
  if (event.target === ui.compare) {
    state.compare = ui.compare.checked;
    changeRange(state.range);
  }
});
ui.rangeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = ui.rangeFrom.value;
  const to = ui.rangeTo.value;
  if (!from || !to || from > to) {
    showProblem('Choose a start date on or before the end date.');
    (from ? ui.rangeTo : ui.rangeFrom).focus();
    return;
  }
  state.custom = { from, to };
  changeRange('custom');
});

ui.filterClear.addEventListener('click', () => setFilters([]));

for (const button of document.querySelectorAll('[data-csv]')) {
  button.addEventListener('click', () => {
    const panel = button.dataset.csv;
    const [metric, dimension] = ui.breakdownSelect.value.split('|');
    const params =
      panel === 'chart' ? paramsFor(state.chartMetric) : panel === 'breakdown' ? paramsFor(metric, { breakdown: dimension, limit: 100 }) : paramsFor(panel);
    downloadCsv(params, state.key).catch((error) => showProblem(error.message));
  });
}

for (const card of ui.cards) {
  card.addEventListener('click', () => {
    state.chartMetric = card.dataset.metric;
    for (const c of ui.cards) c.setAttribute('aria-pressed', String(c === card));
    saveView();
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
  if (state.key && !state.retryTimer && document.visibilityState === 'visible') {
    void load();
    if (productShown()) void product.reload({ quiet: true });
  }
}, REFRESH_EVERY_MS);

// ── Start ────────────────────────────────────────────────────────────────────

takeKeyFromFragment(window.location, window.history, sessionStorage);
// The key the server painted with, if it did (read before this script sets the cookie).
const painterKey = keyFromCookie(document);
const initial = storedKey(sessionStorage) ?? painterKey;
const view = readViewState(window.location.search);
state.range = view.range ?? document.querySelector('input[name="range"]:checked')?.value ?? 'day';
state.custom = { from: view.from, to: view.to };
state.compare = view.compare;
state.filters = view.filters;
if (view.metric && HEADLINES.includes(view.metric)) {
  state.chartMetric = view.metric;
  for (const c of ui.cards) c.setAttribute('aria-pressed', String(c.dataset.metric === view.metric));
}
ui.compare.checked = state.compare;
for (const radio of document.querySelectorAll('input[name="range"]')) radio.checked = radio.value === state.range;
if (initial) {
  const problem = keyProblem(initial);
  if (problem) {
    forgetKey(sessionStorage);
    forgetKeyForServer(document);
    showKeyPanel(problem);
  } else {
    // Every later load of this view comes with its numbers in the HTML.
    keepKeyForServer(document, initial);
    // The server's answers are this key's only if it painted with it (a fragment may bring another key).
    open(initial, paintedByServer && initial === painterKey ? readHandover(document) : null);
  }
} else {
  showKeyPanel();
}

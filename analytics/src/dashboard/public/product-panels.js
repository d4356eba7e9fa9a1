import { getJson, sendJson } from './api.js';
import { createFunnelEditor, renderFunnel } from './funnel-panel.js';
import { stepCondition, stepsFromGoals } from './funnel-steps.js';
import { renderGoals } from './goals-panel.js';
import { createGoalsManager } from './goals-manager.js';
import { previousSpan, spanLabel } from './product-range.js';
import { renderRetention } from './retention-panel.js';
import { clearRows, fillRows } from './tables.js';
import { DEFAULT_WINDOW_MINUTES } from './view-state.js';

const $ = (id) => document.getElementById(id);

/** "Counted from the raw events through Dec 7, 09:12 (3 files)." — what the API says of its answer. */
function freshnessText(freshness, timeZone) {
  if (!freshness.through) return 'Counted from the raw events: none stored for this range yet.';
  const when = new Date(freshness.through).toLocaleString([], { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return `Counted from the raw events through ${when} (${freshness.files} ${freshness.files === 1 ? 'file' : 'files'}); events after that appear once the archiver writes them.`;
}

/**
 * Goals (report and manager), the funnel and the retention cohorts: exact answers from the raw
 * events (`/v1/goals/report`, `/v1/funnels`, `/v1/retention`), cut by the dimension filters they
 * take (the visitors who match). They load when the range, filters or comparison change and
 * every minute, not on every live update: each is a scan of the range's raw files.
 *
 * view(): { key, span, filters ('dimension:value'), compare, timeZone }; onFilter(filter) adds a dimension filter;
 * onAuth(error) hands a refused key back; onViewChange() writes the URL.
 */
export function createProductPanels({ view, onFilter, onAuth, onViewChange }, initial) {
  const ui = {
    sections: [$('goals-panel'), $('funnel-panel'), $('retention-panel')],
    goalsSpan: $('goals-span'),
    goalsRows: $('goals-rows'),
    goalsChangeHead: $('goals-change-head'),
    goalsFresh: $('goals-fresh'),
    goalsStatus: $('goals-status'),
    funnelForm: $('funnel-form'),
    funnelWindow: $('funnel-window'),
    funnelRows: $('funnel-rows'),
    funnelBeforeHead: $('funnel-before-head'),
    funnelFresh: $('funnel-fresh'),
    funnelProblem: $('funnel-problem'),
    retentionPeriod: $('retention-period'),
    retentionHead: $('retention-head'),
    retentionRows: $('retention-rows'),
    retentionFresh: $('retention-fresh'),
  };
  const state = {
    generation: 0,
    steps: initial.steps,
    window: initial.window ?? DEFAULT_WINDOW_MINUTES,
    retention: initial.retention,
    goals: null,
  };
  const editor = createFunnelEditor($('funnel-steps'), $('funnel-add'));
  editor.set(state.steps);
  ui.funnelWindow.value = String(state.window);
  ui.retentionPeriod.value = state.retention;

  const failed = (error, target) => {
    if (error?.kind === 'auth') onAuth(error);
    else fillRows(target, [], error?.message ?? String(error));
  };

  async function loadGoals(generation) {
    const { key, span, filters, compare } = view();
    try {
      const ask = (over) => getJson('/v1/goals/report', { ...over, filter: filters }, key);
      const [report, previous] = await Promise.all([ask(span), compare ? ask(previousSpan(span)) : null]);
      if (generation !== state.generation) return;
      // The tenant's zone, from the cards' answers, which have usually come by now.
      const { timeZone } = view();
      ui.goalsSpan.textContent = `${spanLabel(span, timeZone)}${compare ? `, compared with ${spanLabel(previousSpan(span), timeZone)}` : ''}`;
      state.goals = report.goals.map((row) => row.goal);
      renderGoals({ rows: ui.goalsRows, changeHead: ui.goalsChangeHead }, report, previous, onFilter);
      manager.render(state.goals);
      ui.goalsFresh.textContent = freshnessText(report.freshness, timeZone);
    } catch (error) {
      if (generation === state.generation) failed(error, ui.goalsRows);
    }
  }

  async function loadFunnel(generation) {
    ui.funnelProblem.hidden = true;
    if (state.steps.length < 2) {
      clearRows(ui.funnelRows, 'Give at least two steps, then choose “Show funnel”.');
      ui.funnelFresh.textContent = '';
      return;
    }
    const { key, span, filters, compare } = view();
    const ask = (over) => sendJson('POST', '/v1/funnels', { ...over, steps: state.steps.map(stepCondition), windowMinutes: state.window }, key, { filter: filters });
    try {
      const [answer, previous] = await Promise.all([ask(span), compare ? ask(previousSpan(span)) : null]);
      if (generation !== state.generation) return;
      ui.funnelBeforeHead.hidden = !previous;
      renderFunnel(ui.funnelRows, state.steps, answer, previous);
      ui.funnelFresh.textContent = `Visitors who reached each step within ${state.window} minutes of the first. ${freshnessText(answer.freshness, view().timeZone)}`;
    } catch (error) {
      if (generation === state.generation) failed(error, ui.funnelRows);
    }
  }

  async function loadRetention(generation) {
    const { key, span, filters } = view();
    try {
      const answer = await getJson('/v1/retention', { ...span, period: state.retention, filter: filters }, key);
      if (generation !== state.generation) return;
      renderRetention({ head: ui.retentionHead, rows: ui.retentionRows }, answer, Date.parse(span.to));
      ui.retentionFresh.textContent = freshnessText(answer.freshness, view().timeZone);
    } catch (error) {
      if (generation === state.generation) failed(error, ui.retentionRows);
    }
  }

  /**
   * `quiet`: the minute refresh keeps the numbers on screen until the new ones come.
   * `after`: a promise to wait for first (failed or not).
   */
  async function reload({ quiet = false, after } = {}) {
    const generation = ++state.generation;
    if (!quiet) {
      for (const rows of [ui.goalsRows, ui.funnelRows, ui.retentionRows]) clearRows(rows, 'Loading…');
      for (const note of [ui.goalsFresh, ui.funnelFresh, ui.retentionFresh]) note.textContent = '';
    }
    await Promise.resolve(after).catch(() => undefined);
    if (generation !== state.generation) return;
    await loadGoals(generation);
    // A first funnel from the goals, until steps are given (in the URL or the editor).
    if (state.steps.length === 0 && state.goals && state.goals.length >= 2 && editor.read().length === 0) {
      state.steps = stepsFromGoals(state.goals);
      editor.set(state.steps);
    }
    await Promise.all([loadFunnel(generation), loadRetention(generation)]);
  }

  const manager = createGoalsManager(
    {
      form: $('goal-form'),
      list: $('goal-list'),
      kind: $('goal-kind'),
      match: $('goal-match'),
      matchLabel: $('goal-match-label'),
      matchHelp: $('goal-match-help'),
      name: $('goal-name'),
      propName: $('goal-prop-name'),
      propValue: $('goal-prop-value'),
      problem: $('goal-form-problem'),
    },
    {
      key: () => view().key,
      onChanged: (message) => {
        ui.goalsStatus.textContent = message;
        void loadGoals(state.generation);
      },
      onError: onAuth,
    },
  );

  ui.funnelForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const bad = editor.invalid();
    const minutes = Number(ui.funnelWindow.value);
    const problem = bad
      ? 'A page step is a path starting with /.'
      : editor.read().length < 2
        ? 'Give at least two steps.'
        : !Number.isInteger(minutes) || minutes < 1 || minutes > 10_080
          ? 'The window is 1 to 10080 minutes (a week).'
          : null;
    if (problem) {
      ui.funnelProblem.textContent = problem;
      ui.funnelProblem.hidden = false;
      (bad ?? (editor.read().length < 2 ? null : ui.funnelWindow))?.focus();
      return;
    }
    state.steps = editor.read();
    state.window = minutes;
    onViewChange();
    void loadFunnel(state.generation);
  });

  ui.retentionPeriod.addEventListener('change', () => {
    state.retention = ui.retentionPeriod.value;
    onViewChange();
    void loadRetention(state.generation);
  });

  return {
    reload,
    /** Share keys may not read raw-event reports: a shared view leaves these panels out. */
    show(visible) {
      for (const section of ui.sections) section.hidden = !visible;
      if (!visible) state.generation++;
    },
    viewState: () => ({ steps: state.steps, window: state.window, retention: state.retention }),
  };
}

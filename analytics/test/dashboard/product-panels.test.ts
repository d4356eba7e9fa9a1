import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '@shop/platform/testing';
import { expectAccessible } from '@shop/web/testing';
import { until } from '../speed/until.ts';
import { DAY_MS, startDashboardApp, type DashboardApp } from './dashboard-app.fixture.ts';

const SHOTS = join(import.meta.dirname, '../../../docs/screenshots/analytics-dashboard');
const missing = chromiumMissing('the goal, funnel and retention panels test');
const MINUTE = 60_000;
const WINDOW_MINUTES = 60;
// A UTC tenant: the dates picked in the page are then the UTC days the retention cohorts use.
const TENANT = 'product';

interface SentEvent {
  type: 'page' | 'track';
  messageId: string;
  anonymousId: string;
  timestamp: string;
  event?: string;
  path?: string;
  revenue?: number;
}

type Step = { kind: 'page'; path: string } | { kind: 'event'; event: string };

/** The funnel of ADR-0075 counted over the test's own events, apart from the SQL the API runs. */
function countFunnel(events: SentEvent[], steps: Step[], windowMs: number): number[] {
  const matches = (e: SentEvent, s: Step) => (s.kind === 'page' ? e.type === 'page' && e.path === s.path : e.type === 'track' && e.event === s.event);
  const reached = steps.map(() => 0);
  const visitors = new Set(events.map((e) => e.anonymousId));
  for (const visitor of visitors) {
    const own = events.filter((e) => e.anonymousId === visitor).map((e) => ({ ...e, t: Date.parse(e.timestamp) }));
    const entries = own.filter((e) => matches(e, steps[0]!)).map((e) => e.t);
    if (entries.length === 0) continue;
    const t0 = Math.min(...entries);
    let t = t0;
    reached[0]!++;
    for (let i = 1; i < steps.length; i++) {
      const next = own.filter((e) => matches(e, steps[i]!) && e.t > t && e.t <= t0 + windowMs).map((e) => e.t);
      if (next.length === 0) break;
      t = Math.min(...next);
      reached[i]!++;
    }
  }
  return reached;
}

/** Daily cohorts by the UTC day each visitor is first seen, and who of them is seen on each later day. */
function countRetention(events: SentEvent[]): Array<{ start: string; returning: number[] }> {
  const days = new Map<string, Set<string>>();
  for (const e of events) {
    const day = e.timestamp.slice(0, 10);
    if (!days.has(e.anonymousId)) days.set(e.anonymousId, new Set());
    days.get(e.anonymousId)!.add(day);
  }
  const cohorts = new Map<string, Array<Set<string>>>();
  for (const [visitor, seen] of days) {
    const sorted = [...seen].sort();
    const start = sorted[0]!;
    const periods = cohorts.get(start) ?? [];
    for (const day of sorted) {
      const k = (Date.parse(day) - Date.parse(start)) / DAY_MS;
      while (periods.length <= k) periods.push(new Set());
      periods[k]!.add(visitor);
    }
    cohorts.set(start, periods);
  }
  return [...cohorts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([start, periods]) => ({ start, returning: periods.map((p) => p.size) }));
}

/** Waits until the element's text is `expected`; a hang guard, not a time bound. */
async function waitText(page: Page, selector: string, expected: string | RegExp) {
  const matches = (text: string) => (typeof expected === 'string' ? text === expected : expected.test(text));
  let seen = '';
  await until(`${selector} to read ${String(expected)}`, async () => {
    const locator = page.locator(selector).first();
    seen = (await locator.count()) ? ((await locator.textContent()) ?? '').trim() : '(no element)';
    return matches(seen);
  }).catch(() => {
    throw new Error(`${selector}: expected ${String(expected)}, saw ${JSON.stringify(seen)}`);
  });
}

function rows(page: Page, tbody: string): Promise<string[][]> {
  return page.$$eval(`${tbody} tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));
}

describe.skipIf(missing !== null)(`goals, funnel and retention on the dashboard in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let d: DashboardApp;
  let browser: Browser;
  let readKey: string;
  const events: SentEvent[] = [];
  const today = new Date().toISOString().slice(0, 10);
  const twoDaysAgo = new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10);
  const span = { from: twoDaysAgo, to: new Date(Date.now() + DAY_MS).toISOString().slice(0, 10) };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${d.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const steps: Step[] = [
    { kind: 'page', path: '/' },
    { kind: 'event', event: 'Signed Up' },
    { kind: 'event', event: 'Order Completed' },
  ];

  /** The dashboard over the three days of the test's events, with the page's uncaught errors collected. */
  const openDashboard = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(`${d.baseUrl}/dashboard?range=custom&from=${twoDaysAgo}&to=${today}#key=${readKey}`);
    return { context, tab, problems };
  };

  beforeAll(async () => {
    d = await startDashboardApp();
    const tenant = await d.app.tenants.createTenant({ id: TENANT, name: 'Product panels test', timeZone: 'UTC' });
    const write = await d.app.tenants.createKey(TENANT, 'write');
    const read = await d.app.tenants.createKey(TENANT, 'read');
    if (!tenant.ok || !write.ok || !read.ok) throw new Error('product panels test setup failed');
    readKey = read.value.plainKey;

    // Three UTC days: a1-a3 first seen two days ago, a4 yesterday, a5 today; a1 and a2 come back.
    const at = (day: number, minutes: number) => new Date(Date.parse(`${new Date(Date.now() - day * DAY_MS).toISOString().slice(0, 10)}T10:00:00Z`) + minutes * MINUTE).toISOString();
    // Today's events a minute ago (or at today's first second, just after midnight): in the past, and today.
    const now = new Date(Math.max(Date.parse(`${today}T00:00:01Z`), Date.now() - MINUTE)).toISOString();
    let n = 0;
    const page = (anonymousId: string, timestamp: string, path: string): SentEvent => ({ type: 'page', messageId: `p${++n}`, anonymousId, timestamp, path });
    const track = (anonymousId: string, timestamp: string, event: string, revenue?: number): SentEvent => ({ type: 'track', messageId: `t${++n}`, anonymousId, timestamp, event, ...(revenue ? { revenue } : {}) });
    events.push(
      page('a1', at(2, 0), '/'),
      track('a1', at(2, 5), 'Signed Up'),
      track('a1', at(2, 20), 'Order Completed', 10),
      page('a2', at(2, 0), '/'),
      // Ninety minutes after entering: outside the funnel's hour.
      track('a2', at(2, 90), 'Signed Up'),
      page('a3', at(2, 1), '/pricing'),
      page('a1', at(1, 0), '/'),
      // A second conversion of a visitor who converted already: conversions and converting visitors differ.
      track('a1', at(1, 5), 'Signed Up'),
      page('a4', at(1, 0), '/'),
      track('a4', at(1, 10), 'Signed Up'),
      page('a2', now, '/pricing'),
      track('a5', now, 'Signed Up'),
      // A day after a4 entered: past the window, so not the funnel's last step.
      track('a4', now, 'Order Completed', 25.5),
    );
    const res = await fetch(`${d.baseUrl}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${write.value.plainKey}:`).toString('base64')}` },
      body: JSON.stringify({
        batch: events.map((e) =>
          e.type === 'page'
            ? { type: 'page', messageId: e.messageId, anonymousId: e.anonymousId, timestamp: e.timestamp, properties: { path: e.path }, context: { page: { path: e.path } } }
            : { type: 'track', messageId: e.messageId, anonymousId: e.anonymousId, timestamp: e.timestamp, event: e.event, properties: e.revenue ? { revenue: e.revenue } : {} },
        ),
      }),
    });
    if (res.status !== 200) throw new Error(`collector answered ${res.status}`);
    await api('/v1/goals', { method: 'POST', body: JSON.stringify({ name: 'Signed up', kind: 'event', event: 'Signed Up' }) });
    await api('/v1/goals', { method: 'POST', body: JSON.stringify({ name: 'Purchased', kind: 'event', event: 'Order Completed' }) });
    // Every event archived in the raw store, which these reports read.
    await until('the raw store to hold the events', async () => {
      const r = await api<{ cohorts: Array<{ size: number }> }>(`/v1/retention?${new URLSearchParams({ ...span, period: 'day' })}`);
      return r.cohorts.reduce((sum, c) => sum + c.size, 0) === 5;
    });
    // The closed days from the batch, as in a deployment: the speed layer keeps only recent hours,
    // so two days ago at 10:00 falls out of it later in the day.
    await d.runBatchToToday(TENANT);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await d?.close();
  });

  it('shows goals as the API counts them, manages them, and a goal filters the panels that can take it', async () => {
    const { context, tab, problems } = await openDashboard();

    const report = async () => api<{ goals: Array<{ goal: { name: string }; conversions: number; visitors: number; rate: number; revenue: number }> }>(`/v1/goals/report?${new URLSearchParams(span)}`);
    const shown = (r: Awaited<ReturnType<typeof report>>, all = 5) =>
      r.goals.map((g) => [
        g.goal.name,
        String(g.visitors),
        String(g.conversions),
        `${((g.visitors / all) * 100).toFixed(g.visitors === all ? 0 : 1)} %`,
        (g.revenue / 100).toFixed(2),
      ]);
    await until('the goals table', async () => (await rows(tab, '#goals-rows')).length === 2 && !(await tab.textContent('#goals-rows'))?.includes('—'));
    const first = await report();
    expect(first.goals.map((g) => g.rate)).toEqual(first.goals.map((g) => g.visitors / 5));
    // The cells hold the name, then what the goal matches.
    const cells = async () => (await rows(tab, '#goals-rows')).map(([name, ...rest]) => [name!.replace(/Event “.*”$/, ''), ...rest]);
    expect(await cells()).toEqual(shown(first));
    expect(shown(first)).toEqual([
      ['Signed up', '4', '5', '80.0 %', '0.00'],
      ['Purchased', '2', '2', '40.0 %', '35.50'],
    ]);
    await waitText(tab, '#goals-fresh', /^Counted from the raw events through /);

    // Add a page goal from the keyboard, then remove it.
    await tab.click('.manage summary');
    await tab.focus('#goal-name');
    await tab.keyboard.type('Saw pricing');
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('ArrowDown'); // Track event -> Page path
    await tab.keyboard.press('Tab');
    await tab.keyboard.type('/pricing');
    await tab.keyboard.press('Enter');
    await waitText(tab, '#goals-status', 'Goal “Saw pricing” added.');
    await until('three goals', async () => (await rows(tab, '#goals-rows')).length === 3);
    const added = await report();
    expect(added.goals.map((g) => g.goal.name)).toEqual(['Signed up', 'Purchased', 'Saw pricing']);
    await until('the page goal counted', async () => JSON.stringify((await rows(tab, '#goals-rows')).map((r) => r.slice(1))) === JSON.stringify(shown(added).map((r) => r.slice(1))));
    expect(added.goals[2]).toMatchObject({ visitors: 2, conversions: 2 });

    await tab.getByRole('button', { name: 'Remove goal Saw pricing' }).focus();
    await tab.keyboard.press('Enter');
    await waitText(tab, '#goals-status', 'Goal “Saw pricing” removed.');
    await until('two goals again', async () => (await rows(tab, '#goals-rows')).length === 2);
    expect((await report()).goals.map((g) => g.goal.name)).toEqual(['Signed up', 'Purchased']);

    // A goal stands for its event: every panel that can be cut by it is filtered; the goal panels keep the visitors who did it.
    await tab.getByRole('button', { name: 'Filter every panel by goal Signed up' }).click();
    await waitText(tab, '#filter-chips', 'Event is “Signed Up” ×');
    expect(new URL(tab.url()).searchParams.getAll('filter')).toEqual(['event:Signed Up']);
    const filtered = await fetch(`${d.baseUrl}/v1/query?${new URLSearchParams({ metric: 'events', granularity: 'day', ...span, filter: 'event:Signed Up' })}`, { headers: { authorization: `Bearer ${readKey}` } });
    const signedUp = ((await filtered.json()) as { total: { value: number } }).total.value;
    expect(signedUp).toBe(events.filter((e) => e.event === 'Signed Up').length);
    await waitText(tab, '#value-events', String(signedUp));
    // a1, a2, a4 and a5 signed up; a3 only saw pricing.
    await until('the goals of those who signed up', async () => JSON.stringify(await cells()) === JSON.stringify(shown(first, 4)));
    expect(await tab.textContent('#filter-note')).not.toMatch(/Goals|Funnel|Retention/);

    // Compared with the period before, which has no conversions.
    await tab.click('label[for="compare"]');
    await until('the comparison column', () => tab.isVisible('#goals-change-head'));
    await until('each goal compared', async () => (await rows(tab, '#goals-rows')).map((r) => r[5]).join() === 'before: 0,before: 0');
    expect(new URL(tab.url()).searchParams.get('compare')).toBe('previous');
    // The three days just before, last one included.
    const before = (days: number) => new Date(Date.parse(twoDaysAgo) - days * DAY_MS).toISOString().slice(0, 10);
    await waitText(tab, '#goals-span', `${twoDaysAgo} – ${today}, compared with ${before(3)} – ${before(1)}`);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('counts a funnel defined by clicks as the events say, keeps it in the URL, and shows the retention cohorts', async () => {
    const { context, tab, problems } = await openDashboard();

    // The goals give a first funnel; it is replaced step by step.
    await until('a first funnel from the goals', async () => (await tab.inputValue('#funnel-steps li:nth-child(1) input')) === 'Signed Up');
    await tab.selectOption('#funnel-steps li:nth-child(1) select', 'page');
    await tab.fill('#funnel-steps li:nth-child(1) input', '/');
    await tab.fill('#funnel-steps li:nth-child(2) input', 'Signed Up');
    await tab.click('#funnel-add');
    await tab.fill('#funnel-steps li:nth-child(3) input', 'Order Completed');
    await tab.fill('#funnel-window', String(WINDOW_MINUTES));
    await tab.click('#funnel-form button[type="submit"]');

    const expected = countFunnel(events, steps, WINDOW_MINUTES * MINUTE);
    expect(expected).toEqual([3, 2, 1]);
    const funnelRows = () => rows(tab, '#funnel-rows');
    await until('the funnel of the three steps', async () => (await funnelRows())[0]?.[0] === '1. Page /');
    expect((await funnelRows()).map((r) => r.slice(0, 3))).toEqual([
      ['1. Page /', String(expected[0]), '—'],
      ['2. Event “Signed Up”', String(expected[1]), `${expected[0]! - expected[1]!} (33.3 %)`],
      ['3. Event “Order Completed”', String(expected[2]), `${expected[1]! - expected[2]!} (50.0 %)`],
    ]);
    expect(await tab.$$eval('#funnel-rows .step-bar .fill', (bars) => bars.map((b) => Number(b.getAttribute('width')).toFixed(1)))).toEqual(['100.0', '66.7', '33.3']);
    await waitText(tab, '#funnel-fresh', /^Visitors who reached each step within 60 minutes of the first\. Counted from the raw events through /);
    expect(new URL(tab.url()).searchParams.getAll('step')).toEqual(['page:/', 'event:Signed Up', 'event:Order Completed']);

    // Retention by UTC day: each cohort's size and the share of it seen on each later day.
    const cohorts = countRetention(events);
    expect(cohorts.map((c) => c.returning)).toEqual([[3, 1, 1], [1, 1], [1]]);
    await until('the cohort grid', async () => (await rows(tab, '#retention-rows')).length === cohorts.length);
    const grid = await tab.$$eval('#retention-rows tr', (trs) =>
      trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent, ...[...tr.querySelectorAll('.retention-cell')].map((c) => c.querySelector('.count')?.textContent ?? '')]),
    );
    expect(grid).toEqual(cohorts.map((c) => [c.start, String(c.returning[0]), ...[0, 1, 2].map((k) => (c.returning[k] === undefined ? '' : String(c.returning[k])))]));
    expect(await tab.$$eval('#retention-rows tr:first-child .rate', (r) => r.map((x) => x.textContent))).toEqual(['100 %', '33.3 %', '33.3 %']);
    expect(await tab.$$eval('#retention-head th', (ths) => ths.map((th) => `${th.getAttribute('scope')}:${th.textContent}`))).toEqual([
      'col:Cohort (UTC day)',
      'col:Visitors',
      'col:Day 0',
      'col:Day 1',
      'col:Day 2',
    ]);

    // Weekly cohorts are kept in the URL too; a tab opened on the URL shows the same funnel.
    await tab.selectOption('#retention-period', 'week');
    await waitText(tab, '#retention-head th:first-child', 'Cohort (week of)');
    expect(new URL(tab.url()).searchParams.get('retention')).toBe('week');
    const again = await context.newPage();
    await again.goto(`${tab.url()}#key=${readKey}`);
    await until('the same funnel from the URL', async () => (await rows(again, '#funnel-rows')).map((r) => r[1]).join() === expected.join());
    await waitText(again, '#retention-head th:first-child', 'Cohort (week of)');
    await again.close();

    await tab.selectOption('#retention-period', 'day');
    await until('the daily grid', async () => (await rows(tab, '#retention-rows')).length === cohorts.length);
    // The goal manager open too, so its form is checked with the rest.
    await tab.click('.manage summary');
    await expectAccessible(tab, 'goals, funnel and retention');
    // At a laptop's width these few columns fit: nothing in the three panels hides behind a horizontal scroll.
    const scrolling = await tab.$$eval('#goals-panel .scroll, #funnel-panel .scroll, #retention-panel .scroll', (regions) =>
      regions.filter((r) => r.scrollWidth > r.clientWidth + 1).map((r) => `${r.closest('.panel')!.id}: ${r.scrollWidth} > ${r.clientWidth}`),
    );
    expect(scrolling).toEqual([]);
    await mkdir(SHOTS, { recursive: true });
    await tab.screenshot({ path: join(SHOTS, 'goals-funnel-retention.png'), fullPage: true });
    for (const panel of ['goals', 'funnel', 'retention']) await tab.locator(`#${panel}-panel`).screenshot({ path: join(SHOTS, `${panel}-panel.png`) });

    // Compared with the three days before, when nothing happened: the funnel of that period beside.
    await tab.click('label[for="compare"]');
    await until('the funnel of the period before', async () => (await funnelRows()).map((r) => r[4]).join() === '0 (—),0 (—),0 (—)');
    expect(await tab.isVisible('#funnel-before-head')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('leaves the raw-event panels out of a shared view, which may not read them', async () => {
    const created = await api<{ path: string }>('/v1/share-keys', { method: 'POST', body: JSON.stringify({ expiresAt: new Date(Date.now() + DAY_MS).toISOString(), label: 'panels' }) });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${d.baseUrl}${created.path}`);
    await waitText(tab, '#shared-note', /^Shared view, read-only/);
    await waitText(tab, '#value-events', /^\d+$/);
    expect(await tab.isHidden('#goals-panel')).toBe(true);
    expect(await tab.isHidden('#funnel-panel')).toBe(true);
    expect(await tab.isHidden('#retention-panel')).toBe(true);
    expect(await tab.isHidden('#key-panel')).toBe(true);
    await context.close();
  }, 30_000);
});

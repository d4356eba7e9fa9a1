import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { moveNestedAnalyticsData } from '../../scripts/app-data-dirs.ts';

let data: string;
beforeEach(async () => {
  data = await mkdtemp(join(tmpdir(), 'nested-layout-'));
  await mkdir(join(data, 'analytics/analytics/lake/raw'), { recursive: true });
  await writeFile(join(data, 'analytics/analytics/lake/raw/a.ndjson'), 'old lake\n');
  await writeFile(join(data, 'analytics/analytics/tenants.json'), '{"old":true}');
});
afterEach(() => rm(data, { recursive: true, force: true }));

it("moves a demo's analytics files from data/analytics/analytics up to data/analytics, once", async () => {
  expect(moveNestedAnalyticsData(data).moved).toEqual([join(data, 'analytics/lake'), join(data, 'analytics/tenants.json')]);
  expect(await readFile(join(data, 'analytics/lake/raw/a.ndjson'), 'utf8')).toBe('old lake\n');
  expect(existsSync(join(data, 'analytics/analytics'))).toBe(false);
  expect(moveNestedAnalyticsData(data)).toEqual({ moved: [], leftBehind: [] });
});

it('leaves an entry that already exists at the new place where it was, and says so', async () => {
  await writeFile(join(data, 'analytics/tenants.json'), '{"new":true}');
  const result = moveNestedAnalyticsData(data);
  expect(result).toEqual({ moved: [join(data, 'analytics/lake')], leftBehind: [join(data, 'analytics/analytics/tenants.json')] });
  expect(await readFile(join(data, 'analytics/tenants.json'), 'utf8')).toBe('{"new":true}');
});

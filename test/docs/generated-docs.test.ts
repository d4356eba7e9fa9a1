import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configReference } from '../../scripts/docs/config-reference.ts';
import { catalogueEvents, renderCatalogue, type CatalogueEvent } from '../../scripts/docs/event-catalogue.ts';
import { replaceGeneratedSection } from '../../scripts/docs/generated-section.ts';
import { repoRoot } from '../../scripts/docs/source-files.ts';

const committed = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const STALE = 'is stale: run `npm run docs:generate` and commit the result';

describe('docs/configuration.md', () => {
  it('is what the generator makes of the env schemas', async () => {
    const doc = committed('docs/configuration.md');
    expect(replaceGeneratedSection(doc, await configReference()), `docs/configuration.md ${STALE}`).toBe(doc);
  });

  it('refuses a variable without a description', async () => {
    const shape = { DESCRIBED: z.string().default('x').describe('Has one.'), BARE_VARIABLE: z.string().optional() };
    await expect(configReference([{ name: 'testEnvSchema', path: 'commerce/src/x.ts', process: 'test app', system: 'commerce', shape }])).rejects.toThrow(
      /BARE_VARIABLE \(test app\)/,
    );
  });
});

describe('docs/events.md', () => {
  let events: CatalogueEvent[];
  // Composing the app on PGlite takes seconds on a quiet machine, minutes on a loaded one.
  beforeAll(async () => {
    events = await catalogueEvents();
  }, 300_000);

  it('is what the generator makes of the definitions and the composed bus', () => {
    const doc = committed('docs/events.md');
    expect(replaceGeneratedSection(doc, renderCatalogue(events)), `docs/events.md ${STALE}`).toBe(doc);
  });

  it('finds subscriptions in the composed app and publishers in the code', () => {
    const created = events.find((e) => e.type === 'orders.order_created.v1');
    expect(created?.name).toBe('OrderCreated');
    expect(created?.publishers).toEqual(['orders']);
    expect(created?.subscribers).toEqual(expect.arrayContaining(['payments', 'notifications', 'tracking']));
    // Internal to payments, not exported from its index.ts: found by shape all the same.
    expect(events.find((e) => e.type === 'payments.capture_requested.v1')?.subscribers).toEqual(['payments']);
  });
});

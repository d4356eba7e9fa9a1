import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  ANALYTICS_OPENAPI_FILE,
  ANALYTICS_TYPES_FILE,
  dumpAnalyticsOpenApi,
  dumpCommerceOpenApi,
  OPENAPI_FILE,
  TYPES_FILE,
  typesFromOpenApi,
} from '../../scripts/generate-sdk.ts';

describe('the committed SDK', () => {
  it('is what `npm run sdk:generate` makes from the commerce API today (run it after changing a route schema)', async () => {
    const json = await dumpCommerceOpenApi();
    expect(await readFile(OPENAPI_FILE, 'utf8'), 'packages/sdk/openapi.json is stale').toBe(json);
    expect(await readFile(TYPES_FILE, 'utf8'), 'packages/sdk/src/commerce-api.ts is stale').toBe(await typesFromOpenApi(json));
  }, 180_000);

  it('is what `npm run sdk:generate` makes from the analytics API today (run it after changing a route schema)', async () => {
    const json = await dumpAnalyticsOpenApi();
    expect(await readFile(ANALYTICS_OPENAPI_FILE, 'utf8'), 'packages/sdk/analytics-openapi.json is stale').toBe(json);
    expect(await readFile(ANALYTICS_TYPES_FILE, 'utf8'), 'packages/sdk/src/analytics-api.ts is stale').toBe(await typesFromOpenApi(json, 'analytics'));
  }, 180_000);
});

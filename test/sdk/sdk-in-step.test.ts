import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dumpCommerceOpenApi, OPENAPI_FILE, TYPES_FILE, typesFromOpenApi } from '../../scripts/generate-sdk.ts';

describe('the committed SDK', () => {
  it('is what `npm run sdk:generate` makes from the commerce API today (run it after changing a route schema)', async () => {
    const json = await dumpCommerceOpenApi();
    expect(await readFile(OPENAPI_FILE, 'utf8'), 'packages/sdk/openapi.json is stale').toBe(json);
    expect(await readFile(TYPES_FILE, 'utf8'), 'packages/sdk/src/commerce-api.ts is stale').toBe(await typesFromOpenApi(json));
  }, 180_000);
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSchemaViolations } from '../../scripts/schema-ownership.ts';

const made: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('schema ownership check', () => {
  it('passes a module that queries only its own schema', () => {
    const dir = tree({
      'modules/orders/infrastructure/orders.repository.ts': 'q(`select * from orders.orders o join orders.lines l on true`)',
      'modules/catalog/index.ts': '',
    });
    expect(findSchemaViolations(dir)).toEqual([]);
  });

  it("flags a module reading another module's table and the bus's tables", () => {
    const dir = tree({
      'modules/orders/infrastructure/orders.repository.ts':
        'q(`select * from orders.orders o\n join catalog.variants v on v.id = o.variant_id`)\nq(`insert into events.outbox values (1)`)',
      'modules/catalog/index.ts': '',
    });
    const found = findSchemaViolations(dir).map((v) => `${v.module}->${v.schema}@${v.line}`);
    expect(found).toEqual(['orders->catalog@2', 'orders->events@3']);
  });

  it('finds no violation in the real code base', () => {
    expect(findSchemaViolations(resolve(import.meta.dirname, '../../commerce/src'))).toEqual([]);
  });
});

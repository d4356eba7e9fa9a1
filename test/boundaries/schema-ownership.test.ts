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

  it('reads a query split over lines as one statement', () => {
    const dir = tree({
      'modules/orders/infrastructure/orders.repository.ts': 'q(`select *\n  from orders.orders o\n  join\n    catalog\n      .variants v on true`)',
      'modules/catalog/index.ts': '',
    });
    expect(findSchemaViolations(dir).map((v) => `${v.module}->${v.schema}@${v.line}`)).toEqual(['orders->catalog@3']);
  });

  it('resolves a schema named through a constant, an object constant or string concatenation', () => {
    const dir = tree({
      'modules/orders/infrastructure/orders.repository.ts': [
        "const SCHEMA = 'catalog';",
        'q(`select * from ${SCHEMA}.variants`);',
        "const TABLES = { stock: 'catalog' } as const;",
        'q(`update ${TABLES.stock}.stock set n = 0`);',
        "const target = 'payments' + '';",
        "q('select * from ' + target + '.payments');",
        "q('select * from orders.orders o ' +",
        "  'join catalog.products p on true');",
      ].join('\n'),
      'modules/catalog/index.ts': '',
      'modules/payments/index.ts': '',
    });
    expect(findSchemaViolations(dir).map((v) => `${v.schema}@${v.line}`)).toEqual(['catalog@2', 'catalog@4', 'payments@6', 'catalog@8']);
  });

  it('flags a schema named by an expression it cannot resolve, and a search_path into another schema', () => {
    const dir = tree({
      'modules/orders/infrastructure/orders.repository.ts': [
        'export const read = (schema: string) => q(`select * from ${schema}.variants`);',
        "q('set search_path to catalog, public');",
      ].join('\n'),
      'modules/catalog/index.ts': '',
    });
    expect(findSchemaViolations(dir).map((v) => `${v.schema}@${v.line}`)).toEqual(['?@1', 'catalog@2']);
  });

  it('ignores comments and its own schema however it is named', () => {
    const dir = tree({
      'modules/orders/infrastructure/orders.repository.ts': [
        '// Unlike catalog, which joins catalog.variants, we read only our own tables.',
        "const SCHEMA = 'orders';",
        'q(`select * from ${SCHEMA}.orders\n join orders.lines l on true`);',
      ].join('\n'),
      'modules/catalog/index.ts': '',
    });
    expect(findSchemaViolations(dir)).toEqual([]);
  });

  it('finds no violation in the real code base', () => {
    expect(findSchemaViolations(resolve(import.meta.dirname, '../../commerce/src'))).toEqual([]);
  });
});

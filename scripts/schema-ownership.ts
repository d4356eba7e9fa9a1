import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface SchemaViolation {
  file: string;
  line: number;
  module: string;
  schema: string;
  text: string;
}

// A schema-qualified name after a keyword that reads or writes a table.
const QUALIFIED = /\b(?:from|join|into|update|table|references|truncate|exists)\s+"?([a-z_][a-z0-9_]*)"?\s*\.\s*"?[a-z_]/gi;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * "No module reads another module's tables": every schema-qualified table in a module's
 * SQL must name the module's own schema (schema name = module folder name). The shared
 * `events` schema belongs to the event bus; modules reach it only through the bus API.
 * The database does not enforce this on the embedded engine, so this scan does, in CI.
 */
export function findSchemaViolations(commerceSrc: string): SchemaViolation[] {
  const modulesDir = join(commerceSrc, 'modules');
  const modules = readdirSync(modulesDir).filter((m) => statSync(join(modulesDir, m)).isDirectory());
  const foreign = new Set([...modules, 'events']);
  const violations: SchemaViolation[] = [];
  for (const module of modules) {
    for (const file of files(join(modulesDir, module))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, index) => {
          for (const match of text.matchAll(QUALIFIED)) {
            const schema = match[1]!.toLowerCase();
            if (schema !== module && foreign.has(schema)) {
              violations.push({ file: relative(commerceSrc, file), line: index + 1, module, schema, text: text.trim() });
            }
          }
        });
    }
  }
  return violations;
}

import { resolve } from 'node:path';
import { findSchemaViolations } from './schema-ownership.ts';

const violations = findSchemaViolations(resolve(import.meta.dirname, '../commerce/src'));
for (const v of violations) {
  console.error(`${v.file}:${v.line}: module '${v.module}' touches schema '${v.schema}': ${v.text}`);
}
if (violations.length > 0) process.exit(1);
console.log('schema ownership: every module touches only its own schema');

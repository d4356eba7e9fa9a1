import { resolve } from 'node:path';
import { findUndeclaredImports } from './workspace-imports.ts';

const undeclared = findUndeclaredImports(resolve(import.meta.dirname, '..'));
for (const u of undeclared) console.error(`${u.file}:${u.line}: ${u.workspace} imports '${u.packageName}' but its package.json does not declare it`);
if (undeclared.length > 0) process.exit(1);
console.log('workspace imports: every workspace declares the packages it imports');

/**
 * `npm run docs:generate`: writes the generated sections of docs/configuration.md (from the zod
 * environment schemas) and docs/events.md (from the event definitions and the composed app's
 * subscriptions). `--check` writes nothing and exits 1 when a committed section is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configReference } from './docs/config-reference.ts';
import { eventCatalogue } from './docs/event-catalogue.ts';
import { replaceGeneratedSection } from './docs/generated-section.ts';
import { repoRoot } from './docs/source-files.ts';

export const GENERATED_DOCS = {
  'docs/configuration.md': configReference,
  'docs/events.md': eventCatalogue,
} as const;

/** The file as the generator would write it. */
export async function generatedDocument(path: keyof typeof GENERATED_DOCS): Promise<{ committed: string; generated: string }> {
  const committed = readFileSync(join(repoRoot, path), 'utf8');
  return { committed, generated: replaceGeneratedSection(committed, await GENERATED_DOCS[path]()) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const path of Object.keys(GENERATED_DOCS) as (keyof typeof GENERATED_DOCS)[]) {
    const { committed, generated } = await generatedDocument(path);
    if (committed === generated) {
      console.log(`${path}: up to date`);
    } else if (check) {
      stale += 1;
      console.error(`${path}: stale; run npm run docs:generate`);
    } else {
      writeFileSync(join(repoRoot, path), generated);
      console.log(`${path}: written`);
    }
  }
  process.exit(stale > 0 ? 1 : 0);
}

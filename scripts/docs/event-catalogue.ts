import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createLogger } from '@shop/platform';
import { createCommerceApp } from '../../commerce/src/app.ts';
import { loadCommerceConfig } from '../../commerce/src/config.ts';
import { createPgliteDatabase } from '../../commerce/src/shared/database/index.ts';
import { importSource, sourceFiles, type SourceFile } from './source-files.ts';

/** An event definition as `defineEvent` returns it, recognised by its shape. */
interface Definition {
  type: string;
  schema: z.ZodType;
  create: (...args: never[]) => unknown;
  parse: (raw: unknown) => unknown;
}

export interface CatalogueEvent {
  type: string;
  /** The exported constant, e.g. `OrderCreated`. */
  name?: string;
  path?: string;
  /** The doc comment above the definition. */
  summary?: string;
  schema?: z.ZodType;
  publishers: string[];
  subscribers: string[];
}

const isDefinition = (value: unknown): value is Definition =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Definition).type === 'string' &&
  typeof (value as Definition).create === 'function' &&
  typeof (value as Definition).parse === 'function' &&
  (value as Definition).schema instanceof z.ZodType;

/** Comments hold examples (`OrderCreated.create(...)` in a doc comment is not a publisher). */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** `commerce/src/modules/orders/...` -> `orders`; anything else is named by its folder. */
function ownerOf(path: string): string {
  return /\/modules\/([^/]+)\//.exec(path)?.[1] ?? path.split('/').slice(0, -1).join('/');
}

function docCommentAbove(text: string, name: string): string | undefined {
  const at = text.search(new RegExp(`export const ${name}\\s*=`));
  const before = text.slice(0, at).trimEnd();
  if (!before.endsWith('*/')) return undefined;
  const comment = before.slice(before.lastIndexOf('/**') + 3, -2);
  return comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Every event definition in the commerce sources: files that call `defineEvent(` are imported
 * and their exports recognised by shape, wherever the files live.
 */
export async function findEventDefinitions(files: SourceFile[] = sourceFiles()): Promise<CatalogueEvent[]> {
  const events: CatalogueEvent[] = [];
  for (const file of files.filter((f) => f.path.startsWith('commerce/') && /\bdefineEvent\(/.test(withoutComments(f.text)))) {
    for (const [name, value] of Object.entries(await importSource(file.path))) {
      if (!isDefinition(value) || events.some((e) => e.type === value.type)) continue;
      events.push({ type: value.type, name, path: file.path, summary: docCommentAbove(file.text, name), schema: value.schema, publishers: [], subscribers: [] });
    }
  }
  const code = files.map((f) => ({ ...f, text: withoutComments(f.text) }));
  for (const event of events) {
    const call = new RegExp(`\\b${event.name}\\.create\\(`);
    event.publishers = [...new Set(code.filter((f) => call.test(f.text)).map((f) => ownerOf(f.path)))].sort();
  }
  return events;
}

/**
 * Who subscribes to what, asked of the running composition: the commerce app is composed on its
 * embedded engines (an in-memory PGlite) with every optional subscriber switched on
 * (tracking needs an analytics URL), its bus started, and the subscriptions the bus recorded
 * (`events.subscriptions`, from which every publish fans out) read back.
 */
export async function composedSubscriptions(): Promise<{ subscriber: string; eventType: string }[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'event-catalogue-'));
  try {
    const config = loadCommerceConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      // Nothing is sent: the catalogue publishes no event. The key only has to be well formed.
      ANALYTICS_URL: 'http://127.0.0.1:9',
      ANALYTICS_WRITE_KEY: `wk_${'0'.repeat(32)}`,
    });
    const db = await createPgliteDatabase();
    const app = await createCommerceApp(config, createLogger('event-catalogue', 'silent'), { db });
    try {
      const { rows } = await app.db.query<{ subscriber: string; event_type: string }>(
        'select subscriber, event_type from events.subscriptions order by event_type, subscriber',
      );
      return rows.map((r) => ({ subscriber: r.subscriber, eventType: r.event_type }));
    } finally {
      await app.close();
      await db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function catalogueEvents(): Promise<CatalogueEvent[]> {
  const events = await findEventDefinitions();
  for (const { subscriber, eventType } of await composedSubscriptions()) {
    let event = events.find((e) => e.type === eventType);
    if (!event) events.push((event = { type: eventType, publishers: [], subscribers: [] }));
    event.subscribers.push(subscriber);
  }
  return events.sort((a, b) => a.type.localeCompare(b.type));
}

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (schema.type === 'object' && schema.properties) return `object (${Object.keys(schema.properties).join(', ')})`;
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
  return schema.format ? `${type} (${schema.format})` : type;
}

function payloadTable(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  if (!json.properties) return [`Payload: ${typeOf(json)}.`];
  const required = new Set(json.required ?? []);
  return [
    '| field | type |',
    '|---|---|',
    ...Object.entries(json.properties).map(([field, s]) => `| \`${field}\`${required.has(field) ? '' : ' (optional)'} | ${typeOf(s)} |`),
  ];
}

const list = (names: string[]) => (names.length ? names.map((n) => `\`${n}\``).join(', ') : 'none');
const anchor = (type: string) => type.replace(/[^a-z0-9_-]/g, '');

/** The catalogue: a flow diagram, a summary table and one section per event with its payload. */
export function renderCatalogue(events: CatalogueEvent[]): string {
  const edges = events.flatMap((e) =>
    (e.publishers.length ? e.publishers : ['?']).flatMap((p) => e.subscribers.map((s) => `  ${p.replace(/\W/g, '_')} -- "${e.name ?? e.type}" --> ${s.replace(/\W/g, '_')}`)),
  );
  const lines = [
    '```mermaid',
    'graph LR',
    ...[...new Set(edges)],
    '```',
    '',
    '| event | published by | subscribers |',
    '|---|---|---|',
    ...events.map((e) => `| [\`${e.type}\`](#${anchor(e.type)}) | ${list(e.publishers)} | ${list(e.subscribers)} |`),
  ];
  for (const e of events) {
    lines.push('', `### ${e.type}`, '');
    if (e.name) lines.push(`\`${e.name}\`, defined in \`${e.path}\`.${e.summary ? ` ${e.summary}` : ''}`, '');
    else lines.push('No definition found in the commerce sources (a type subscribed to by name).', '');
    lines.push(`Published by: ${list(e.publishers)}. Subscribers: ${list(e.subscribers)}.`);
    if (e.schema) lines.push('', ...payloadTable(e.schema));
  }
  return lines.join('\n');
}

export async function eventCatalogue(): Promise<string> {
  return renderCatalogue(await catalogueEvents());
}

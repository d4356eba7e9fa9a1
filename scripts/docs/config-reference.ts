import type { z } from 'zod';
import { importSource, sourceFiles, type SourceFile } from './source-files.ts';

/** A process's environment schema: a zod object whose keys are variable names, described with `.describe()`. */
interface EnvSchema {
  /** The export's name, e.g. `commerceEnvSchema`. */
  name: string;
  path: string;
  /** The object's own `.describe()`: the process that reads it, e.g. `commerce app`. */
  process: string;
  system: 'commerce' | 'analytics' | 'storefront' | 'backoffice' | 'platform';
  shape: Record<string, z.ZodType>;
}

interface Variable {
  name: string;
  process: string;
  description?: string;
  /** `required`, `unset` or the default as written in the environment. */
  defaultText: string;
  options?: string[];
}

const EXPORT = /export const (\w+EnvSchema)\b/g;
const SYSTEM_TITLES = { commerce: 'Commerce', analytics: 'Analytics', storefront: 'Storefront', backoffice: 'Back office', platform: 'Platform' } as const;

/** Finds every exported `*EnvSchema` in the sources and imports it. */
export async function findEnvSchemas(files: SourceFile[] = sourceFiles()): Promise<EnvSchema[]> {
  const schemas: EnvSchema[] = [];
  for (const file of files) {
    for (const [, name] of file.text.matchAll(EXPORT)) {
      const value = (await importSource(file.path))[name!] as z.ZodObject | undefined;
      if (!value?.shape) throw new Error(`${file.path}: ${name} is not a zod object`);
      if (!value.description) throw new Error(`${file.path}: ${name} needs .describe('<the process that reads it>')`);
      const system = (['commerce', 'analytics', 'storefront', 'backoffice'] as const).find((s) => file.path.startsWith(`${s}/`)) ?? 'platform';
      schemas.push({ name: name!, path: file.path, process: value.description, system, shape: value.shape as Record<string, z.ZodType> });
    }
  }
  return schemas;
}

/** Reads the default, optionality, enum values and description through zod's wrappers (default, optional, pipe). */
function describeField(name: string, process: string, field: z.ZodType): Variable {
  let description: string | undefined;
  let defaultValue: unknown;
  let options: string[] | undefined;
  let current: z.ZodType | undefined = field;
  while (current) {
    description ??= current.description;
    const def = current._zod.def as unknown as { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown; entries?: Record<string, string> };
    if (def.type === 'default' && defaultValue === undefined) defaultValue = def.defaultValue;
    if (def.type === 'enum') options = Object.values(def.entries ?? {});
    current = def.type === 'pipe' ? def.in : def.innerType;
  }
  const unsetIsValid = field.safeParse(undefined).success;
  const defaultText =
    defaultValue === '' ? 'empty' : defaultValue !== undefined ? `\`${String(defaultValue)}\`` : unsetIsValid ? 'unset' : '**required**';
  // Booleans accept true/false/1/0/yes/no; listing those on every flag is noise.
  const isBoolean = options?.includes('true') && options.includes('false');
  return { name, process, description, defaultText, options: isBoolean ? undefined : options };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function byDistinct(values: { process: string; text: string }[], all: number): string {
  const distinct = [...new Set(values.map((v) => v.text))];
  if (distinct.length === 1 && values.length === all) return distinct[0]!;
  if (distinct.length === 1) return `${distinct[0]} (${values.map((v) => v.process).join(', ')})`;
  return values.map((v) => `**${v.process}**: ${v.text}`).join('<br>');
}

/**
 * The configuration reference: per system, one row per variable with its default, the processes
 * that read it and its description. Throws when a variable has no description in any process.
 */
export async function configReference(schemas?: EnvSchema[]): Promise<string> {
  // The main app of a system (shallowest file) first, then its stand-alone processes.
  const depth = (path: string) => path.split('/').length;
  const found = (schemas ?? (await findEnvSchemas())).sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path));
  const undescribed: string[] = [];
  const sections: string[] = [];
  for (const system of ['commerce', 'analytics', 'storefront', 'backoffice', 'platform'] as const) {
    const inSystem = found.filter((s) => s.system === system);
    if (inSystem.length === 0) continue;
    const variables = new Map<string, Variable[]>();
    for (const schema of inSystem) {
      for (const [name, field] of Object.entries(schema.shape)) {
        variables.set(name, [...(variables.get(name) ?? []), describeField(name, schema.process, field)]);
      }
    }
    const rows: string[] = [];
    for (const name of [...variables.keys()].sort()) {
      const readers = variables.get(name)!;
      const described = readers.filter((r) => r.description);
      if (described.length === 0) undescribed.push(`${name} (${readers.map((r) => r.process).join(', ')})`);
      const defaults = byDistinct(readers.map((r) => ({ process: r.process, text: r.defaultText })), readers.length);
      let text = byDistinct(described.map((r) => ({ process: r.process, text: r.description! })), described.length);
      const options = readers.find((r) => r.options)?.options;
      if (options) text += ` One of ${options.map((o) => `\`${o}\``).join(', ')}.`;
      rows.push(`| \`${name}\` | ${cell(defaults)} | ${readers.map((r) => r.process).join(', ')} | ${cell(text)} |`);
    }
    const sources = inSystem.map((s) => `${s.process}: \`${s.path}\` (\`${s.name}\`)`).join('; ');
    sections.push(
      [
        `### ${SYSTEM_TITLES[system]}`,
        '',
        `${variables.size} variables. Schemas: ${sources}.`,
        '',
        '| variable | default | read by | what it does |',
        '|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
  }
  if (undescribed.length > 0) {
    throw new Error(`These variables have no description; add .describe('...') to their zod schema:\n  ${undescribed.join('\n  ')}`);
  }
  return sections.join('\n\n');
}

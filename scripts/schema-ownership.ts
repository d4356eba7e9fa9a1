import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface SchemaViolation {
  file: string;
  line: number;
  module: string;
  /** The schema named, or `?` when an expression names it and the check cannot tell which. */
  schema: string;
  text: string;
}

/** Stands for a part of a string the check could not evaluate (a call, a parameter...). */
const UNKNOWN = '\u0000';

// A schema-qualified name after a keyword that reads or writes a table; `\s` spans the line
// breaks of a query written over several lines. The schema is a name, or an unknown part.
const QUALIFIED = /\b(?:from|join|into|update|table|references|truncate|exists)\s+(?:"?([a-z_][a-z0-9_]*)"?|(\u0000))\s*\.\s*"?[a-z_\u0000]/gi;
// `set search_path to catalog, public` makes unqualified names resolve in another schema.
const SEARCH_PATH = /\bsearch_path\s*(?:to|=)\s*([^;]*)/gi;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every `const NAME = <string>` of a file, and `const NAME = { key: <string> }` as `NAME.key`, evaluated. */
function constantsOf(source: ts.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  const declarations: ts.VariableDeclaration[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) declarations.push(node);
    ts.forEachChild(node, collect);
  };
  collect(source);
  // Constants may be defined from one another in any order: evaluate until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const declaration of declarations) {
      const name = (declaration.name as ts.Identifier).text;
      let initializer = declaration.initializer!;
      while (ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer) || ts.isParenthesizedExpression(initializer)) initializer = initializer.expression;
      const entries: [string, ts.Expression][] = ts.isObjectLiteralExpression(initializer)
        ? initializer.properties.flatMap((p) =>
            ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [[`${name}.${p.name.text}`, p.initializer] as [string, ts.Expression]] : [],
          )
        : [[name, initializer]];
      for (const [key, expression] of entries) {
        const value = evaluate(expression, constants);
        if (value !== undefined && !value.includes(UNKNOWN) && constants.get(key) !== value) {
          constants.set(key, value);
          changed = true;
        }
      }
    }
  }
  return constants;
}

/** The text of a string-valued expression, with UNKNOWN for what cannot be known; undefined when it is no string. */
function evaluate(node: ts.Expression, constants: Map<string, string>): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((span) => (evaluate(span.expression, constants) ?? UNKNOWN) + span.literal.text).join('');
  }
  if (ts.isTaggedTemplateExpression(node)) return evaluate(node.template, constants);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return evaluate(node.expression, constants);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = evaluate(node.left, constants);
    const right = evaluate(node.right, constants);
    if (left === undefined && right === undefined) return undefined;
    return (left ?? UNKNOWN) + (right ?? UNKNOWN);
  }
  if (ts.isIdentifier(node)) return constants.get(node.text) ?? UNKNOWN;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) return constants.get(`${node.expression.text}.${node.name.text}`) ?? UNKNOWN;
  return undefined;
}

/** Whether `node` is a piece of a longer `+` chain, which is read whole instead. */
function insideChain(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return !!parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

/** The outermost string expressions of a file: a whole template or `+` chain, not its pieces. */
function strings(source: ts.SourceFile): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    const stringy =
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken);
    if (stringy && !insideChain(node)) found.push(node as ts.Expression);
    // Substitutions may hold queries of their own (`${cond ? `and x = 1` : ''}`): keep walking.
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The source line of each literal piece of a `+` chain, in order, to place a match found in the joined text. */
function pieceLines(node: ts.Expression, source: ts.SourceFile, constants: Map<string, string>): { from: number; line: number }[] {
  const pieces: { from: number; line: number }[] = [];
  let offset = 0;
  const walk = (n: ts.Expression): void => {
    if (ts.isParenthesizedExpression(n)) return walk(n.expression);
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      walk(n.left);
      walk(n.right);
      return;
    }
    pieces.push({ from: offset, line: source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1 });
    offset += (evaluate(n, constants) ?? UNKNOWN).length;
  };
  walk(node);
  return pieces;
}

/**
 * "No module reads another module's tables": every schema-qualified table in a module's
 * SQL must name the module's own schema (schema name = module folder name). The shared
 * `events` schema belongs to the event bus; modules reach it only through the bus API.
 * The database does not enforce this on the embedded engine, so this scan does, in CI.
 *
 * It reads statements, not lines: each string, template literal or `+` chain is parsed with
 * the TypeScript compiler and checked whole, so a query written over several lines is one
 * text, and a schema named through a constant is resolved. A schema named by an expression
 * the scan cannot resolve (a parameter, a call) is itself a violation: modules name their
 * schema literally or through a constant of the same file.
 */
export function findSchemaViolations(commerceSrc: string): SchemaViolation[] {
  const modulesDir = join(commerceSrc, 'modules');
  const modules = readdirSync(modulesDir).filter((m) => statSync(join(modulesDir, m)).isDirectory());
  const foreign = new Set([...modules, 'events']);
  const violations = new Map<string, SchemaViolation>();
  for (const module of modules) {
    for (const file of files(join(modulesDir, module))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const constants = constantsOf(source);
      for (const node of strings(source)) {
        const text = evaluate(node, constants);
        if (text === undefined) continue;
        const pieces = pieceLines(node, source, constants);
        const report = (schema: string, index: number) => {
          const piece = pieces.findLast((p) => p.from <= index)!;
          const line = piece.line + (text.slice(piece.from, index).match(/\n/g)?.length ?? 0);
          const at = `${relative(commerceSrc, file)}:${line}:${schema}`;
          const shown = text.slice(index, index + 80).split('\n')[0]!.replaceAll(UNKNOWN, '${…}').trim();
          if (!violations.has(at)) violations.set(at, { file: relative(commerceSrc, file), line, module, schema, text: shown });
        };
        for (const match of text.matchAll(QUALIFIED)) {
          const schema = match[2] ? '?' : match[1]!.toLowerCase();
          if (schema === '?' || (schema !== module && foreign.has(schema))) report(schema, match.index);
        }
        for (const match of text.matchAll(SEARCH_PATH)) {
          for (const name of match[1]!.split(',').map((s) => s.trim().replaceAll('"', '').toLowerCase())) {
            if (name.includes(UNKNOWN)) report('?', match.index);
            else if (name !== module && foreign.has(name)) report(name, match.index);
          }
        }
      }
    }
  }
  return [...violations.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realEngine } from '@shop/platform/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/process.ts';

const postgres = await realEngine('postgres');
const SCHEMAS = ['events', 'catalog', 'users', 'orders', 'shipping', 'notifications', 'payments', 'tracking'];

/** `npm run migrate` exactly as an operator types it, with the app's environment. */
function npmRunMigrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'migrate'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm run migrate', () => {
  it('applies every commerce schema to the embedded database under DATA_DIR, then finds nothing left to apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
    dirs.push(dir);
    const first = await npmRunMigrate({ DATA_DIR: dir });
    expect(first.code, first.output).toBe(0);
    for (const schema of SCHEMAS) expect(first.output).toContain(`${schema}/001_`);
    const second = await npmRunMigrate({ DATA_DIR: dir });
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('nothing to apply');
  }, 300_000);

  it('exits 2 naming the variable when the configuration is invalid', async () => {
    const run = await npmRunMigrate({ DATABASE_URL: 'mysql://nope' });
    expect(run.code).toBe(2);
    expect(run.output).toContain('DATABASE_URL must be a postgres:// URL');
  }, 120_000);

  it.skipIf(!postgres.available)('creates the schemas on a real PostgreSQL named by DATABASE_URL', async () => {
    const name = `t_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(postgres.url);
    url.pathname = `/${name}`;
    try {
      const run = await npmRunMigrate({ DATABASE_URL: url.toString(), DATA_DIR: tmpdir() });
      expect(run.code, run.output).toBe(0);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const { rows } = await client.query<{ schema_name: string }>('select schema_name from information_schema.schemata');
      await client.end();
      expect(rows.map((r) => r.schema_name)).toEqual(expect.arrayContaining(SCHEMAS));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 180_000);
});

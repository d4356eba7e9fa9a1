import { describe, expect, it } from 'vitest';
import { loadCommerceConfig } from '../../src/config.ts';
import { parsePostgresHosts } from '../../src/shared/database/index.ts';

describe('multi-host PostgreSQL URLs', () => {
  it('splits libpq-style host lists into one URL per host, in order, keeping credentials and other parameters', () => {
    expect(parsePostgresHosts('postgres://shop:s3cret@db1:5432,db2:6543,[::1]:7000/shop?target_session_attrs=read-write&sslmode=disable')).toEqual({
      urls: ['postgres://shop:s3cret@db1:5432/shop?sslmode=disable', 'postgres://shop:s3cret@db2:6543/shop?sslmode=disable', 'postgres://shop:s3cret@[::1]:7000/shop?sslmode=disable'],
      labels: ['db1:5432', 'db2:6543', '[::1]:7000'],
      target: 'read-write',
    });
    expect(parsePostgresHosts('postgresql://localhost/test')).toEqual({ urls: ['postgresql://localhost/test'], labels: ['localhost:5432'], target: 'any' });
    // No host: libpq's default socket, or one named by ?host=, as node-postgres takes it.
    expect(parsePostgresHosts('postgres:///shop?host=/var/run/postgresql').labels).toEqual(['/var/run/postgresql:5432']);
  });

  it('names the problem in a bad URL', () => {
    expect(() => parsePostgresHosts('mysql://db/shop')).toThrow('must be a postgres:// URL');
    expect(() => parsePostgresHosts('postgres://db1,,db2/shop')).toThrow('must name each host');
    expect(() => parsePostgresHosts('postgres://db1:x/shop')).toThrow('host "db1:x" is not a valid host[:port]');
    expect(() => parsePostgresHosts('postgres://db1/shop?target_session_attrs=writable')).toThrow('target_session_attrs must be one of any, read-write');
  });

  it('is what DATABASE_URL and DATABASE_READ_URL accept', () => {
    const config = loadCommerceConfig({
      DATABASE_URL: 'postgres://shop@db1:5432,db2:5432/shop?target_session_attrs=read-write',
      DATABASE_READ_URL: 'postgres://shop@db2:5432,db1:5432/shop?target_session_attrs=prefer-standby',
    });
    expect(config.DATABASE_READ_URL).toContain('prefer-standby');
    expect(() => loadCommerceConfig({ DATABASE_URL: 'postgres://db1/shop?target_session_attrs=writable' })).toThrow(/DATABASE_URL.*target_session_attrs must be one of/s);
  });
});

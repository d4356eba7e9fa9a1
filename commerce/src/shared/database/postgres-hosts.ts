/**
 * Which servers a session may use, as libpq spells it: `read-write` and `primary` want the server
 * that takes writes, `read-only` and `standby` want a hot standby, `prefer-standby` takes a
 * standby when one answers and any server otherwise, `any` takes the first that answers.
 */
export const TARGET_SESSION_ATTRS = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'] as const;
export type TargetSessionAttrs = (typeof TARGET_SESSION_ATTRS)[number];

export interface PostgresHosts {
  /** One single-host connection URL per listed host, in the order given (the order they are tried in). */
  urls: string[];
  /** Each host as `host:port`, for logs and errors (no credentials). */
  labels: string[];
  target: TargetSessionAttrs;
}

const URL_SHAPE = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/;

/**
 * Splits a libpq-style multi-host URL, which node-postgres does not understand (it takes one host),
 * into one URL per host, and takes `target_session_attrs` out of the query string.
 *
 * @example
 * parsePostgresHosts('postgres://shop@db1:5432,db2:5433/shop?target_session_attrs=read-write')
 * // { urls: ['postgres://shop@db1:5432/shop', 'postgres://shop@db2:5433/shop'], labels: ['db1:5432', 'db2:5433'], target: 'read-write' }
 */
export function parsePostgresHosts(url: string): PostgresHosts {
  const match = URL_SHAPE.exec(url);
  if (!match) throw new Error('must be a postgres:// URL');
  const [, scheme, userinfo = '', hostList = '', rest = ''] = match;
  // No host at all is libpq's default (a local socket, or `?host=`); an empty entry in a list is a typo.
  const hosts = hostList === '' ? [''] : hostList.split(',');
  if (hosts.length > 1 && hosts.some((h) => h === '')) throw new Error('must name each host (postgres://user@db1:5432,db2:5432/db), separated by commas');
  const [path = '', query = ''] = splitOnce(rest, '?');
  const params = new URLSearchParams(query);
  const target = (params.get('target_session_attrs') ?? 'any') as TargetSessionAttrs;
  if (!TARGET_SESSION_ATTRS.includes(target)) {
    throw new Error(`target_session_attrs must be one of ${TARGET_SESSION_ATTRS.join(', ')}`);
  }
  params.delete('target_session_attrs');
  const tail = `${path}${params.size > 0 ? `?${params.toString()}` : ''}`;
  const urls: string[] = [];
  const labels: string[] = [];
  for (const host of hosts) {
    const single = `${scheme}${userinfo}${host}${tail}`;
    let parsed: URL;
    try {
      parsed = new URL(single);
    } catch {
      throw new Error(`host "${host}" is not a valid host[:port]`);
    }
    urls.push(single);
    labels.push(`${parsed.hostname || parsed.searchParams.get('host') || 'localhost'}:${parsed.port || '5432'}`);
  }
  return { urls, labels, target };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

import { isIP } from 'node:net';

/**
 * The visitor's address: the socket's peer, or, when the collector is told it sits behind
 * proxies it trusts, the address `trustedHops` proxies back in X-Forwarded-For (each proxy
 * appends the peer it saw, so the rightmost entries are the trusted ones; anything left of
 * them is the client's word). Off by default: a header anyone can send must not pick a country.
 */
export function clientIp(socketIp: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string | undefined {
  if (trustedHops <= 0 || forwardedFor === undefined) return socketIp;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .slice(0, 2000)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - trustedHops];
  return candidate !== undefined && isIP(candidate) ? candidate : socketIp;
}

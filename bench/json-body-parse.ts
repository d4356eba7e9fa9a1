/**
 * Request body parsing: the platform's `parseJsonBody` (JSON.parse, then a scan for `__proto__`
 * keys only when the text holds one) against secure-json-parse as Fastify's default parser runs
 * it (proto and constructor checks on), on the bodies the collector and commerce see.
 *
 *   npx tsx bench/json-body-parse.ts        (BENCH_ITERATIONS, default 2,000 per body and parser)
 *
 * Prints per body: size, and per parser p50 / p99 µs and MB/s. Both parsers run interleaved in
 * one process, so their ratio holds whatever else the machine does.
 */
import { parse as secureParse } from 'secure-json-parse';
import { parseJsonBody } from '../packages/platform/src/http/json-body.ts';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);

// What analytics.js sends per call: ~1 KB with page context and library metadata.
const event = (i: number) => ({
  type: 'track',
  event: 'Product Viewed',
  messageId: `ajs-next-${i}-0123456789abcdef0123456789abcdef`,
  anonymousId: '5f0c2a1e-8d4b-4f3e-9a7c-1b2d3e4f5a6b',
  userId: null,
  properties: { product_id: `p-${i}`, price: 19.99, currency: 'EUR', category: 'Lamps', constructor: 'Acme' },
  context: {
    page: { path: '/products/lamp', referrer: 'https://www.google.com/', search: '', title: 'Lamp', url: 'https://shop.example/products/lamp' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    locale: 'en-US',
    library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
  },
  timestamp: '2026-12-06T22:00:00.000Z',
  writeKey: 'wk_0123456789abcdef0123456789abcdef',
  sentAt: '2026-12-06T22:00:00.100Z',
  _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] },
});
const batch = (n: number, mark = '') => JSON.stringify({ batch: Array.from({ length: n }, (_, i) => event(i)), sentAt: '2026-12-06T22:00:00.100Z', note: mark });

const bodies: [string, string][] = [
  ['one event (analytics.js /v1/t)', JSON.stringify(event(1))],
  ['batch of 100 (/v1/batch)', batch(100)],
  ['batch of 450 (near the 500 KB limit)', batch(450)],
  ['batch of 100 with "__proto__" as a value (full scan)', batch(100, '"__proto__" is just text here')],
];

const parsers: [string, (text: string) => unknown][] = [
  ['parseJsonBody', parseJsonBody],
  ['secure-json-parse', (text) => secureParse(text, undefined, { protoAction: 'error', constructorAction: 'error' })],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

console.log(`iterations per body and parser: ${iterations}`);
for (const [name, text] of bodies) {
  const timings = parsers.map(() => [] as number[]);
  for (let i = 0; i < iterations; i++) {
    parsers.forEach(([, parse], p) => {
      const start = process.hrtime.bigint();
      parse(text);
      timings[p]!.push(Number(process.hrtime.bigint() - start) / 1000);
    });
  }
  const kb = Buffer.byteLength(text) / 1024;
  console.log(`\n${name}: ${kb.toFixed(1)} KB`);
  parsers.forEach(([parser], p) => {
    const sorted = timings[p]!.sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    console.log(`  ${parser.padEnd(18)} p50 ${p50.toFixed(1).padStart(8)} µs   p99 ${percentile(sorted, 99).toFixed(1).padStart(8)} µs   ${(kb / 1024 / (p50 / 1e6)).toFixed(0).padStart(5)} MB/s`);
  });
}

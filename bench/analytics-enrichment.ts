/**
 * What ingest enrichment costs the collector: `toAnalyticsEvent` over batches of 100 events with
 * varied user agents, addresses, screens, campaigns and referrers, without and with the enricher
 * (user agent parsing, two offline MMDB lookups, UTM and referrer grouping), rounds interleaved in
 * one process so both modes see the same load. `npm run bench:enrichment`; BENCH_EVENTS (default
 * 100,000), BENCH_ROUNDS (default 4), BENCH_CITY=0 to leave the 130 MB city database out.
 * Prints events/s, CPU ms per 1,000 events and per-batch latency percentiles for each mode; then
 * the speed layer's fold (PartitionBuffer over METRICS, both resolutions) of the same events with
 * and without their dimensions, since every dimension is a breakdown of the metrics about people.
 */
import { randomUUID } from 'node:crypto';
import { createEnricher, openGeoLookup, packagedCityDatabases } from '../analytics/src/collector/index.ts';
import { toAnalyticsEvent, type RequestContext } from '../analytics/src/collector/to-analytics-event.ts';
import { seededRandom } from '../analytics/src/demo/seeded-random.ts';
import { METRICS, type AnalyticsEvent } from '../analytics/src/contracts/index.ts';
import { PartitionBuffer } from '../analytics/src/speed/partition-buffer.ts';
import { cpuMsPerThousand, cpuSeconds } from './lib/proc-cpu.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CITY = process.env.BENCH_CITY !== '0';
const BATCH = 100;

const r = seededRandom(11);
const BROWSERS = ['Chrome/131.0.0.0 Safari/537.36', 'Firefox/128.0', 'Version/17.4 Safari/605.1.15', 'Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'];
const SYSTEMS = ['Windows NT 10.0; Win64; x64', 'Macintosh; Intel Mac OS X 10_15_7', 'X11; Linux x86_64', 'Linux; Android 14; Pixel 8', 'iPhone; CPU iPhone OS 17_0 like Mac OS X'];
const agents = Array.from({ length: 200 }, (_, i) => `Mozilla/5.0 (${r.pick(SYSTEMS)}) AppleWebKit/537.36 (KHTML, like Gecko) ${r.pick(BROWSERS)} v${i}`);
// Public-looking IPv4 addresses (first octet 11-99, 101-126), a few thousand visitors' worth.
const addresses = Array.from({ length: 5000 }, () => `${11 + r.below(115)}.${r.below(256)}.${r.below(256)}.${1 + r.below(254)}`);
const now = new Date();
const batches = Array.from({ length: EVENTS / BATCH }, () => ({
  ip: r.pick(addresses),
  ua: r.pick(agents),
  batch: Array.from({ length: BATCH }, (_, i) => ({
    type: i % 3 === 0 ? 'track' : 'page',
    event: 'Added To Cart',
    messageId: randomUUID(),
    anonymousId: `a${r.below(5000)}`,
    context: {
      page: { path: '/p', url: `https://shop.example/p${r() < 0.2 ? '?utm_source=newsletter&utm_medium=email' : ''}`, referrer: r.pick(['', 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://blog.example.org/x']) },
      screen: { width: r.pick([390, 820, 1440, 2560]), height: 900 },
      ...(r() < 0.1 ? { campaign: { source: 'partner', name: 'spring' } } : {}),
    },
    timestamp: now.toISOString(),
  })),
}));

const enrich = createEnricher({ geo: openGeoLookup(CITY ? { city: packagedCityDatabases() } : {}) });
const modes = { plain: undefined, enriched: enrich } as const;
const results = { plain: [] as Array<{ ms: number; cpu: string; p50: number; p99: number }>, enriched: [] as Array<{ ms: number; cpu: string; p50: number; p99: number }> };

for (let round = 0; round < ROUNDS; round++) {
  for (const mode of ['plain', 'enriched'] as const) {
    const latencies: number[] = [];
    const cpuBefore = cpuSeconds();
    const started = performance.now();
    let accepted = 0;
    for (const body of batches) {
      const t0 = performance.now();
      const request: RequestContext = { tenantId: 't', receivedAt: new Date(), userAgent: body.ua, clientIp: body.ip, maxEventBytes: 32_768, maxEventAgeDays: 730, ...(modes[mode] ? { enrich: modes[mode] } : {}) };
      body.batch.forEach((raw, index) => {
        if (toAnalyticsEvent(raw, undefined, index, request).ok) accepted++;
      });
      latencies.push(performance.now() - t0);
    }
    const ms = performance.now() - started;
    if (accepted !== EVENTS) throw new Error(`only ${accepted} of ${EVENTS} events converted`);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const row = { ms, cpu: cpuMsPerThousand(cpuBefore, cpuSeconds(), EVENTS), p50: at(0.5), p99: at(0.99) };
    results[mode].push(row);
    console.log(`round ${round + 1} ${mode.padEnd(8)} ${Math.round((EVENTS / ms) * 1000)} events/s, ${row.cpu} ms CPU per 1,000 events, batch of ${BATCH}: p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms`);
  }
}

const best = (mode: 'plain' | 'enriched') => results[mode].reduce((a, b) => (b.ms < a.ms ? b : a));
const plain = best('plain');
const enriched = best('enriched');
console.log(
  `\n${new Date().toISOString()}  enrichment (city db ${CITY ? 'on' : 'off'}), ${EVENTS} events in batches of ${BATCH}, best of ${ROUNDS}:` +
    `\n  without: ${Math.round((EVENTS / plain.ms) * 1000)} events/s, ${plain.cpu} ms CPU/1k, p50 ${plain.p50.toFixed(2)} ms, p99 ${plain.p99.toFixed(2)} ms per batch` +
    `\n  with:    ${Math.round((EVENTS / enriched.ms) * 1000)} events/s, ${enriched.cpu} ms CPU/1k, p50 ${enriched.p50.toFixed(2)} ms, p99 ${enriched.p99.toFixed(2)} ms per batch` +
    `\n  enriched / plain throughput: ${(plain.ms / enriched.ms).toFixed(2)}`,
);

// Downstream: what the dimensions cost the speed layer's fold (cells per event grow with the breakdowns).
const request = (body: (typeof batches)[number]): RequestContext => ({ tenantId: 't', receivedAt: now, userAgent: body.ua, clientIp: body.ip, maxEventBytes: 32_768, maxEventAgeDays: 730, enrich });
const withDimensions: AnalyticsEvent[] = batches.flatMap((body) => body.batch.map((raw, i) => toAnalyticsEvent(raw, undefined, i, request(body))).flatMap((r) => (r.ok ? [r.event] : [])));
const withoutDimensions = withDimensions.map(({ dimensions: _dropped, ...event }) => event);
const foldBest: Record<string, { ms: number; cells: number }> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, events] of [['without', withoutDimensions], ['with', withDimensions]] as const) {
    const started = performance.now();
    const buffer = new PartitionBuffer(0, 0, METRICS, 49 * 3_600_000);
    events.forEach((event, i) => buffer.add(i, event, now.getTime()));
    const cells = buffer.toBatch().cells.length;
    const ms = performance.now() - started;
    if (!foldBest[name] || ms < foldBest[name].ms) foldBest[name] = { ms, cells };
  }
}
const fold = (name: string) => `${Math.round((EVENTS / foldBest[name]!.ms) * 1000)} events/s, ${foldBest[name]!.cells} cells`;
console.log(`  speed-layer fold without dimensions: ${fold('without')}\n  speed-layer fold with dimensions:    ${fold('with')}\n  with / without fold throughput: ${(foldBest.without!.ms / foldBest.with!.ms).toFixed(2)}`);

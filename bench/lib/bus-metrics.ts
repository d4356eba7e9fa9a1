/** Per (subscriber, event type): attempts, mean wait from the event to its handler starting, mean handler run time. */
export interface BusTiming {
  subscriber: string;
  eventType: string;
  attempts: number;
  lagSumS: number;
  runSumS: number;
}

const SAMPLE = /^(event_delivery_lag_seconds|event_handler_duration_seconds)_(sum|count)\{([^}]*)\} ([0-9.e+-]+)$/;

/**
 * Sums the bus's own histograms (`event_delivery_lag_seconds`, `event_handler_duration_seconds`)
 * scraped from each app's `/metrics`: where a delivery's commit-to-done time goes, waiting or running.
 */
export async function busTimings(bases: readonly string[], token: string): Promise<Map<string, BusTiming>> {
  const out = new Map<string, BusTiming>();
  for (const base of bases) {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    for (const line of text.split('\n')) {
      const m = SAMPLE.exec(line);
      if (!m) continue;
      const labels = Object.fromEntries([...m[3]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      const key = `${labels.subscriber} ${labels.event_type}`;
      const t = out.get(key) ?? { subscriber: labels.subscriber!, eventType: labels.event_type!, attempts: 0, lagSumS: 0, runSumS: 0 };
      const value = Number(m[4]);
      if (m[1] === 'event_delivery_lag_seconds') {
        if (m[2] === 'sum') t.lagSumS += value;
        else t.attempts += value;
      } else if (m[2] === 'sum') t.runSumS += value;
      out.set(key, t);
    }
  }
  return out;
}

/** What happened between two scrapes. */
export function timingsBetween(before: Map<string, BusTiming>, after: Map<string, BusTiming>): BusTiming[] {
  return [...after.values()]
    .map((t) => {
      const b = before.get(`${t.subscriber} ${t.eventType}`);
      return { ...t, attempts: t.attempts - (b?.attempts ?? 0), lagSumS: t.lagSumS - (b?.lagSumS ?? 0), runSumS: t.runSumS - (b?.runSumS ?? 0) };
    })
    .filter((t) => t.attempts > 0)
    .sort((a, b) => `${a.subscriber} ${a.eventType}`.localeCompare(`${b.subscriber} ${b.eventType}`));
}

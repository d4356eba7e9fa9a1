import type { AnalyticsEvent, EventDimensions } from '../contracts/index.ts';
import { seededRandom } from './seeded-random.ts';

/*
 * Made-up shop traffic for the demo tenant, shaped like what the commerce app's tracking module
 * sends (page views of products, Product Viewed / Product Added / Checkout Started, Order
 * Completed with revenue in cents, identify at sign-in) with a day/night rhythm, quieter
 * weekends, a few campaigns and a trickle of bots. Deterministic: the same day always gives the
 * same events (the same messageIds), so a regenerated day is a duplicate, not extra traffic.
 */

const PRODUCTS = [
  { slug: 'trail-runner', category: 'shoes', price: 12_900 },
  { slug: 'city-sneaker', category: 'shoes', price: 8_900 },
  { slug: 'merino-socks', category: 'socks', price: 1_900 },
  { slug: 'rain-shell', category: 'jackets', price: 15_900 },
  { slug: 'down-vest', category: 'jackets', price: 11_900 },
  { slug: 'wool-beanie', category: 'accessories', price: 2_900 },
  { slug: 'canvas-tote', category: 'accessories', price: 2_400 },
  { slug: 'linen-shirt', category: 'shirts', price: 6_900 },
] as const;
const SOURCES = [
  { referrer: 'https://www.google.com/', label: 'Google', source: undefined, weight: 5 },
  { referrer: '', label: 'Direct', source: undefined, weight: 3 },
  { referrer: 'https://newsletter.demo.shop/', label: 'newsletter.demo.shop', source: 'newsletter', weight: 2 },
  { referrer: 'https://www.instagram.com/', label: 'Instagram', source: 'instagram', weight: 2 },
  { referrer: 'https://news.ycombinator.com/', label: 'Hacker News', source: undefined, weight: 1 },
] as const;
// What the collector's enrichment would have filled in (demo events skip the collector), per visitor.
const DEVICES: readonly EventDimensions[] = [
  { browser: 'Chrome', os: 'Windows', device: 'desktop', screen: 'xlarge' },
  { browser: 'Safari', os: 'iOS', device: 'mobile', screen: 'small' },
  { browser: 'Chrome', os: 'Android', device: 'mobile', screen: 'small' },
  { browser: 'Safari', os: 'macOS', device: 'desktop', screen: 'large' },
  { browser: 'Firefox', os: 'Linux', device: 'desktop', screen: 'large' },
  { browser: 'Edge', os: 'Windows', device: 'desktop', screen: 'large' },
  { browser: 'Safari', os: 'iOS', device: 'tablet', screen: 'medium' },
];
const PLACES: readonly EventDimensions[] = [
  { country: 'US', region: 'California' },
  { country: 'US', region: 'New York' },
  { country: 'GB', region: 'England' },
  { country: 'DE', region: 'Bavaria' },
  { country: 'FR', region: 'Ile-de-France' },
  { country: 'NL', region: 'North Holland' },
  { country: 'CA', region: 'Ontario' },
];
const VISITORS = 900;
const SIGNED_UP = 300;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Visits per hour: a day/night curve peaking mid-afternoon UTC, weekends at 70 %. */
function visitsIn(hourStart: number, perDay: number): number {
  const hour = new Date(hourStart).getUTCHours();
  const weekday = new Date(hourStart).getUTCDay();
  const curve = 0.25 + Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) * 1.6;
  return (perDay / 24) * curve * (weekday === 0 || weekday === 6 ? 0.7 : 1);
}

/**
 * The demo tenant's events whose time falls in [from, to): `visitsPerDay` visits on an average
 * weekday, each a few page views and track calls a few seconds to minutes apart.
 */
export function demoTraffic(tenantId: string, from: number, to: number, visitsPerDay = 300): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = [];
  for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
    const random = seededRandom(hour / HOUR_MS);
    const visits = Math.round(visitsIn(hour, visitsPerDay) * (0.8 + random() * 0.4));
    for (let v = 0; v < visits; v++) {
      const visitor = random.below(VISITORS);
      const signedIn = visitor < SIGNED_UP && random() < 0.6;
      const who = { anonymousId: `demo-visitor-${visitor}`, ...(signedIn ? { userId: `customer-${visitor}@demo.shop` } : {}) };
      let sourceRoll = random() * SOURCES.reduce((n, s) => n + s.weight, 0);
      const origin = SOURCES.find((s) => (sourceRoll -= s.weight) < 0) ?? SOURCES[0];
      const sessionId = `demo-s-${hour / HOUR_MS}-${v}`;
      const campaign = origin.source ? { campaign: { source: origin.source } } : {};
      const isBot = random() < 0.03;
      const visitorDimensions = { ...(isBot ? {} : DEVICES[visitor % DEVICES.length]), ...PLACES[(visitor * 5) % PLACES.length], ...(origin.source ? { utmSource: origin.source } : {}) };
      let at = hour + random.below(HOUR_MS);
      let n = 0;
      const push = (fields: Partial<AnalyticsEvent> & Pick<AnalyticsEvent, 'type'>, pagePath?: string) => {
        if (at >= to || at < from) return;
        const time = new Date(at).toISOString();
        events.push({
          tenantId,
          messageId: `demo-${hour / HOUR_MS}-${v}-${n++}`,
          ...who,
          timestamp: time,
          receivedAt: time,
          properties: {},
          context: {
            sessionId,
            ...campaign,
            ...(pagePath ? { page: { path: pagePath, referrer: n === 1 ? origin.referrer : 'https://demo.shop/' } } : {}),
            userAgent: isBot ? 'Mozilla/5.0 (compatible; Googlebot/2.1)' : 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131',
          },
          isBot,
          dimensions: { ...visitorDimensions, ...(fields.type === 'page' ? { referrer: n === 1 ? origin.label : 'Direct' } : {}) },
          ...fields,
        });
        at += 5_000 + random.below(90_000);
      };
      push({ type: 'page', event: 'Home' }, '/');
      if (signedIn && random() < 0.2) push({ type: 'identify', traits: { plan: random() < 0.3 ? 'member' : 'guest' } });
      const viewed = 1 + random.below(4);
      let added: (typeof PRODUCTS)[number] | undefined;
      for (let p = 0; p < viewed; p++) {
        const product = random.pick(PRODUCTS);
        push({ type: 'page', event: 'Product', properties: { path: `/products/${product.slug}`, category: product.category } }, `/products/${product.slug}`);
        push({ type: 'track', event: 'Product Viewed', properties: { product_id: product.slug, category: product.category, price: product.price / 100 } });
        if (!isBot && !added && random() < 0.25) {
          added = product;
          push({ type: 'track', event: 'Product Added', properties: { product_id: product.slug, category: product.category, quantity: 1 } });
        }
      }
      if (added && random() < 0.45) {
        const orderId = `demo-order-${hour / HOUR_MS}-${v}`;
        push({ type: 'track', event: 'Checkout Started', properties: { order_id: orderId } });
        if (random() < 0.75) {
          const quantity = 1 + random.below(2);
          push({ type: 'track', event: 'Order Completed', properties: { order_id: orderId, revenue: (added.price * quantity) / 100, category: added.category } });
        }
      }
    }
  }
  return events.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}

export const DEMO_DAY_MS = DAY_MS;

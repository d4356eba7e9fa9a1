import type { LakeStore } from './lake-store.ts';
import { watermarkKey } from './layout.ts';

/** The tenant's B: every bucket before it is covered by a durable batch view. Null before the first. */
export async function readWatermark(lake: LakeStore, tenantId: string): Promise<number | null> {
  const bytes = await lake.get(watermarkKey(tenantId));
  if (!bytes) return null;
  const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { watermark?: unknown };
  const instant = typeof parsed.watermark === 'string' ? Date.parse(parsed.watermark) : NaN;
  if (!Number.isFinite(instant)) throw new Error(`Corrupt watermark for tenant ${tenantId}`);
  return instant;
}

export async function writeWatermark(lake: LakeStore, tenantId: string, instant: number): Promise<void> {
  await lake.put(watermarkKey(tenantId), Buffer.from(`${JSON.stringify({ watermark: new Date(instant).toISOString() })}\n`));
}

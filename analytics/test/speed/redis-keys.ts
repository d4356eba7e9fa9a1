import { Redis } from 'ioredis';

/** Deletes a test run's keys with SCAN + UNLINK (KEYS would block a shared Redis). */
export async function removeKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
  await client.quit();
}

import { readPosition } from '../../src/archive/index.ts';
import { createNatsLog, type EventLog } from '../../src/log/index.ts';
import { createRedisAggregateStore } from '../../src/speed/index.ts';
import type { AggregateStore } from '../../src/contracts/index.ts';
import { createLocalObjectStore, type ObjectStore } from '../../src/storage/index.ts';
import type { ScaleOutTopology } from './topology.ts';

/** Per partition: where the log ends, and the next offset each consumer role will read. */
export interface Progress {
  logEnds: number[];
  speed: number[];
  archive: number[];
}

export interface ProgressProbe {
  read(): Promise<Progress>;
  /** True when both roles have consumed every partition to its end. */
  caughtUp(progress: Progress): boolean;
  close(): Promise<void>;
}

/** The sum of a per-partition array over `partitions` (default: all). */
export function sumOver(values: readonly number[], partitions?: readonly number[]): number {
  return (partitions ?? values.map((_, p) => p)).reduce((total, p) => total + (values[p] ?? 0), 0);
}

/**
 * Reads the consumers' durable positions where they keep them (speed layer: Redis hash beside
 * its views; archiver: position objects in the lake) and the log's ends from NATS, so a test
 * can wait for "everything consumed" instead of sleeping.
 *
 * @example
 * const probe = await openProgressProbe(topology);
 * await until('caught up', async () => probe.caughtUp(await probe.read()));
 */
export async function openProgressProbe(topology: ScaleOutTopology): Promise<ProgressProbe> {
  const partitions = Array.from({ length: topology.partitions }, (_, p) => p);
  const log: EventLog = await createNatsLog({ servers: topology.engines.natsUrl, streamPrefix: topology.streamPrefix, partitions: topology.partitions });
  const views: AggregateStore = createRedisAggregateStore(topology.engines.redisUrl, { prefix: topology.redisPrefix });
  const lake: ObjectStore = await createLocalObjectStore(topology.lakeDir);
  return {
    async read() {
      const [ends, speed, archive] = await Promise.all([
        Promise.all(partitions.map(async (p) => (await log.bounds(p)).next)),
        views.positions(partitions),
        Promise.all(partitions.map(async (p) => (await readPosition(lake, p)) ?? 0)),
      ]);
      return { logEnds: ends, speed: partitions.map((p) => speed.get(p) ?? 0), archive };
    },
    caughtUp(progress) {
      return partitions.every((p) => progress.speed[p] === progress.logEnds[p] && progress.archive[p] === progress.logEnds[p]);
    },
    async close() {
      await views.close();
      await log.close();
      await lake.close();
    },
  };
}

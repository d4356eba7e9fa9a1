import { HyperLogLog } from '../sketches/index.ts';
import type { AggregateStore, BatchOutcome, CellDelta, PartitionBatch } from '../contracts/index.ts';

/** The side of a `MessagePort` or `Worker` the channel uses. */
export interface ChannelEnd {
  postMessage(value: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

/** A cell as it crosses threads: sketches as their bytes (structured clone drops class prototypes). */
type WireCell = Omit<CellDelta, 'kind' | 'amount' | 'sketch' | 'items'> &
  ({ kind: 'count' | 'sum'; amount: number } | { kind: 'unique'; sketch: Uint8Array } | { kind: 'topk'; items: Map<string, number> });
type WireBatch = Omit<PartitionBatch, 'cells'> & { cells: WireCell[] };

type Request = { channel: 'store'; id: number } & ({ op: 'applyBatch'; batches: WireBatch[] } | { op: 'positions'; partitions: number[] });
type Reply = { channel: 'store'; id: number } & ({ ok: true; value: unknown } | { ok: false; message: string });

const isRequest = (value: unknown): value is Request => (value as Request | null)?.channel === 'store' && 'op' in (value as object);
const isReply = (value: unknown): value is Reply => (value as Reply | null)?.channel === 'store' && 'ok' in (value as object);

function toWire(batch: PartitionBatch, transfer: ArrayBuffer[]): WireBatch {
  const cells = batch.cells.map((cell): WireCell => {
    if (cell.kind !== 'unique') return cell;
    const sketch = cell.sketch.toBytes();
    transfer.push(sketch.buffer as ArrayBuffer);
    return { ...cell, sketch };
  });
  return { ...batch, cells };
}

function fromWire(batch: WireBatch): PartitionBatch {
  const cells = batch.cells.map((cell): CellDelta => (cell.kind === 'unique' ? { ...cell, sketch: HyperLogLog.fromBytes(cell.sketch) } : cell));
  return { ...batch, cells };
}

/**
 * The store as a speed worker thread sees it: `applyBatch` and `positions` are answered by the
 * thread that owns the store (`serveAggregateStore`), so the checks that make a flush
 * effectively-once (stored position, purge fence) run where the cells live, one batch at a time,
 * exactly as for a consumer on that thread. Nothing else is needed by the fold loop; the other
 * operations belong to the owner and refuse here.
 */
export function aggregateStoreOverChannel(end: ChannelEnd, retention: AggregateStore['retention']): AggregateStore {
  let next = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listener = (message: unknown) => {
    if (!isReply(message)) return;
    const call = waiting.get(message.id);
    if (!call) return;
    waiting.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new Error(message.message));
  };
  end.on('message', listener);
  const call = <T>(request: Request, transfer: ArrayBuffer[] = []) =>
    new Promise<T>((resolve, reject) => {
      waiting.set(request.id, { resolve: resolve as (value: unknown) => void, reject });
      end.postMessage(request, transfer);
    });
  const ownerOnly = (name: string) => () => Promise.reject(new Error(`${name} is done by the thread that owns the aggregate store`));
  return {
    retention,
    applyBatch(batches) {
      const transfer: ArrayBuffer[] = [];
      const wire = batches.map((b) => toWire(b, transfer));
      return call<BatchOutcome[]>({ channel: 'store', id: next++, op: 'applyBatch', batches: wire }, transfer);
    },
    positions(partitions) {
      return call<Map<number, number>>({ channel: 'store', id: next++, op: 'positions', partitions });
    },
    read: ownerOnly('read'),
    tenantStatus: ownerOnly('tenantStatus'),
    applyCells: ownerOnly('applyCells'),
    clear: ownerOnly('clear'),
    purgeTenant: ownerOnly('purgeTenant'),
    ping: async () => {},
    async close() {
      end.off('message', listener);
      for (const pending of waiting.values()) pending.reject(new Error('aggregate store channel closed'));
      waiting.clear();
    },
  };
}

/**
 * Answers a speed worker's `applyBatch` and `positions` from `store` (the owner's side of
 * `aggregateStoreOverChannel`). Returns the function that stops answering.
 */
export function serveAggregateStore(end: ChannelEnd, store: AggregateStore): () => void {
  const listener = (message: unknown) => {
    if (!isRequest(message)) return;
    const work = message.op === 'applyBatch' ? store.applyBatch(message.batches.map(fromWire)) : store.positions(message.partitions);
    work.then(
      (value) => end.postMessage({ channel: 'store', id: message.id, ok: true, value } satisfies Reply),
      (error: unknown) => end.postMessage({ channel: 'store', id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies Reply),
    );
  };
  end.on('message', listener);
  return () => end.off('message', listener);
}

import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** How long a batch may wait for its JetStream acks before the append fails. */
const ACK_TIMEOUT_MS = 30_000;

interface Batch {
  seqs: number[];
  remaining: number;
  ids: number[];
  timer: NodeJS.Timeout;
  resolve: (seqs: number[]) => void;
  reject: (err: Error) => void;
}

/**
 * Publishes to JetStream with every message in flight at once and collects the acks on one
 * shared inbox subscription. `js.publish` makes one request (inbox entry, timer, promise) per
 * message, which measured about 4x slower on this machine; here a batch costs one timer.
 */
export class NatsPublishPipeline {
  private readonly inbox = createInbox();
  private readonly sub: Subscription;
  private readonly pending = new Map<number, { batch: Batch; index: number }>();
  private nextId = 0;

  constructor(private readonly nc: NatsConnection) {
    this.sub = nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.onAck(msg) });
  }

  /** Resolves with the stream sequence of each message, in input order, once all are stored. */
  publishAll(messages: { subject: string; data: string }[]): Promise<number[]> {
    if (messages.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const batch: Batch = {
        seqs: new Array<number>(messages.length),
        remaining: messages.length,
        ids: [],
        timer: setTimeout(() => this.fail(batch, new Error(`JetStream did not acknowledge within ${ACK_TIMEOUT_MS} ms`)), ACK_TIMEOUT_MS),
        resolve,
        reject,
      };
      for (const [index, { subject, data }] of messages.entries()) {
        const id = this.nextId++;
        batch.ids.push(id);
        this.pending.set(id, { batch, index });
        this.nc.publish(subject, data, { reply: `${this.inbox}.${id}` });
      }
    });
  }

  close(): void {
    this.sub.unsubscribe();
    const batches = new Set([...this.pending.values()].map((p) => p.batch));
    for (const batch of batches) this.fail(batch, new Error('event log closed before JetStream acknowledged'));
  }

  private onAck(msg: Msg): void {
    const entry = this.pending.get(Number(msg.subject.slice(this.inbox.length + 1)));
    if (!entry) return;
    const { batch, index } = entry;
    this.pending.delete(batch.ids[index]!);
    if (msg.headers?.code === 503) return this.fail(batch, new Error('no JetStream stream listens on the subject (503)'));
    const ack = JSON.parse(msg.string()) as { seq?: number; error?: { description?: string } };
    if (ack.error || typeof ack.seq !== 'number') {
      return this.fail(batch, new Error(`JetStream rejected a publish: ${ack.error?.description ?? msg.string()}`));
    }
    batch.seqs[index] = ack.seq;
    if (--batch.remaining === 0) {
      clearTimeout(batch.timer);
      batch.resolve(batch.seqs);
    }
  }

  private fail(batch: Batch, err: Error): void {
    clearTimeout(batch.timer);
    for (const id of batch.ids) this.pending.delete(id);
    batch.remaining = -1;
    batch.reject(err);
  }
}

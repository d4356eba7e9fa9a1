import { createInbox, type Msg, nanos, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import type { AnalyticsEvent } from '../contracts/index.ts';
import type { LogRecord } from './event-log.ts';

interface Pull {
  remaining: number;
  waiting: boolean;
}

/** How long to wait for the server to answer a no-wait pull before declaring the consumer lost. */
const ANSWER_TIMEOUT_MS = 10_000;
/** How long an unanswered no-wait pull waits before checking that its consumer still exists. */
const CONSUMER_CHECK_MS = 500;

/**
 * Positioned reads of one partition stream. Behind it sits an ephemeral, unacknowledged pull
 * consumer that starts at the requested sequence; pulls fetch up to `max` messages per round trip.
 * Messages a long-poll pull delivers after a read has returned are kept in a buffer, so a
 * reader that continues where it stopped (the usual case) reuses the consumer; any other
 * `from` recreates it there. Not safe for concurrent reads: `NatsLog` serialises them.
 */
export class NatsPartitionReader {
  private consumer: string | undefined;
  private sub: Subscription | undefined;
  private inbox = '';
  private buffer: LogRecord[] = [];
  /** Offset after the last message the consumer delivered: where it stands. */
  private position = 0;
  private pulls = new Map<number, Pull>();
  private nextPullId = 0;
  private broken = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly partition: number,
  ) {}

  async read(requested: number, max: number, waitMs: number, retried = false): Promise<LogRecord[]> {
    const from = Math.max(0, requested);
    if (!this.positionedAt(from)) await this.reset(from);
    this.buffer = this.buffer.filter((r) => r.offset >= from);

    // Catch up: one no-wait pull fetches what is stored now; when its end status arrives,
    // everything delivered before it (to it or an earlier long poll) is in the buffer.
    if (this.buffer.length < max) {
      const id = this.pull(max - this.buffer.length, 0);
      const giveUp = Date.now() + ANSWER_TIMEOUT_MS;
      let checkAt = Date.now() + CONSUMER_CHECK_MS;
      while (this.pulls.has(id) && !this.broken && !this.stopped) {
        if (Date.now() >= giveUp) this.broken = true;
        else await this.nextEvent(Math.min(checkAt, giveUp) - Date.now());
        // A pull sent to a consumer the server has removed gets no answer at all: ask whether it is
        // still there once the pull has been open that long. Not on every delivery: a pull of a
        // thousand messages wakes this loop hundreds of times, and each question is a JetStream API call.
        if (Date.now() >= checkAt && this.pulls.has(id) && !this.broken && !this.stopped) {
          if (!(await this.consumerExists())) this.broken = true;
          checkAt = Date.now() + CONSUMER_CHECK_MS;
        }
      }
      if (this.broken && !this.stopped) {
        // Consumer lost (server restart, inactivity): start again at the same place, once.
        if (retried) throw new Error(`JetStream stream ${this.stream} does not answer pulls`);
        await this.reset(from);
        return this.read(from, max, waitMs, true);
      }
    }

    const deadline = Date.now() + waitMs;
    while (this.buffer.length === 0 && Date.now() < deadline && !this.broken && !this.stopped) {
      if (![...this.pulls.values()].some((p) => p.waiting)) this.pull(max, deadline - Date.now());
      await this.nextEvent(deadline - Date.now());
    }
    return this.buffer.splice(0, max);
  }

  /** Ends a waiting read now (it returns what it has); used when the log closes. */
  stop(): void {
    this.stopped = true;
    this.signal();
  }

  async close(): Promise<void> {
    this.stop();
    await this.dropConsumer();
  }

  private positionedAt(from: number): boolean {
    if (!this.consumer || this.broken) return false;
    const firstBuffered = this.buffer[0]?.offset ?? this.position;
    return firstBuffered <= from && from <= this.position;
  }

  private async reset(from: number): Promise<void> {
    await this.dropConsumer();
    this.broken = false;
    this.buffer = [];
    this.pulls.clear();
    this.position = from;
    const info = await this.jsm.consumers.add(this.stream, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from + 1,
      // The server removes a consumer its reader abandoned (crashed process) after this long.
      inactive_threshold: nanos(5 * 60_000),
      mem_storage: true,
    });
    this.consumer = info.name;
    this.inbox = createInbox();
    this.sub = this.nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => (err ? this.fail() : this.onMessage(msg)) });
  }

  private async consumerExists(): Promise<boolean> {
    if (!this.consumer) return false;
    try {
      await this.jsm.consumers.info(this.stream, this.consumer);
      return true;
    } catch (err) {
      if (err instanceof Error && /not found/i.test(err.message)) return false;
      throw err;
    }
  }

  private async dropConsumer(): Promise<void> {
    this.sub?.unsubscribe();
    this.sub = undefined;
    const name = this.consumer;
    this.consumer = undefined;
    if (name) await this.jsm.consumers.delete(this.stream, name).catch(() => {});
  }

  private pull(batch: number, expiresMs: number): number {
    const id = this.nextPullId++;
    const waiting = expiresMs > 0;
    this.pulls.set(id, { remaining: batch, waiting });
    const request = waiting ? { batch, expires: nanos(Math.max(1, Math.ceil(expiresMs))) } : { batch, no_wait: true };
    this.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.stream}.${this.consumer}`, JSON.stringify(request), {
      reply: `${this.inbox}.${id}`,
    });
    return id;
  }

  private onMessage(msg: Msg): void {
    const status = msg.headers?.code ?? 0;
    if (status > 0 && msg.data.length === 0) {
      const id = Number(msg.subject.slice(this.inbox.length + 1));
      // 404 no messages / 408 expired end a pull; 409 may mean the consumer is gone; 503: nobody answers.
      if (status === 100) return;
      this.pulls.delete(id);
      if (status === 503 || (status === 409 && /deleted/i.test(msg.headers?.description ?? ''))) this.broken = true;
      this.signal();
      return;
    }
    const seq = streamSequence(msg.reply ?? '');
    if (seq === undefined || seq - 1 < this.position) return;
    const { k, v } = JSON.parse(msg.string()) as { k: string; v: AnalyticsEvent };
    this.buffer.push({ partition: this.partition, offset: seq - 1, key: k, value: v });
    this.position = seq;
    // The server serves pulls first come first served: the oldest open pull got this message.
    for (const [id, pull] of this.pulls) {
      if (--pull.remaining === 0) this.pulls.delete(id);
      break;
    }
    this.signal();
  }

  private fail(): void {
    this.broken = true;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/**
 * The stream sequence from a JetStream ack subject:
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` or, on newer servers,
 * the same with `<domain>.<account hash>` after `$JS.ACK` and a trailing token.
 */
function streamSequence(reply: string): number | undefined {
  if (!reply.startsWith('$JS.ACK.')) return undefined;
  // Token boundaries found in place: splitting made a dozen strings for every message read.
  const dots: number[] = [];
  for (let at = reply.indexOf('.'); at !== -1; at = reply.indexOf('.', at + 1)) dots.push(at);
  const index = dots.length + 1 === 9 ? 5 : 7;
  if (index >= dots.length) return undefined;
  const seq = Number(reply.slice(dots[index - 1]! + 1, dots[index]));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

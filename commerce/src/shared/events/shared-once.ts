import type { Database, Sql } from '../database/index.ts';
import { handledPair, markHandledAndDone } from './delivery.repository.ts';

/** One delivery, as the shared transaction fences and completes it. */
export interface OnceMember {
  subscriber: string;
  id: number;
  attempts: number;
  eventId: string;
}

export interface OnceOutcome {
  /** The subscriber had not handled the event before: its work ran and committed. */
  first: boolean;
  /** The delivery was still this attempt's and is now done, committed with the work. */
  done: boolean;
}

export interface SharedOnce {
  /** `context.once` of a member: resolves after the shared transaction committed, rejects with its work's error. */
  join(member: OnceMember, work: (tx: Sql) => Promise<void>): Promise<OnceOutcome>;
  /** The member's handler finished or failed: nobody waits for it any more. */
  leave(member: OnceMember): void;
}

export interface Joined {
  member: OnceMember;
  work: (tx: Sql) => Promise<void>;
  settle: (outcome: OnceOutcome) => void;
  fail: (error: unknown) => void;
}

class MemberFailed {
  constructor(
    readonly joined: Joined,
    readonly error: unknown,
  ) {}
}

/**
 * The `once` transactions of the deliveries of one event that this instance started together,
 * run as one: one BEGIN/COMMIT, one statement for every inbox mark and completion, then each
 * member's work in turn. It is handed to the committer at the end of the event-loop turn in which
 * the first member joined, or as soon as every member has joined or left: members whose handler
 * calls `once` at once share it, and none waits for a sibling that reads, calls a gateway or
 * renders first (its `once` runs in a transaction of its own, so a slow or lock-bound sibling never
 * holds back the others' commit). The committer may run it together with other events' batches
 * for the same handlers (see `createOnceCommitter`).
 */
export function createSharedOnce(committer: OnceCommitter, eventType: string, started: Iterable<OnceMember>): SharedOnce {
  const waitingFor = new Set(started);
  const joined: Joined[] = [];
  let turnEnding = false;

  function start(): void {
    if (joined.length === 0) return;
    const batch = joined.splice(0);
    const handlers = [...new Set(batch.map((j) => j.member.subscriber))].sort().join(',');
    committer.submit(`${eventType}\u0000${handlers}`, batch);
  }

  function startWhenComplete(): void {
    if (joined.length === 0) return;
    if (waitingFor.size === 0) return start();
    if (turnEnding) return;
    turnEnding = true;
    setImmediate(() => {
      turnEnding = false;
      start();
    });
  }

  return {
    join(member, work) {
      return new Promise<OnceOutcome>((settle, fail) => {
        waitingFor.delete(member);
        joined.push({ member, work, settle, fail });
        startWhenComplete();
      });
    },
    leave(member) {
      if (waitingFor.delete(member)) startWhenComplete();
    },
  };
}

export interface OnceCommitter {
  /** Runs `batch` in a shared transaction, with other batches of the same `key` (one event type, the same handlers) when they wait together. */
  submit(key: string, batch: Joined[]): void;
}

/** Shared transactions of one key in flight at once; batches arriving meanwhile wait and then go as one. */
const IN_FLIGHT_PER_KEY = 1;
/** Members in one shared transaction at most: one member's failure reruns all the others. */
const MAX_MEMBERS = 64;

/**
 * Group commit for `once` work. Batches of one key (the same handlers of one event type, each
 * delivery about a different event) that are handed over in the same event-loop turn, or while the
 * key's previous transaction runs, share one transaction: one BEGIN, one mark-and-complete
 * statement, each member's work in turn, one COMMIT. At a low rate a batch starts in the next turn
 * alone; under load the batches grow with the rate instead of the transactions. Handlers of
 * different keys never share: a handler that serializes on a row (the invoice number) holds back
 * only its own kind.
 *
 * Members stay independent: when one member's work throws, the whole transaction rolls back (so
 * nothing of anyone's is committed), that member's `once` rejects with its error (its handler
 * fails and its delivery is retried alone, as with a transaction of its own), and the others run
 * again without it in a new transaction. A work may therefore run twice in one attempt, the first
 * time rolled back: like a retry, it must do its effects through `tx`.
 */
export function createOnceCommitter(db: Database, instanceId: string): OnceCommitter {
  const lanes = new Map<string, { running: number; queued: Joined[] }>();
  const due = new Set<string>();
  let scheduled = false;

  /** Takes up to MAX_MEMBERS queued members, at most one per (subscriber, event): a second waits for the next transaction. */
  function take(queued: Joined[]): Joined[] {
    const taken: Joined[] = [];
    const pairs = new Set<string>();
    for (let i = 0; i < queued.length && taken.length < MAX_MEMBERS; ) {
      const pair = handledPair(queued[i]!.member.subscriber, queued[i]!.member.eventId);
      if (pairs.has(pair)) i++;
      else {
        pairs.add(pair);
        taken.push(...queued.splice(i, 1));
      }
    }
    return taken;
  }

  function startLane(key: string): void {
    const lane = lanes.get(key);
    if (!lane) return;
    while (lane.running < IN_FLIGHT_PER_KEY && lane.queued.length > 0) {
      lane.running++;
      void commitTogether(take(lane.queued)).finally(() => {
        lane.running--;
        if (lane.queued.length > 0) startLane(key);
        else if (lane.running === 0) lanes.delete(key);
      });
    }
  }

  async function commitTogether(batch: Joined[]): Promise<void> {
    let members = batch;
    while (members.length > 0) {
      try {
        const marked = await db.transaction(async (tx) => {
          const outcome = await markHandledAndDone(tx, instanceId, members.map((j) => j.member));
          for (const j of members) {
            if (!outcome.first.has(handledPair(j.member.subscriber, j.member.eventId))) continue;
            try {
              await j.work(tx);
            } catch (error) {
              throw new MemberFailed(j, error);
            }
          }
          return outcome;
        });
        for (const j of members) {
          j.settle({ first: marked.first.has(handledPair(j.member.subscriber, j.member.eventId)), done: marked.done.has(j.member.id) });
        }
        return;
      } catch (error) {
        if (!(error instanceof MemberFailed)) {
          // The transaction itself failed (database gone, COMMIT refused): nothing committed, every member retries.
          for (const j of members) j.fail(error);
          return;
        }
        error.joined.fail(error.error);
        members = members.filter((j) => j !== error.joined);
      }
    }
  }

  return {
    submit(key, batch) {
      const lane = lanes.get(key) ?? { running: 0, queued: [] };
      lanes.set(key, lane);
      lane.queued.push(...batch);
      due.add(key);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        const keys = [...due];
        due.clear();
        for (const k of keys) startLane(k);
      });
    },
  };
}

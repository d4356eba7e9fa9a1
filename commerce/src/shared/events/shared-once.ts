import type { Database, Sql } from '../database/index.ts';
import { markHandledAndDone, runMarkedWork } from './delivery.repository.ts';
import type { OnceStatement } from './event-handler.ts';

/** One delivery of the event, as the shared transaction fences and completes it. */
export interface OnceMember {
  subscriber: string;
  id: number;
  attempts: number;
}

export interface OnceOutcome {
  /** The subscriber had not handled the event before: its work ran and committed. */
  first: boolean;
  /** The delivery was still this attempt's and is now done, committed with the work. */
  done: boolean;
}

export interface SharedOnce {
  /**
   * `context.once` of a member: resolves after the shared transaction committed, rejects with its work's error.
   * `first` (`onceStartingWith`) runs before `work`, which gets its result.
   */
  join(member: OnceMember, work: (tx: Sql, result: unknown) => Promise<void>, first?: OnceStatement): Promise<OnceOutcome>;
  /** The member's handler finished or failed: nobody waits for it any more. */
  leave(member: OnceMember): void;
}

interface Joined {
  member: OnceMember;
  work: (tx: Sql, result: unknown) => Promise<void>;
  first: OnceStatement | undefined;
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
 * member's work in turn. It starts at the end of the event-loop turn in which the first member
 * joined, or as soon as every member has joined or left: members whose handler calls `once` at
 * once share it, and none waits for a sibling that reads, calls a gateway or renders first (its
 * `once` runs in a transaction of its own, so a slow or lock-bound sibling never holds back the
 * others' commit).
 *
 * Members stay independent: when one member's work throws, the whole transaction rolls back (so
 * nothing of anyone's is committed), that member's `once` rejects with its error (its handler
 * fails and its delivery is retried alone, as with a transaction of its own), and the others run
 * again without it in a new transaction. A work may therefore run twice in one attempt, the first
 * time rolled back: like a retry, it must do its effects through `tx`. A member's first statement
 * (`onceStartingWith`) joins the marks' statement (one member's; any further ones run as statements
 * of their own before their work).
 */
export function createSharedOnce(db: Database, eventId: string, instanceId: string, started: Iterable<OnceMember>): SharedOnce {
  const waitingFor = new Set(started);
  const joined: Joined[] = [];
  let turnEnding = false;

  function start(): void {
    if (joined.length > 0) void commitTogether(joined.splice(0));
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

  async function commitTogether(batch: Joined[]): Promise<void> {
    let members = batch;
    while (members.length > 0) {
      try {
        const marked = await db.transaction(async (tx) => {
          // One member's first statement (`onceStartingWith`) rides in the marks' statement, and its failure
          // is taken for that member's: if the database is what failed, the others' next try fails as well.
          const headed = members.find((j) => j.first);
          let outcome;
          try {
            outcome = await markHandledAndDone(tx, eventId, instanceId, members.map((j) => j.member), headed && { subscriber: headed.member.subscriber, work: headed.first! });
          } catch (error) {
            if (headed) throw new MemberFailed(headed, error);
            throw error;
          }
          for (const j of members) {
            if (!outcome.first.has(j.member.subscriber)) continue;
            try {
              const result = j === headed ? outcome.result : j.first ? await runMarkedWork(tx, j.first) : undefined;
              await j.work(tx, result);
            } catch (error) {
              throw new MemberFailed(j, error);
            }
          }
          return outcome;
        });
        for (const j of members) j.settle({ first: marked.first.has(j.member.subscriber), done: marked.done.has(j.member.id) });
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
    join(member, work, first) {
      return new Promise<OnceOutcome>((settle, fail) => {
        waitingFor.delete(member);
        joined.push({ member, work, first, settle, fail });
        startWhenComplete();
      });
    },
    leave(member) {
      if (waitingFor.delete(member)) startWhenComplete();
    },
  };
}

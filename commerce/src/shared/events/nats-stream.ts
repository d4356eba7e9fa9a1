import type { JetStreamManager } from '@nats-io/jetstream';

/** Where an event type lives in JetStream: `<prefix>.<module>.<event>.v<n>`, so `<prefix>.payments.>` selects a module. */
export function eventSubject(prefix: string, eventType: string): string {
  return `${prefix}.${eventType}`;
}

/**
 * Makes sure the stream exists and captures `<prefix>.>`; both sides call it so neither
 * process has to start first. JetStream deduplicates on `Nats-Msg-Id` within the stream's
 * duplicate window (2 minutes by default); the inbox covers anything older.
 */
export async function ensureEventStream(jsm: JetStreamManager, stream: string, prefix: string): Promise<void> {
  const subject = `${prefix}.>`;
  try {
    const info = await jsm.streams.info(stream);
    if (!info.config.subjects?.includes(subject)) {
      await jsm.streams.update(stream, { subjects: [...(info.config.subjects ?? []), subject] });
    }
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    await jsm.streams.add({ name: stream, subjects: [subject] });
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}

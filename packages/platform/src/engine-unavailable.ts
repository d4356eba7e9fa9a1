/**
 * Thrown by an engine adapter when its engine cannot be reached for now (a database failing
 * over, a connection cut mid-statement). The HTTP layer answers 503 with Retry-After, so a client
 * knows to retry instead of treating it as a bug. What the request was doing may or may not have
 * happened: a write that is retried must carry its idempotency key.
 */
export class EngineUnavailableError extends Error {
  constructor(
    readonly engine: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineUnavailableError';
  }
}

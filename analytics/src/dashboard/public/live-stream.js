import { ApiError, call } from './api.js';
import { SseParser } from './sse-parser.js';

const MAX_BACKOFF_MS = 15_000;

/**
 * Follows `/v1/stream` through the SDK, reading the body as a stream (EventSource cannot send the
 * Bearer header). Reconnects with backoff after a network failure, a server error or the end
 * of the stream; stops for good on a rejected key or a bad request, which a retry cannot fix.
 *
 * onUpdate(result) for each `update` event; onState({ state: 'live' | 'retrying' | 'stopped', error?, retryInMs? }).
 */
export function openLiveStream({ params, key, onUpdate, onState }) {
  const controller = new AbortController();
  let backoff = 1000;

  const wait = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      controller.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });

  const retry = async (error) => {
    onState({ state: 'retrying', error, retryInMs: backoff });
    await wait(backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  (async () => {
    while (!controller.signal.aborted) {
      let body;
      try {
        ({ data: body } = await call('GET', '/v1/stream', { params, key, accept: 'text/event-stream', signal: controller.signal, parseAs: 'stream' }));
      } catch (error) {
        if (controller.signal.aborted) return;
        if (!(error instanceof ApiError) || !error.retryable) {
          onState({ state: 'stopped', error });
          return;
        }
        await retry(error);
        continue;
      }
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader = body.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(decoder.decode(value, { stream: true }))) {
            if (message.event === 'update') {
              backoff = 1000;
              onState({ state: 'live' });
              onUpdate(JSON.parse(message.data));
            } else if (message.event === 'error') {
              onState({ state: 'retrying', error: new ApiError('server', JSON.parse(message.data).message ?? 'update failed'), retryInMs: 1000 });
            }
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      if (controller.signal.aborted) return;
      await retry(new ApiError('network', 'The live stream was interrupted.'));
    }
  })();

  return { close: () => controller.abort() };
}

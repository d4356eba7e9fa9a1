import { z } from 'zod';
import { defineEvent } from '../../../shared/events/index.ts';

/**
 * Internal to payments (not exported from `index.ts`, not relayed): written in the same
 * transaction that moves a payment to `authorized`, and only by the one fact that moves it,
 * so exactly one capture is asked for per payment however many parties raced to authorize.
 * The bus then retries the capture with backoff while the gateway is unreachable.
 */
export const CaptureRequested = defineEvent(
  'payments.capture_requested.v1',
  z.object({ paymentId: z.uuid(), orderId: z.uuid(), intentId: z.string().min(1) }),
);

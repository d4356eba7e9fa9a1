import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSandboxGateway } from './sandbox.gateway.ts';
import { httpWebhookSink } from './webhook-sink.ts';

describe('sandbox gateway webhooks over HTTP', () => {
  it('posts each signed webhook to the URL it is given, verifiable by the receiving gateway', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    let arrived: () => void = () => {};
    const twoArrived = new Promise<void>((resolve) => (arrived = resolve));
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString(), signature: req.headers['stripe-signature'] as string | undefined });
        res.writeHead(204).end();
        if (received.length === 2) arrived();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/payments`;
      const gateway = createSandboxGateway({ webhookSecret: 'whsec_http', deliver: httpWebhookSink(url) });
      const r = await gateway.createPaymentIntent({ orderId: 'ord_h', amountMinor: 100, currency: 'EUR', paymentMethod: '4242 4242 4242 4242', idempotencyKey: 'a:ord_h' });
      if (r.status !== 'authorized') throw new Error(r.status);
      await gateway.capture(r.intent.intentId, 'c:ord_h');
      await twoArrived;
      // Deliveries run in the background, so arrival order is not guaranteed.
      const events = received.map((w) => gateway.parseWebhook(w.body, w.signature)).sort((a, b) => (a.ok && b.ok ? a.event.type.localeCompare(b.event.type) : 0));
      expect(events).toMatchObject([
        { ok: true, event: { type: 'payment.authorized', intent: { orderId: 'ord_h' } } },
        { ok: true, event: { type: 'payment.captured', intent: { orderId: 'ord_h', amountCapturedMinor: 100 } } },
      ]);
      const other = createSandboxGateway({ webhookSecret: 'whsec_other' });
      expect(other.parseWebhook(received[0]!.body, received[0]!.signature).ok).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a refusing endpoint and one that never answers are errors the sender sees; a good one gets the body and the signature', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        if (req.url === '/refuse') res.writeHead(400).end('no');
        else if (req.url === '/ok') res.writeHead(200).end('{"received":true}');
        // '/silent' never answers
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const webhook = { payload: JSON.stringify({ id: 'evt_é' }), signatureHeader: 't=1,v1=abc' };
    try {
      await expect(httpWebhookSink(`${base}/refuse`)(webhook)).rejects.toThrow(/answered 400/);
      await expect(httpWebhookSink(`${base}/silent`, { timeoutMs: 50 })(webhook)).rejects.toThrow(/did not answer/);
      for (let i = 0; i < 3; i++) await httpWebhookSink(`${base}/ok`)(webhook);
      expect(bodies.slice(-3)).toEqual([webhook.payload, webhook.payload, webhook.payload]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

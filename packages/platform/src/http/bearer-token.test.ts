import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { requireBearerToken } from './bearer-token.ts';
import { HttpError } from './http-error.ts';

async function guarded(token: string | undefined) {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) =>
    error instanceof HttpError ? reply.status(error.status).send({ message: error.message }) : reply.status(500).send({ message: 'bug' }),
  );
  app.addHook('preHandler', requireBearerToken(token, { variable: 'SOME_TOKEN', label: 'metrics' }));
  app.get('/x', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('requireBearerToken', () => {
  it('admits the right token only', async () => {
    const app = await guarded('s3cret-token-0123456789');
    const ok = await app.inject({ url: '/x', headers: { authorization: 'Bearer s3cret-token-0123456789' } });
    expect(ok.statusCode).toBe(200);
    const wrong = await app.inject({ url: '/x', headers: { authorization: 'Bearer s3cret-token-0123456780' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toBe('The metrics token is wrong');
    const shorter = await app.inject({ url: '/x', headers: { authorization: 'Bearer s3' } });
    expect(shorter.statusCode).toBe(401);
    const missing = await app.inject({ url: '/x' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().message).toBe('Send the metrics token as Authorization: Bearer <SOME_TOKEN>');
    await app.close();
  });

  it('switches the API off without a token, saying which variable switches it on', async () => {
    const app = await guarded(undefined);
    const res = await app.inject({ url: '/x', headers: { authorization: 'Bearer anything' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe('The metrics API is disabled: set SOME_TOKEN to enable it');
    await app.close();
  });
});

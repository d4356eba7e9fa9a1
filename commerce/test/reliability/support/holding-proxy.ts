import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  url: string;
  /**
   * Resolves when the first request matching `hold` has been carried out upstream; its answer
   * is then withheld from the client for good (the connection hangs), as if the app died
   * between the gateway doing the work and the app hearing about it.
   */
  held: Promise<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

/** A pass-through HTTP proxy between the app and a gateway fake, able to swallow one answer. */
export async function startHoldingProxy(upstream: string, hold: (method: string, path: string) => boolean): Promise<HoldingProxy> {
  const target = new URL(upstream);
  let holding = true;
  let release!: (v: { method: string; path: string; status: number }) => void;
  const held = new Promise<{ method: string; path: string; status: number }>((r) => (release = r));
  const hanging = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const swallow = holding && hold(method, path);
      if (swallow) holding = false;
      const out = httpRequest(
        { host: target.hostname, port: target.port, method, path, headers: { ...req.headers, host: target.host } },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            if (swallow) {
              hanging.add(res);
              release({ method, path, status: up.statusCode ?? 0 });
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      out.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

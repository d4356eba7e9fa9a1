import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HttpError } from '@shop/platform';

/** The stream Fastify reads the body from; it checks `receivedEncodedLength` against Content-Length. */
type DecodedBody = Transform & { receivedEncodedLength: number };

/**
 * Inflates a gzip request body for Fastify's parser with the body limit applied to the
 * inflated bytes: past `limit` the inflation stops at once (413), so a zip bomb costs at
 * most `limit` bytes of memory and the CPU to inflate them. Broken gzip is a 400.
 */
export function gunzipBounded(payload: Readable, limit: number): DecodedBody {
  let inflated = 0;
  const gunzip = createGunzip();
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      if (inflated > limit) {
        done(new HttpError(413, 'BODY_TOO_LARGE', `The inflated body exceeds ${limit} bytes`));
        return;
      }
      done(null, chunk);
    },
  }) as DecodedBody;
  out.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
  });
  gunzip.on('error', (error) => out.destroy(new HttpError(400, 'BAD_GZIP', `The body is not valid gzip: ${error.message}`)));
  // Fastify listens while it reads the body; once it has answered (a 413, a client gone), a late
  // gzip error has no reader left and must not become an uncaught exception that ends the process.
  out.on('error', () => {});
  payload.on('error', (error) => out.destroy(error));
  out.on('close', () => {
    payload.unpipe(gunzip);
    gunzip.destroy();
  });
  payload.pipe(gunzip).pipe(out);
  return out;
}

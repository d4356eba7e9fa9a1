import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

export const asset = (body: Buffer | string, type: string): Asset => {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: buffer, gzip: gzipSync(buffer, { level: 9 }), type };
};

/** The first characters of a file's SHA-256: its name changes whenever its bytes do. */
export const shortHash = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 10);

/**
 * One island bundle, built and minified by esbuild in memory (no network, well under a second):
 * the entry and everything it imports, as one ES module.
 */
export async function bundleScript(entryPath: string, define: Record<string, string> = {}): Promise<Buffer> {
  const out = await build({
    entryPoints: [entryPath],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    write: false,
    define,
    legalComments: 'none',
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

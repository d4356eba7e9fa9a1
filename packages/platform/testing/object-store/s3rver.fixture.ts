import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3ObjectStore } from '../../src/object-store/s3-object-store.ts';
import type { ObjectStore } from '../../src/object-store/object-store.ts';

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const SCRIPT = fileURLToPath(new URL('./s3rver.server-script.ts', import.meta.url));

/**
 * A real S3-protocol server (s3rver) for tests, in a child process on 127.0.0.1 at a free port
 * with its files in `directory`: S3 suites need no engine from outside, so they never skip.
 */
export async function startS3rver(directory: string) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--no-warnings', '--import', 'tsx', SCRIPT, directory], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${stderr}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  let buckets = 0;
  return {
    endpoint,
    credentials: CREDENTIALS,
    /** A new, empty bucket and a store on it. */
    async newStore(options: { listPageSize?: number } = {}): Promise<ObjectStore & { bucket: string }> {
      const bucket = `test-bucket-${++buckets}`;
      const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      admin.destroy();
      const store = createS3ObjectStore({ bucket, endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, ...options });
      return Object.assign(store, { bucket });
    },
    async close(): Promise<void> {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

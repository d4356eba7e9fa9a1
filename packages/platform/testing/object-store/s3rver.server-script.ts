/**
 * Runs s3rver for tests as its own process: `node --openssl-legacy-provider --import tsx
 * s3rver.server-script.ts <dir>` prints `{"port":n}` once listening and stops on SIGTERM.
 * The flag is why it is a child process: s3rver encrypts ListObjectsV2 continuation tokens
 * with DES, which Node 20's OpenSSL 3 offers only through the legacy provider.
 */
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory) throw new Error('usage: s3rver.server-script.ts <dir>');
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));

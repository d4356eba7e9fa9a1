/** The object store's contract suite and the two stores it runs on (a local directory, a bucket on s3rver). */
export { objectStoreContract } from './object-store.contract.ts';
export { objectStoreCases, type ObjectStoreCase } from './object-store-cases.fixture.ts';
export { startS3rver } from './s3rver.fixture.ts';

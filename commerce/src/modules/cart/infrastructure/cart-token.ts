import { randomBytes } from 'node:crypto';

/** 192 random bits as 32 base64url characters: a bearer secret no one can guess. */
export const createCartToken = (): string => randomBytes(24).toString('base64url');

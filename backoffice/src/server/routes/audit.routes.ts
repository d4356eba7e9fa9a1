import type { FastifyInstance } from 'fastify';
import type { Site } from '../context.ts';

export function auditRoutes(_site: Site) {
  return async (_app: FastifyInstance) => {};
}

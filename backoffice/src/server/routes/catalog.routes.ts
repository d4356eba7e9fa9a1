import type { FastifyInstance } from 'fastify';
import type { Site } from '../context.ts';

export function catalogRoutes(_site: Site) {
  return async (_app: FastifyInstance) => {};
}

import type { FastifyInstance } from 'fastify';
import type { ModuleMigrations } from './database/index.ts';

/**
 * What every module's factory returns to the composition root (`app.ts`).
 * `api` is the module's public interface for other modules; `routes` its HTTP surface,
 * mounted under `/api`. Nothing else of a module is visible outside it.
 */
export interface CommerceModule<Api> {
  name: string;
  api: Api;
  migrations?: ModuleMigrations;
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Background work (demo data, sweepers, handlers) started after migrations. */
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

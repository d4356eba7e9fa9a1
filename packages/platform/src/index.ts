export { ConfigError, env, parseEnv } from './config/parse-env.ts';
export { EngineUnavailableError } from './engine-unavailable.ts';
export { createLogger, type Logger } from './logging/logger.ts';
export { createServer, type HttpServer, type ServerOptions, type ZodTypeProvider } from './http/create-server.ts';
export {
  HttpError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  tooManyRequests,
  unauthorized,
} from './http/http-error.ts';
export { requireBearerToken, type BearerTokenGuard } from './http/bearer-token.ts';
export type { ReadinessCheck } from './http/health.ts';
export { parseJsonBody } from './http/json-body.ts';
export { errorBody } from './http/guard-responses.ts';
export type { RateLimitOptions, TrafficGuardOptions } from './http/traffic-guards.ts';
export { findBadText, text, textProblem } from './http/well-formed-text.ts';
export { createMetricsRegistry } from './http/metrics.ts';
export { metricsTokenEnv, type MetricsAccess } from './http/metrics-access.ts';
export { onShutdownSignal, runSteps, type Stoppable } from './lifecycle/shutdown.ts';
export { createRedisClient, isCluster, parseRedisTarget, scanKeys, unlinkKeys, type RedisClient, type RedisClientOptions, type RedisTarget } from './redis/redis-client.ts';

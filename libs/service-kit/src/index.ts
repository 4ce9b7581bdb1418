export { buildService, type BuildOptions } from './build-service.ts';
export { runService } from './run-service.ts';
export { entryOverheadBytes as responseCacheEntryOverheadBytes } from './http/response-cache.ts';
export type { Env, ServiceDefinition } from './service-definition.ts';
export { readBoolean, readInteger, readServerSettings, readUrl, type LogLevel, type ServerSettings } from './settings.ts';
export { ErrorResponse, errorResponses } from './schemas/errors.ts';
export { rateLimited, rateLimitedResponses } from './plugins/rate-limit.ts';

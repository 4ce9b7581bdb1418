/**
 * A lookup that ended without weather, answered as is: the kit's error handler sends the status, the
 * code and the message, which names the provider and the cause.
 */
export class WeatherError extends Error {
  readonly statusCode: number;
  readonly code: string;

  constructor(statusCode: number, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WeatherError';
    this.statusCode = statusCode;
    this.code = code;
  }
}

export const placeNotFound = (provider: string, place: string) =>
  new WeatherError(404, 'WEATHER_PLACE_NOT_FOUND', `${provider} knows no place called "${place}"`);

export const upstreamTimeout = (provider: string, timeoutMs: number) =>
  new WeatherError(504, 'WEATHER_UPSTREAM_TIMEOUT', `${provider} did not answer within ${timeoutMs} ms`);

/**
 * The socket error stays out of the answer: it names hosts and addresses of the network the service runs in.
 * It goes to the log as the error's cause (pino's serializer appends the causes' messages and stacks).
 */
export const upstreamUnreachable = (provider: string, cause: unknown) =>
  new WeatherError(502, 'WEATHER_UPSTREAM_UNREACHABLE', `Could not reach ${provider}`, { cause });

export const upstreamStatus = (provider: string, status: number, detail = '') =>
  new WeatherError(502, 'WEATHER_UPSTREAM_STATUS', `${provider} answered HTTP ${status}${detail === '' ? '' : `: ${detail}`}`);

export const upstreamBadBody = (provider: string, problem: string) =>
  new WeatherError(502, 'WEATHER_UPSTREAM_BAD_BODY', `${provider} answered ${problem}`);

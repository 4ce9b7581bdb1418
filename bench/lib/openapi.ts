/** Just enough of an OpenAPI 3.1 document (what @fastify/swagger publishes at /docs/json) to make requests from it. */
export interface OpenApiDocument {
  paths: Record<string, Partial<Record<string, Operation>>>;
}

interface Operation {
  parameters?: Parameter[];
  responses?: Record<string, unknown>;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: ParameterSchema;
  /** @fastify/swagger moves a schema's one example here, several into `examples`. */
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

interface ParameterSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
}

export interface Route {
  method: string;
  /** The OpenAPI template, e.g. /api/fibonacci/{n}. */
  template: string;
  /** Path parameters with the values the schema accepts (its examples, default and bounds). */
  pathParameters: Map<string, string[]>;
  /** Required query parameters, each with one value the schema accepts. */
  requiredQuery: Map<string, string>;
  /** Optional query parameters that document examples, with those examples. */
  queryExamples: Map<string, string[]>;
  /** Every query parameter the route documents. */
  queryNames: string[];
  /** The statuses it documents, e.g. 200, 400, 429. */
  statuses: string[];
}

export async function fetchOpenApi(baseUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/docs/json`);
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/docs/json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

export function routesOf(document: OpenApiDocument): Route[] {
  return Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) => {
      if (operation === undefined) return [];
      const parameters = operation.parameters ?? [];
      return [
        {
          method: method.toUpperCase(),
          template,
          pathParameters: new Map(parameters.filter((p) => p.in === 'path').map((p) => [p.name, acceptedValues(p)])),
          requiredQuery: new Map(parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, acceptedValues(p)[0] ?? 'x'])),
          queryExamples: new Map(parameters.filter((p) => p.in === 'query' && !p.required && examplesOf(p).length > 0).map((p) => [p.name, examplesOf(p)])),
          queryNames: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          statuses: Object.keys(operation.responses ?? {}),
        },
      ];
    }),
  );
}

/**
 * Concrete paths for a route: one for each value of each path parameter (the others at their first
 * value), with the required query parameters, and again with each example of an optional one.
 */
export function concretePaths(route: Route): string[] {
  const pair = (name: string, value: string) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  const required = [...route.requiredQuery].map(([name, value]) => pair(name, value));
  const queries = [required, ...[...route.queryExamples].flatMap(([name, values]) => values.map((value) => [...required, pair(name, value)]))];
  const fill = (chosen: Map<string, string>) =>
    route.template.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(chosen.get(name) ?? route.pathParameters.get(name)?.[0] ?? 'x'));
  const choices = route.pathParameters.size === 0 ? [new Map<string, string>()] : [...route.pathParameters].flatMap(([name, values]) => values.map((value) => new Map([[name, value]])));
  const paths = choices.flatMap((chosen) => queries.map((query) => fill(chosen) + (query.length === 0 ? '' : `?${query.join('&')}`)));
  return [...new Set(paths)];
}

/**
 * Every GET the service documents, filled with values its schemas accept. A route whose parameters
 * are valid only together (weather's lat and lon) may still refuse some: callers try them first.
 */
export function validGetPaths(document: OpenApiDocument): string[] {
  return routesOf(document)
    .filter((route) => route.method === 'GET')
    .flatMap(concretePaths);
}

function examplesOf(parameter: Parameter): string[] {
  const values = [parameter.example, ...Object.values(parameter.examples ?? {}).map((example) => example.value), ...(parameter.schema?.examples ?? [])];
  return values.filter((value) => value !== undefined && value !== null).map(String);
}

function acceptedValues(parameter: Parameter): string[] {
  const schema = parameter.schema ?? {};
  const values = [...examplesOf(parameter), schema.default, ...(schema.enum ?? []), schema.minimum, schema.maximum];
  const accepted = values.filter((value) => value !== undefined && value !== null).map(String);
  if (accepted.length > 0) return [...new Set(accepted)];
  if (schema.type === 'integer' || schema.type === 'number') return ['1'];
  return ['x'.repeat(Math.max(1, schema.minLength ?? 1))];
}

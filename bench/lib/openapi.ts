/** Just enough of an OpenAPI 3.1 document (what @fastify/swagger publishes at /docs/json) to make requests from it. */
export interface OpenApiDocument {
  paths: Record<string, Partial<Record<string, Operation>>>;
}

interface Operation {
  parameters?: Parameter[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: ParameterSchema;
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
          pathParameters: new Map(parameters.filter((p) => p.in === 'path').map((p) => [p.name, acceptedValues(p.schema ?? {})])),
          requiredQuery: new Map(parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, acceptedValues(p.schema ?? {})[0] ?? 'x'])),
        },
      ];
    }),
  );
}

/** Concrete paths a route accepts: one for each value of each path parameter (others at their first value). */
export function concretePaths(route: Route): string[] {
  const query = [...route.requiredQuery].map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  const suffix = query === '' ? '' : `?${query}`;
  const fill = (chosen: Map<string, string>) =>
    route.template.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(chosen.get(name) ?? route.pathParameters.get(name)?.[0] ?? 'x')) + suffix;
  if (route.pathParameters.size === 0) return [fill(new Map())];
  const paths = [...route.pathParameters].flatMap(([name, values]) => values.map((value) => fill(new Map([[name, value]]))));
  return [...new Set(paths)];
}

/** Every GET the service documents, filled with values its schemas accept: requests that must succeed. */
export function validGetPaths(document: OpenApiDocument): string[] {
  return routesOf(document)
    .filter((route) => route.method === 'GET')
    .flatMap(concretePaths);
}

function acceptedValues(schema: ParameterSchema): string[] {
  const values = [...(schema.examples ?? []), schema.default, ...(schema.enum ?? []), schema.minimum, schema.maximum];
  const accepted = values.filter((value) => value !== undefined && value !== null).map(String);
  if (accepted.length > 0) return [...new Set(accepted)];
  if (schema.type === 'integer' || schema.type === 'number') return ['1'];
  return ['x'.repeat(Math.max(1, schema.minLength ?? 1))];
}

/** What a compiled TypeBox schema offers; spelled out so any schema's static type flows through. */
export interface ShapeCheck<T> {
  Check(value: unknown): value is T;
  Errors(value: unknown): { instancePath: string; message: string }[];
}

/**
 * The documented shape of an upstream API's body, compiled on its first check: compiling the providers'
 * shapes when their modules load took about 15 ms of every start, for bodies a request may never fetch.
 */
export function compiledOnFirstUse<T>(compile: () => ShapeCheck<T>): ShapeCheck<T> {
  let compiled: ShapeCheck<T> | undefined;
  const shape = () => (compiled ??= compile());
  return {
    Check: (value): value is T => shape().Check(value),
    Errors: (value) => shape().Errors(value),
  };
}

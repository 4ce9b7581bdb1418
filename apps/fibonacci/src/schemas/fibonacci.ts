import { Type, type Static } from 'typebox';

export function FibonacciParams(maxN: number) {
  return Type.Object({
    n: Type.Integer({ minimum: 0, maximum: maxN, description: `Index in the sequence, 0 to ${maxN}` }),
  });
}

export const FibonacciResult = Type.Object(
  {
    n: Type.Integer({ minimum: 0 }),
    value: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })], {
      description: 'fib(n): a JSON number up to 2^53 − 1, past that an exact decimal string',
    }),
  },
  { $id: 'FibonacciResult' },
);
export type FibonacciResult = Static<typeof FibonacciResult>;

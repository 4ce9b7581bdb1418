import { Duplex } from 'node:stream';
import helpers from 'yeoman-test';

/**
 * yeoman-test's TestAdapter gives its prompt module an output made by `Duplex.from(async () => {})`. From Node
 * 24.22 on, such a stream destroys itself with an AbortError as soon as the function returns, and nothing listens
 * for its 'error': every generator run in a test then leaves an uncaught exception behind, which fails the run.
 * Nothing is ever written to that output (the prompts are mocked), so its errors are dropped here, for the streams
 * made while a TestAdapter is built and for no other.
 */
const createTestAdapter = helpers.createTestAdapter.bind(helpers);

helpers.createTestAdapter = (options) => {
  const from = Object.getOwnPropertyDescriptor(Duplex, 'from');
  const make = Duplex.from.bind(Duplex);
  Duplex.from = (body: Parameters<typeof Duplex.from>[0]) => make(body).on('error', () => undefined);
  try {
    return createTestAdapter(options);
  } finally {
    if (from) Object.defineProperty(Duplex, 'from', from);
  }
};

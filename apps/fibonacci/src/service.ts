/** What the generator recorded for this service (project.json `metadata.service` holds the same answers). */
export const service = {
  name: 'fibonacci',
  description: 'The n-th Fibonacci number, exact to the last digit.',
  defaultPort: 3000,
};

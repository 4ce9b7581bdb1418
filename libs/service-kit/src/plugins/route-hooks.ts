/** A route's hooks of one kind (one, a list, or none) with one more after them: for plugins that hook only some routes. */
export function withHook<T>(hooks: T | T[] | undefined, hook: NoInfer<T>): T[] {
  if (hooks === undefined) return [hook];
  return Array.isArray(hooks) ? [...hooks, hook] : [hooks, hook];
}

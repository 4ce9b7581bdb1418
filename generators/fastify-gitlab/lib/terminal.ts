/** The part of a Yeoman adapter this reads: yo's QueuedAdapter wraps a TerminalAdapter, which prompts on `stdin`. */
interface PromptingAdapter {
  actualAdapter?: PromptingAdapter;
  stdin?: { isTTY?: boolean };
}

/**
 * Whether the adapter's prompts can be answered. A terminal adapter reading a stdin that is not a TTY (a script,
 * CI, `< /dev/null`) cannot: its prompt would wait forever or fail with "User force closed the prompt".
 * An adapter without a stdin answers its own prompts (yeoman-test's mocks, an IDE's form).
 */
export function canPrompt(environmentAdapter: object): boolean {
  // Adapters are typed by what they do (prompt, log), not by these fields, which only some of them have.
  const adapter = environmentAdapter as PromptingAdapter;
  const { stdin } = adapter.actualAdapter ?? adapter;
  return stdin === undefined || stdin.isTTY === true;
}

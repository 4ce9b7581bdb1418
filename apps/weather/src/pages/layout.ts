import { html, SafeHtml } from './html.ts';

/** Inline, so the page needs no other request and the CSP can forbid everything else. */
const style = new SafeHtml(`
  :root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #2f6fde; --bad: #b42318; }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
         background: linear-gradient(160deg, #e8f1ff, #f7f9fc 60%); display: flex; justify-content: center; align-items: flex-start; }
  main { width: min(34rem, 100% - 2rem); margin: 3rem 0; padding: 2rem; background: #fff; border: 1px solid var(--line);
         border-radius: 12px; box-shadow: 0 8px 24px rgb(15 23 42 / 8%); }
  h1 { margin: 0 0 1.25rem; font-size: 1.5rem; line-height: 1.25; }
  form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
  label { flex-basis: 100%; font-weight: 600; }
  input, select, button { font: inherit; padding: .55rem .75rem; border: 1px solid var(--line); border-radius: 8px; }
  input { flex: 1 1 12rem; }
  select { background: #fff; }
  button { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; cursor: pointer; }
  button:hover { filter: brightness(1.1); }
  .now { display: flex; align-items: center; gap: 1rem; margin: 0 0 1rem; }
  .icon { font-size: 3.5rem; line-height: 1; }
  .temperature { font-size: 2.5rem; font-weight: 700; }
  .description { color: var(--muted); text-transform: capitalize; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.5rem; margin: 0 0 1.5rem; }
  dt { color: var(--muted); }
  dd { margin: 0; }
  .error { margin: 0 0 1.25rem; padding: .75rem 1rem; border-left: 4px solid var(--bad); background: #fef3f2; color: var(--bad); }
  footer { margin-top: 1.5rem; font-size: .85rem; color: var(--muted); }
`);

export function page(title: string, content: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${style}</style>
</head>
<body>
<main>
${content}
</main>
</body>
</html>
`.toString();
}

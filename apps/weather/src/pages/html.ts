import escapeHtml from 'escape-html';

/** Markup the `html` tag has built: interpolating it into another template does not escape it again. */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

type Interpolation = string | number | SafeHtml | readonly SafeHtml[] | null | undefined;

/**
 * A template literal for HTML in which every interpolated string is escaped, so a city name or an
 * upstream's text can never become markup. Only SafeHtml (built by this same tag) goes in as is.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  return new SafeHtml(strings.reduce((markup, text, index) => markup + render(values[index - 1]) + text));
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(String).join('');
  if (value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/**
 * A minimal cookie-keeping HTTP agent that walks the login pages the way a browser without
 * JavaScript would: follow redirects, submit the page's form. It stops at any URL that
 * starts with `stopAt` (the client's redirect URI) and returns it.
 */
export class BrowserlessAgent {
  private readonly cookies = new Map<string, string>();
  /** Sent with every request: a browser's User-Agent, or X-Forwarded-For behind a test proxy. */
  readonly headers: Record<string, string> = {};

  constructor(private readonly stopAt: string[] = []) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  hasCookie(prefix: string): boolean {
    return [...this.cookies.keys()].some((k) => k.startsWith(prefix));
  }

  /** One request, no redirect following; a `json` body is what a page's script would send. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers, cookie: this.cookieHeader() };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(url, {
      method: init.method ?? (init.form || init.json !== undefined ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /** Follows redirects until a page (returned with its HTML) or a stop URL (returned as `stoppedAt`). */
  async navigate(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ status: number; url: string; html: string; stoppedAt?: string }> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
      const location = new URL(response.headers.get('location')!, current).href;
      await response.arrayBuffer();
      if (this.stopAt.some((prefix) => location.startsWith(prefix))) {
        return { status: response.status, url: current, html: '', stoppedAt: location };
      }
      current = location;
      response = await this.request(current);
    }
    return { status: response.status, url: current, html: await response.text() };
  }
}

/** The single form of one of our pages: its action and hidden fields. */
export function parseForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>/i.exec(html);
  if (!form) throw new Error(`no form on page:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name)
      fields[name] = value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
  }
  return { action: new URL(form[1].replace(/&amp;/g, '&'), pageUrl).href, fields };
}

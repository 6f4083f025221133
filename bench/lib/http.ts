import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';

/** Lean keep-alive HTTP/1.1 client: the load driver must cost far less CPU than the servers. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function send(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      {
        agent,
        method,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const FORM = 'application/x-www-form-urlencoded';

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

export function postForm(url: string, form: Record<string, string>, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': FORM };
  if (authorization) headers.authorization = authorization;
  return send('POST', url, headers, new URLSearchParams(form).toString());
}

/** Every cookie is sent everywhere (paths ignored): enough for one issuer's login pages. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(response: HttpResponse): void {
    const lines = response.headers['set-cookie'] ?? [];
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The page's single form: its action and hidden fields. */
export function parseForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>/i.exec(html);
  if (!form) throw new Error(`no form on the page: ${html.slice(0, 200)}`);
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

export interface LoginTarget {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Distinct accounts: parallel sign-ins of one account are capped by its lockout reservation. */
  usernames: string[];
  password: string;
  scope: string;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
}

/**
 * One complete browser-less sign-in: authorization request with PKCE → login form → code →
 * token. Each call starts with an empty cookie jar, so every call is a real password check.
 * Throws on any unexpected answer (the caller counts it as an error).
 */
export async function login(target: LoginTarget, user: number): Promise<TokenSet> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    redirect_uri: target.redirectUri,
    scope: target.scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('base64url'),
    // oidc-provider keeps offline_access only with prompt=consent (our server adds it itself).
    ...(target.scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
  });
  let url = `${target.issuer}/auth?${params}`;
  let form: Record<string, string> | undefined;
  let callback: URL | undefined;
  for (let hop = 0; hop < 12 && !callback; hop++) {
    const response = await send(
      form ? 'POST' : 'GET',
      url,
      form ? { cookie: jar.header(), 'content-type': FORM } : { cookie: jar.header() },
      form ? new URLSearchParams(form).toString() : undefined,
    );
    jar.remember(response);
    form = undefined;
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(String(response.headers.location), url).href;
      if (location.startsWith(target.redirectUri)) callback = new URL(location);
      url = location;
    } else if (response.status === 200 && /name="password"/.test(response.body)) {
      const page = parseForm(response.body, url);
      form = { ...page.fields, username: target.usernames[user % target.usernames.length], password: target.password };
      url = page.action;
    } else {
      throw new Error(`login: unexpected ${response.status} at ${new URL(url).pathname}`);
    }
  }
  const code = callback?.searchParams.get('code');
  if (!code) throw new Error(`login did not come back with a code (${callback?.search ?? 'no callback'})`);
  const token = await postForm(
    `${target.issuer}/token`,
    { grant_type: 'authorization_code', code, redirect_uri: target.redirectUri, code_verifier: verifier },
    basicAuth(target.clientId, target.clientSecret),
  );
  if (token.status !== 200) throw new Error(`code exchange: ${token.status} ${token.body.slice(0, 200)}`);
  return JSON.parse(token.body) as TokenSet;
}

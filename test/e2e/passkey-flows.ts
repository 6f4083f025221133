import { type BrowserlessAgent, parseForm, type SoftwareAuthenticator } from '@app/testing';

export interface PasskeyButton {
  kind: 'authenticate' | 'register';
  options: string;
  action: string;
}

type Page = { status: number; url: string; html: string; stoppedAt?: string };

const unescape = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');

/** The passkey buttons of a page (what its script would find), with absolute URLs. */
export function passkeyButtons(page: Page): PasskeyButton[] {
  return [...page.html.matchAll(/<button[^>]*data-passkey="([a-z]+)"[^>]*>/g)].map(([button, kind]) => ({
    kind: kind as PasskeyButton['kind'],
    options: new URL(unescape(/data-passkey-options="([^"]*)"/.exec(button)![1]), page.url).href,
    action: new URL(unescape(/formaction="([^"]*)"/.exec(button)![1]), page.url).href,
  }));
}

/**
 * What the page's script does on a click: fetch the options (with the form's CSRF field),
 * let `answer` play the authenticator, post its answer in the form's `response` field.
 */
export async function pressPasskeyButton(
  agent: BrowserlessAgent,
  page: Page,
  answer: (options: any) => unknown,
  kind: PasskeyButton['kind'] = 'authenticate',
): Promise<Page & { options: any; answered: unknown }> {
  const button = passkeyButtons(page).find((b) => b.kind === kind);
  if (!button) throw new Error(`no ${kind} passkey button on:\n${page.html.slice(0, 400)}`);
  const { fields } = parseForm(page.html, page.url);
  const optionsResponse = await agent.request(button.options, { json: { csrf: fields.csrf } });
  const options = await optionsResponse.json();
  if (optionsResponse.status !== 200) throw new Error(`options: ${optionsResponse.status} ${JSON.stringify(options)}`);
  const answered = answer(options);
  const next = await agent.navigate(button.action, {
    form: { csrf: fields.csrf, response: JSON.stringify(answered) },
  });
  return { ...next, options, answered };
}

/** Posts a passkey answer to a button's action again (a replay), as the page would. */
export function postPasskeyAnswer(agent: BrowserlessAgent, page: Page, action: string, answered: unknown) {
  const { fields } = parseForm(page.html, page.url);
  return agent.navigate(action, { form: { csrf: fields.csrf, response: JSON.stringify(answered) } });
}

export async function account(issuer: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${issuer}/account${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Registers a passkey through the account API, the authenticator answering at `origin`. */
export async function registerThroughAccount(
  issuer: string,
  token: string,
  authenticator: SoftwareAuthenticator,
  origin: string,
  name?: string,
) {
  const options = await account(issuer, token, 'POST', '/passkeys/registration-options');
  if (options.status !== 200)
    throw new Error(`registration options: ${options.status} ${JSON.stringify(options.body)}`);
  const response = authenticator.createCredential(options.body, { origin });
  return account(issuer, token, 'POST', '/passkeys', { ...(name ? { name } : {}), response });
}

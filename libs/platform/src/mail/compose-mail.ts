import escapeHtml from 'escape-html';
import type { Mail } from './mail.service.js';

export type MailContent = Omit<Mail, 'to'>;

/** Plain text is the real message; the HTML part says the same, every value escaped. */
export function composeMail(
  subject: string,
  paragraphs: string[],
  link?: { href: string; label: string },
): MailContent {
  const text = [...paragraphs, ...(link ? [link.href] : [])].join('\n\n') + '\n';
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`] : []),
  ].join('\n');
  // A subject is one header line: a line break in a value must not start another header.
  return {
    subject: subject.replace(/[\r\n]+/g, ' '),
    text,
    html: `<!DOCTYPE html><html><body>\n${html}\n</body></html>\n`,
  };
}

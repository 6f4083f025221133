/**
 * A string as a Postgres string literal: exactly what pg's `escapeLiteral` makes (quotes
 * doubled; with a backslash present, backslashes doubled and an E'' string), with two native
 * replaces instead of pg's loop that appends one character at a time — the audit trail sends
 * a whole flush of events (hundreds of kilobytes of JSON) this way.
 */
export function sqlLiteral(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

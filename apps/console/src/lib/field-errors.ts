/**
 * The admin API answers a refused body with one `message`: the validation messages joined
 * by "; ", each naming its field first ("settings.lockout.threshold must not be less than
 * 3"). This puts each message next to its field; what names no known field stays a
 * message for the whole form.
 */
export interface FieldErrors {
  fields: Record<string, string>;
  general: string | null;
}

/** `fields` are dotted paths as the form names them; `aliases` map other wordings to them. */
export function fieldErrors(message: string, fields: string[], aliases: Record<string, string> = {}): FieldErrors {
  const result: FieldErrors = { fields: {}, general: null };
  const general: string[] = [];
  // Longest first: "settings.lockout.threshold" before "settings.lockout".
  const candidates = [...fields].sort((a, b) => b.length - a.length);
  for (const part of message
    .split('; ')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const field =
      candidates.find((f) => mentions(part, f)) ?? Object.entries(aliases).find(([words]) => part.includes(words))?.[1];
    if (field) result.fields[field] = result.fields[field] ? `${result.fields[field]}; ${part}` : part;
    else general.push(part);
  }
  result.general = general.length ? general.join('; ') : null;
  return result;
}

/** "settings.a.b must…", "a.b must…" or "…b must…": the path, or its tail after a prefix. */
function mentions(message: string, field: string): boolean {
  const segments = field.split('.');
  for (let start = 0; start < segments.length; start++) {
    const tail = segments.slice(start).join('.');
    if (start > 0 && segments.length - start < 2 && segments.length > 1) break;
    if (new RegExp(`(^|[\\s.])${escape(tail)}(\\s|$|\\.|,)`).test(message)) return true;
  }
  return false;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

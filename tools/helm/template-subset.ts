/**
 * Renders a Helm chart written in a small subset of Go templates, so CI can check the chart
 * without the helm binary (neither npm nor Debian carries one). The subset is what our chart
 * uses and nothing more: `.Values/.Release/.Chart` paths, `if`/`else`/`with`/`define`/`end`,
 * whitespace trimming, `include`, and the functions below. Anything else is an error, so the
 * chart cannot drift into constructs this check would misread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYamlText } from 'yaml';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; expr: string }
  | { kind: 'block'; type: 'if' | 'with'; expr: string; then: Node[]; otherwise: Node[] };

interface Token {
  text?: string;
  action?: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      tokens.push({ text: source.slice(at) });
      break;
    }
    const close = source.indexOf('}}', open);
    if (close < 0) throw new Error('unclosed {{');
    let text = source.slice(at, open);
    let inner = source.slice(open + 2, close);
    if (inner.startsWith('-')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    let next = close + 2;
    if (inner.endsWith('-')) {
      inner = inner.slice(0, -1);
      while (next < source.length && /\s/.test(source[next])) next++;
    }
    if (text) tokens.push({ text });
    tokens.push({ action: inner.trim() });
    at = next;
  }
  return tokens;
}

function parse(tokens: Token[], defines: Map<string, Node[]>): Node[] {
  let position = 0;
  const parseUntil = (stops: string[]): { nodes: Node[]; stop: string } => {
    const nodes: Node[] = [];
    while (position < tokens.length) {
      const token = tokens[position++];
      if (token.text !== undefined) {
        nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const action = token.action!;
      if (action.startsWith('/*')) continue;
      const [keyword] = action.split(/\s+/, 1);
      if (stops.includes(keyword)) return { nodes, stop: keyword };
      if (keyword === 'define') {
        const name = /^define\s+"([^"]+)"$/.exec(action)?.[1];
        if (!name) throw new Error(`bad define: ${action}`);
        defines.set(name, parseUntil(['end']).nodes);
      } else if (keyword === 'if' || keyword === 'with') {
        const expr = action.slice(keyword.length).trim();
        const then = parseUntil(['else', 'end']);
        const otherwise = then.stop === 'else' ? parseUntil(['end']).nodes : [];
        nodes.push({ kind: 'block', type: keyword, expr, then: then.nodes, otherwise });
      } else if (['range', 'template', 'block', 'else', 'end'].includes(keyword)) {
        throw new Error(`not in the supported subset: {{ ${action} }}`);
      } else nodes.push({ kind: 'action', expr: action });
    }
    if (stops.length) throw new Error(`missing {{ end }}`);
    return { nodes, stop: '' };
  };
  return parseUntil([]).nodes;
}

function empty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function indent(spaces: number, text: string): string {
  return String(text)
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

export class ChartRenderer {
  private readonly defines = new Map<string, Node[]>();

  private readonly functions: Record<string, (...args: any[]) => unknown> = {
    include: (name: string, dot: unknown) => this.render(this.defineOf(name), dot),
    printf: (format: string, ...args: unknown[]) => format.replace(/%s/g, () => String(args.shift() ?? '')),
    trunc: (length: number, text: string) => String(text).slice(0, length),
    trimSuffix: (suffix: string, text: string) => (text.endsWith(suffix) ? text.slice(0, -suffix.length) : text),
    quote: (value: unknown) => JSON.stringify(String(value ?? '')),
    default: (fallback: unknown, value: unknown) => (empty(value) ? fallback : value),
    not: (value: unknown) => empty(value),
    required: (message: string, value: unknown) => {
      if (empty(value)) throw new Error(`required: ${message}`);
      return value;
    },
    toYaml: (value: unknown) => toYamlText(value).replace(/\n$/, ''),
    nindent: (spaces: number, text: string) => '\n' + indent(spaces, text),
    indent: (spaces: number, text: string) => indent(spaces, text),
    urlParse: (url: string) => {
      const parsed = new URL(url);
      return { scheme: parsed.protocol.replace(':', ''), host: parsed.host, path: parsed.pathname };
    },
  };

  constructor(private readonly chartDir: string) {
    for (const file of readdirSync(join(chartDir, 'templates')).filter((f) => f.endsWith('.tpl'))) {
      parse(tokenize(readFileSync(join(chartDir, 'templates', file), 'utf8')), this.defines);
    }
  }

  /** Every template (.yaml) rendered with the chart's values merged with `overrides`, as parsed documents. */
  renderChart(overrides: Record<string, unknown>, release = { Name: 'idp', Namespace: 'default' }): any[] {
    const chart = parseYaml(readFileSync(join(this.chartDir, 'Chart.yaml'), 'utf8'));
    const values = merge(parseYaml(readFileSync(join(this.chartDir, 'values.yaml'), 'utf8')), overrides);
    const root = {
      Values: values,
      Release: { ...release, Service: 'Helm' },
      Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    };
    const documents: any[] = [];
    for (const file of readdirSync(join(this.chartDir, 'templates')).filter((f) => f.endsWith('.yaml'))) {
      const text = this.render(
        parse(tokenize(readFileSync(join(this.chartDir, 'templates', file), 'utf8')), this.defines),
        root,
      );
      for (const part of text.split(/^---$/m)) {
        if (!part.trim()) continue;
        try {
          documents.push({ ...parseYaml(part), __file: file });
        } catch (error) {
          throw new Error(`templates/${file} does not render to YAML: ${(error as Error).message}\n${part}`, {
            cause: error,
          });
        }
      }
    }
    return documents;
  }

  private defineOf(name: string): Node[] {
    const nodes = this.defines.get(name);
    if (!nodes) throw new Error(`no template "${name}"`);
    return nodes;
  }

  private render(nodes: Node[], dot: unknown): string {
    let out = '';
    for (const node of nodes) {
      if (node.kind === 'text') out += node.text;
      else if (node.kind === 'action') out += String(this.evaluate(node.expr, dot) ?? '');
      else {
        const value = this.evaluate(node.expr, dot);
        const chosen = empty(value) ? node.otherwise : node.then;
        out += this.render(chosen, node.type === 'with' && !empty(value) ? value : dot);
      }
    }
    return out;
  }

  private evaluate(expr: string, dot: unknown): unknown {
    const stages = splitOutside(expr, '|');
    let piped: unknown[] = [];
    for (const stage of stages) {
      const terms = terms_(stage.trim());
      const [head, ...rest] = terms;
      const args = rest.map((term) => this.term(term, dot));
      if (/^[a-zA-Z]+$/.test(head)) {
        const fn = this.functions[head];
        if (!fn) throw new Error(`function not in the supported subset: ${head}`);
        piped = [fn(...args, ...piped)];
      } else {
        if (rest.length) throw new Error(`cannot call ${head}`);
        piped = [this.term(head, dot)];
      }
    }
    return piped[0];
  }

  private term(term: string, dot: unknown): unknown {
    if (term.startsWith('"')) return JSON.parse(term);
    if (/^-?\d+$/.test(term)) return Number(term);
    if (term === '.') return dot;
    const group = /^\((.*)\)((?:\.\w+)*)$/.exec(term);
    if (group) return path(this.evaluate(group[1], dot), group[2]);
    if (term.startsWith('.')) return path(dot, term);
    throw new Error(`term not in the supported subset: ${term}`);
  }
}

function path(value: unknown, dotted: string): unknown {
  let current = value as any;
  for (const key of dotted.split('.').filter(Boolean)) current = current?.[key];
  return current;
}

function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function terms_(command: string): string[] {
  const terms: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (command[i] === ' ') {
      i++;
      continue;
    }
    let j = i;
    if (command[i] === '"') {
      j = i + 1;
      while (j < command.length && !(command[j] === '"' && command[j - 1] !== '\\')) j++;
      j++;
    } else if (command[i] === '(') {
      let depth = 0;
      for (; j < command.length; j++) {
        if (command[j] === '(') depth++;
        if (command[j] === ')' && --depth === 0) break;
      }
      j++;
      while (j < command.length && command[j] !== ' ') j++;
    } else while (j < command.length && command[j] !== ' ') j++;
    terms.push(command.slice(i, j));
    i = j;
  }
  return terms;
}

function merge(base: any, overrides: any): any {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return overrides ?? base;
  const out = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    out[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value) ? merge(base[key] ?? {}, value) : value;
  }
  return out;
}

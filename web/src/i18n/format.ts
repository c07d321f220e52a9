// A small ICU MessageFormat subset: {name}, {n, number}, {n, plural, one {...} other {...}} with
// # and =N cases, and {key, select, a {...} other {...}}. Enough for a chat client, and a few
// hundred bytes instead of a full ICU runtime.

export type Values = Record<string, string | number>;

type Node = string | {arg: string; kind: 'simple' | 'number'} | {arg: string; kind: 'plural' | 'select'; cases: Record<string, Node[]>};

const cache = new Map<string, Node[]>();

export function parse(message: string): Node[] {
    const cached = cache.get(message);
    if (cached) {
        return cached;
    }
    const [nodes, end] = parseNodes(message, 0);
    if (end !== message.length) {
        throw new Error(`unbalanced braces in message: ${message}`);
    }
    cache.set(message, nodes);
    return nodes;
}

function parseNodes(text: string, start: number): [Node[], number] {
    const nodes: Node[] = [];
    let literal = '';
    let i = start;
    while (i < text.length) {
        const ch = text[i];
        if (ch === '}') {
            break;
        }
        if (ch === "'" && (text[i + 1] === '{' || text[i + 1] === '}')) {
            // ICU quoting: '{' is a literal brace.
            literal += text[i + 1];
            i += text[i + 2] === "'" ? 3 : 2;
            continue;
        }
        if (ch !== '{') {
            literal += ch;
            i++;
            continue;
        }
        if (literal) {
            nodes.push(literal);
            literal = '';
        }
        const [node, next] = parseArgument(text, i + 1);
        nodes.push(node);
        i = next;
    }
    if (literal) {
        nodes.push(literal);
    }
    return [nodes, i];
}

function parseArgument(text: string, start: number): [Node, number] {
    const close = text.indexOf('}', start);
    const comma = text.indexOf(',', start);
    if (close < 0) {
        throw new Error(`unclosed argument in message: ${text}`);
    }
    if (comma < 0 || comma > close) {
        return [{arg: text.slice(start, close).trim(), kind: 'simple'}, close + 1];
    }
    const arg = text.slice(start, comma).trim();
    const typeEnd = text.indexOf(',', comma + 1);
    const type = text.slice(comma + 1, typeEnd < 0 || typeEnd > close ? close : typeEnd).trim();
    if (type === 'number') {
        return [{arg, kind: 'number'}, close + 1];
    }
    if (type !== 'plural' && type !== 'select') {
        throw new Error(`unknown argument type ${type} in message: ${text}`);
    }
    const cases: Record<string, Node[]> = {};
    let i = typeEnd + 1;
    for (;;) {
        while (/\s/.test(text[i] ?? '')) {
            i++;
        }
        if (text[i] === '}') {
            return [{arg, kind: type, cases}, i + 1];
        }
        const open = text.indexOf('{', i);
        if (open < 0) {
            throw new Error(`bad ${type} in message: ${text}`);
        }
        const key = text.slice(i, open).trim();
        const [nodes, end] = parseNodes(text, open + 1);
        cases[key] = nodes;
        i = end + 1;
    }
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

function numberFormat(locale: string): Intl.NumberFormat {
    let found = numberFormats.get(locale);
    if (!found) {
        found = new Intl.NumberFormat(locale);
        numberFormats.set(locale, found);
    }
    return found;
}

function pluralOf(locale: string, n: number): Intl.LDMLPluralRule {
    let found = pluralRules.get(locale);
    if (!found) {
        found = new Intl.PluralRules(locale);
        pluralRules.set(locale, found);
    }
    return found.select(n);
}

export function format(message: string, values: Values, locale: string): string {
    return render(parse(message), values, locale, undefined);
}

function render(nodes: Node[], values: Values, locale: string, count: number | undefined): string {
    let out = '';
    for (const node of nodes) {
        if (typeof node === 'string') {
            out += count === undefined ? node : node.replace(/#/g, numberFormat(locale).format(count));
            continue;
        }
        const value = values[node.arg];
        if (node.kind === 'simple') {
            out += value === undefined ? `{${node.arg}}` : String(value);
        } else if (node.kind === 'number') {
            out += numberFormat(locale).format(Number(value));
        } else if (node.kind === 'plural' && 'cases' in node) {
            const n = Number(value);
            const chosen = node.cases[`=${n}`] ?? node.cases[pluralOf(locale, n)] ?? node.cases.other ?? [];
            out += render(chosen, values, locale, n);
        } else if ('cases' in node) {
            out += render(node.cases[String(value)] ?? node.cases.other ?? [], values, locale, count);
        }
    }
    return out;
}

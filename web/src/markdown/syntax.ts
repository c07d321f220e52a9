// Syntax colouring for fenced code blocks that name their language (```python): one small
// tokenizer, told by a grammar per family of languages where comments and strings start and
// which words are keywords. Enough to tell keywords, strings, comments and numbers apart, which
// is what a reader skimming a pasted snippet needs; not a parser. The tokens become text inside
// <span>s (markdown/CodeBlock.tsx), never HTML. Loaded with the first such block, not before.

export type TokenKind = 'plain' | 'keyword' | 'string' | 'comment' | 'number';

export interface Token {
    kind: TokenKind;
    text: string;
}

interface Grammar {
    keywords: ReadonlySet<string>;
    /** Keywords match whatever their case (SQL). */
    anyCase?: boolean;
    lineComments?: string[];
    blockComment?: [string, string];
    /** Longest first: a triple quote before a single one. */
    quotes: string[];
    /** Quotes whose strings may run over several lines; the others end at the line's end. */
    multiline?: string[];
}

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

const C_COMMENTS = {lineComments: ['//'], blockComment: ['/*', '*/'] as [string, string]};
const JS_KEYWORDS = 'async await break case catch class const continue debugger default delete do else export extends false finally for'
    + ' from function if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while with yield';

const GRAMMARS: Record<string, Grammar> = {
    javascript: {...C_COMMENTS, keywords: words(JS_KEYWORDS), quotes: ['"', "'", '`'], multiline: ['`']},
    typescript: {
        ...C_COMMENTS,
        keywords: words(`${JS_KEYWORDS} abstract any as boolean declare enum implements interface keyof namespace never number`
            + ' private protected public readonly satisfies string type unknown'),
        quotes: ['"', "'", '`'],
        multiline: ['`'],
    },
    python: {
        keywords: words('and as assert async await break class continue def del elif else except False finally for from global if import'
            + ' in is lambda match None nonlocal not or pass raise return self True try while with yield'),
        lineComments: ['#'],
        quotes: ['"""', "'''", '"', "'"],
        multiline: ['"""', "'''"],
    },
    go: {
        ...C_COMMENTS,
        keywords: words('break case chan const continue default defer else fallthrough false for func go goto if import interface iota map nil'
            + ' package range return select struct switch true type var'),
        quotes: ['"', "'", '`'],
        multiline: ['`'],
    },
    rust: {
        ...C_COMMENTS,
        keywords: words('as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub'
            + ' ref return self Self static struct super trait true type unsafe use where while'),
        quotes: ['"'],
        multiline: ['"'],
    },
    c: {
        ...C_COMMENTS,
        keywords: words('auto bool break case char const continue default do double else enum extern false float for goto if include'
            + ' define inline int long NULL nullptr register return short signed sizeof static struct switch true typedef union unsigned void'
            + ' volatile while class namespace new delete private protected public template this throw try catch using virtual'),
        quotes: ['"', "'"],
    },
    java: {
        ...C_COMMENTS,
        keywords: words('abstract boolean break byte case catch char class const continue default do double else enum extends false final'
            + ' finally float for fun if implements import in instanceof int interface is long new null object override package private'
            + ' protected public return short static super switch this throw throws true try val var void when while'),
        quotes: ['"""', '"', "'"],
        multiline: ['"""'],
    },
    csharp: {
        ...C_COMMENTS,
        keywords: words('abstract as async await base bool break case catch class const continue default do double else enum false finally'
            + ' for foreach if in int interface internal is namespace new null object out override private protected public readonly ref'
            + ' return static string struct switch this throw true try using var virtual void while'),
        quotes: ['"', "'"],
    },
    ruby: {
        keywords: words('begin break case class def do else elsif end ensure false for if in module next nil not or and redo rescue retry'
            + ' return self super then true unless until when while yield'),
        lineComments: ['#'],
        quotes: ['"', "'"],
    },
    php: {
        ...C_COMMENTS,
        lineComments: ['//', '#'],
        keywords: words('abstract array as break case catch class const continue default do echo else elseif extends false final finally'
            + ' fn for foreach function if implements interface match namespace new null private protected public return static switch'
            + ' throw true try use while'),
        quotes: ['"', "'"],
    },
    shell: {
        keywords: words('case do done elif else esac export fi for function if in local return then until while'),
        lineComments: ['#'],
        quotes: ['"', "'"],
        multiline: ['"', "'"],
    },
    sql: {
        keywords: words('add all alter and as asc begin between by case commit create delete desc distinct drop else end exists false'
            + ' from group having in index inner insert into is join key left like limit not null on or order outer primary references'
            + ' right rollback select set table then true union unique update values when where with'),
        anyCase: true,
        lineComments: ['--'],
        blockComment: ['/*', '*/'],
        quotes: ["'", '"'],
    },
    json: {keywords: words('true false null'), quotes: ['"']},
    yaml: {keywords: words('true false null yes no on off'), lineComments: ['#'], quotes: ['"', "'"]},
    css: {keywords: words(''), blockComment: ['/*', '*/'], quotes: ['"', "'"]},
};

const ALIASES: Record<string, string> = {
    js: 'javascript', jsx: 'javascript', mjs: 'javascript', node: 'javascript',
    ts: 'typescript', tsx: 'typescript',
    py: 'python', python3: 'python', py3: 'python',
    golang: 'go', rs: 'rust',
    cpp: 'c', 'c++': 'c', cc: 'c', cxx: 'c', h: 'c', hpp: 'c', objc: 'c', 'objective-c': 'c',
    kotlin: 'java', kt: 'java', scala: 'java', swift: 'java', dart: 'java', groovy: 'java',
    cs: 'csharp', 'c#': 'csharp', rb: 'ruby',
    sh: 'shell', bash: 'shell', zsh: 'shell', console: 'shell', shellscript: 'shell',
    postgresql: 'sql', postgres: 'sql', mysql: 'sql', sqlite: 'sql', plsql: 'sql',
    yml: 'yaml', toml: 'yaml', ini: 'yaml', scss: 'css', less: 'css',
};

function grammarOf(language: string): Grammar | undefined {
    const name = language.toLowerCase();
    return GRAMMARS[ALIASES[name] ?? name];
}

/** Whether blocks in this language are coloured (others show as plain text). */
export function knows(language: string): boolean {
    return grammarOf(language) !== undefined;
}

const WORD = /[A-Za-z_$][\w$]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[a-zA-Z]*/y;

/** The code as tokens whose texts, joined, are the code exactly; null for a language not known. */
export function tokenize(code: string, language: string): Token[] | null {
    const grammar = grammarOf(language);
    if (!grammar) {
        return null;
    }
    const tokens: Token[] = [];
    const push = (kind: TokenKind, text: string) => {
        const last = tokens[tokens.length - 1];
        if (last && last.kind === kind) {
            last.text += text;
        } else {
            tokens.push({kind, text});
        }
    };
    let i = 0;
    while (i < code.length) {
        const comment = commentEnd(code, i, grammar);
        const string = comment === null ? stringEnd(code, i, grammar) : null;
        const end = comment ?? string;
        if (end !== null) {
            push(comment !== null ? 'comment' : 'string', code.slice(i, end));
            i = end;
            continue;
        }
        const before = i > 0 ? code[i - 1] : '';
        if (!/[\w$]/.test(before)) {
            NUMBER.lastIndex = i;
            const number = /\d/.test(code[i]) ? NUMBER.exec(code) : null;
            if (number) {
                push('number', number[0]);
                i += number[0].length;
                continue;
            }
            WORD.lastIndex = i;
            const word = WORD.exec(code);
            if (word) {
                const known = grammar.keywords.has(grammar.anyCase ? word[0].toLowerCase() : word[0]);
                push(known ? 'keyword' : 'plain', word[0]);
                i += word[0].length;
                continue;
            }
        }
        push('plain', code[i]);
        i += 1;
    }
    return tokens;
}

function commentEnd(code: string, at: number, grammar: Grammar): number | null {
    const line = grammar.lineComments?.find((start) => code.startsWith(start, at));
    if (line) {
        const newline = code.indexOf('\n', at);
        return newline < 0 ? code.length : newline;
    }
    const block = grammar.blockComment;
    if (block && code.startsWith(block[0], at)) {
        const close = code.indexOf(block[1], at + block[0].length);
        return close < 0 ? code.length : close + block[1].length;
    }
    return null;
}

function stringEnd(code: string, at: number, grammar: Grammar): number | null {
    const quote = grammar.quotes.find((q) => code.startsWith(q, at));
    if (!quote) {
        return null;
    }
    const multiline = grammar.multiline?.includes(quote) ?? false;
    let i = at + quote.length;
    while (i < code.length) {
        if (code[i] === '\\') {
            i += 2;
        } else if (code.startsWith(quote, i)) {
            return i + quote.length;
        } else if (code[i] === '\n' && !multiline) {
            return i;
        } else {
            i += 1;
        }
    }
    return code.length;
}

// Mattermost-flavoured Markdown parsed into a small tree that markdown/Markdown.tsx turns into
// React elements. Nothing here ever becomes HTML: raw HTML in a message stays text, and a link
// survives only with a safe address, so no message can run script or load remote content.

export type Inline =
    | {type: 'text'; text: string}
    | {type: 'code'; text: string}
    | {type: 'strong' | 'em' | 'del'; children: Inline[]}
    | {type: 'link'; href: string; children: Inline[]}
    | {type: 'mention'; name: string}
    | {type: 'channel'; name: string}
    | {type: 'hashtag'; tag: string}
    | {type: 'emoji'; name: string}
    | {type: 'latex'; text: string}
    | {type: 'br'};

export type Block =
    | {type: 'paragraph'; children: Inline[]}
    | {type: 'heading'; level: number; children: Inline[]}
    | {type: 'code'; language: string; text: string}
    | {type: 'quote'; children: Block[]}
    | {type: 'list'; ordered: boolean; start: number; items: Block[][]; tasks?: TaskState[]}
    | {type: 'table'; align: CellAlign[]; header: Inline[][]; rows: Inline[][][]}
    | {type: 'rule'};

/** A task list item's box (`- [x] done`, `- [ ] to do`); null for an item that is not a task.
 * A list has `tasks` only when one of its items is one. */
export type TaskState = boolean | null;

/** A table column's alignment from its delimiter row (`:--`, `:-:`, `--:`); null: as the text. */
export type CellAlign = 'start' | 'center' | 'end' | null;

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The address to link to, or null when it is not one we let a message open. */
export function safeHref(raw: string): string | null {
    const url = raw.trim();
    if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) {
        return url;
    }
    // Browsers drop tabs and newlines inside a URL ("java\tscript:"); so does the check.
    const compact = url.replace(/[\u0000-\u0020]/g, '');
    if (/^www\./i.test(compact)) {
        return 'https://' + compact;
    }
    try {
        const parsed = new URL(compact);
        return SAFE_PROTOCOLS.has(parsed.protocol) ? parsed.href : null;
    } catch {
        return null;
    }
}

export interface ParseOptions {
    /** Mattermost's inline LaTeX, `$x^2$` (EnableInlineLatex): off, a `$` is only a `$`. */
    inlineLatex?: boolean;
}

export function parseMarkdown(source: string, options: ParseOptions = {}): Block[] {
    return parseBlocks(source.replace(/\r\n?/g, '\n').split('\n'), options);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const BULLET = /^ {0,3}[-*+]\s+(.*)$/;
const ORDERED = /^ {0,3}(\d{1,9})[.)]\s+(.*)$/;

function parseBlocks(lines: string[], options: ParseOptions): Block[] {
    const blocks: Block[] = [];
    let i = 0;
    while (i < lines.length) {
        const line = lines[i];
        if (line.trim() === '') {
            i++;
            continue;
        }
        const fence = FENCE.exec(line);
        if (fence) {
            const body: string[] = [];
            i++;
            while (i < lines.length && !lines[i].trimStart().startsWith(fence[1])) {
                body.push(lines[i]);
                i++;
            }
            i++;
            blocks.push({type: 'code', language: fence[2], text: body.join('\n')});
            continue;
        }
        if (tableStartsAt(lines, i)) {
            const align = cellsOf(lines[i + 1]).map(alignOf);
            const header = cellsOf(line).map((cell) => parseInline(cell, options));
            const rows: Inline[][][] = [];
            i += 2;
            while (i < lines.length && lines[i].trim() !== '' && lines[i].includes('|') && !startsBlock(lines[i])) {
                rows.push(cellsOf(lines[i]).slice(0, header.length).map((cell) => parseInline(cell, options)));
                i++;
            }
            blocks.push({type: 'table', align, header, rows});
            continue;
        }
        const heading = HEADING.exec(line);
        if (heading) {
            blocks.push({type: 'heading', level: heading[1].length, children: parseInline(heading[2], options)});
            i++;
            continue;
        }
        if (RULE.test(line)) {
            blocks.push({type: 'rule'});
            i++;
            continue;
        }
        if (QUOTE.test(line)) {
            const quoted: string[] = [];
            while (i < lines.length && QUOTE.test(lines[i])) {
                quoted.push(QUOTE.exec(lines[i])![1]);
                i++;
            }
            blocks.push({type: 'quote', children: parseBlocks(quoted, options)});
            continue;
        }
        const bullet = BULLET.exec(line);
        const ordered = ORDERED.exec(line);
        if (bullet || ordered) {
            const pattern = bullet ? BULLET : ORDERED;
            const items: string[][] = [];
            while (i < lines.length) {
                const item = pattern.exec(lines[i]);
                if (item) {
                    items.push([item[bullet ? 1 : 2]]);
                } else if (lines[i].trim() !== '' && /^\s{2,}/.test(lines[i])) {
                    items[items.length - 1].push(lines[i].replace(/^\s{2,4}/, ''));
                } else {
                    break;
                }
                i++;
            }
            const tasks = items.map(takeTaskBox);
            blocks.push({
                type: 'list',
                ordered: !bullet,
                start: ordered ? Number(ordered[1]) : 1,
                items: items.map((item) => parseBlocks(item, options)),
                ...(tasks.some((task) => task !== null) ? {tasks} : {}),
            });
            continue;
        }
        const paragraph: string[] = [];
        while (i < lines.length && lines[i].trim() !== '' && !startsBlock(lines[i]) && !tableStartsAt(lines, i)) {
            paragraph.push(lines[i]);
            i++;
        }
        blocks.push({type: 'paragraph', children: parseInline(paragraph.join('\n'), options)});
    }
    return blocks;
}

// GitHub's task lists, which Mattermost renders as disabled checkboxes: an item that starts with
// `[ ]` or `[x]`. The box is taken off the item's first line.
const TASK_BOX = /^\[([ xX])\](?:\s+|$)/;

function takeTaskBox(item: string[]): TaskState {
    const box = TASK_BOX.exec(item[0]);
    if (!box) {
        return null;
    }
    item[0] = item[0].slice(box[0].length);
    return box[1] !== ' ';
}

// GitHub's tables, which Mattermost renders: a header row, a delimiter row with as many cells
// (`| --- | :-: |`), then rows up to a blank line. Pipes inside a cell are escaped (`\|`).
const DELIMITER_CELL = /^:?-+:?$/;

function cellsOf(line: string): string[] {
    let row = line.trim();
    if (row.startsWith('|')) {
        row = row.slice(1);
    }
    if (row.endsWith('|') && !row.endsWith('\\|')) {
        row = row.slice(0, -1);
    }
    return row.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

function tableStartsAt(lines: string[], i: number): boolean {
    if (i + 1 >= lines.length || !lines[i].includes('|') || !lines[i + 1].includes('-')) {
        return false;
    }
    const delimiters = cellsOf(lines[i + 1]);
    return delimiters.every((cell) => DELIMITER_CELL.test(cell)) && delimiters.length === cellsOf(lines[i]).length;
}

function alignOf(delimiter: string): CellAlign {
    const left = delimiter.startsWith(':');
    const right = delimiter.endsWith(':');
    return left && right ? 'center' : left ? 'start' : right ? 'end' : null;
}

function startsBlock(line: string): boolean {
    return [FENCE, HEADING, RULE, QUOTE, BULLET, ORDERED].some((pattern) => pattern.test(line));
}

const ESCAPABLE = '\\`*_{}[]()#+-.!~>@:|$';
const BARE_URL = /^(?:https?:\/\/|www\.)[^\s<]+/i;
const MENTION = /^@([a-z0-9][a-z0-9._-]*[a-z0-9_]|[a-z0-9])/i;
const EMOJI = /^:([a-z0-9_+-]{1,64}):/;
// Mattermost's channel names: lower-case letters, digits, '-' and '_', not ending in '-'.
const CHANNEL = /^~([a-z0-9][a-z0-9_-]*[a-z0-9_]|[a-z0-9])/;
// The server's hashtags (actions/posts.py parse_hashtags, as Mattermost's): a letter, then letters,
// digits, '_', '-' or '.', ending in a letter or digit; two characters at least.
const HASHTAG = /^#(\p{L}[\p{L}\p{M}\p{N}_.-]*[\p{L}\p{M}\p{N}])/u;
// Inline LaTeX as pandoc reads it, so prices stay prices ("$5 or $10"): the opening `$` is
// followed by a non-space, the closing one follows a non-space and is not followed by a digit.
const INLINE_LATEX = /^\$(?=\S)((?:\\.|[^$\n\\])+?)(?<=\S)\$(?!\d)/;
const EMPHASIS: Record<string, 'strong' | 'em' | 'del'> = {'**': 'strong', __: 'strong', '~~': 'del', '*': 'em', _: 'em'};

export function parseInline(text: string, options: ParseOptions = {}): Inline[] {
    const out: Inline[] = [];
    let plain = '';
    const flush = () => {
        if (plain) {
            out.push({type: 'text', text: plain});
            plain = '';
        }
    };
    let i = 0;
    while (i < text.length) {
        const rest = text.slice(i);
        const ch = text[i];
        const before = i === 0 ? ' ' : text[i - 1];
        if (ch === '\\' && ESCAPABLE.includes(text[i + 1] ?? '')) {
            plain += text[i + 1];
            i += 2;
            continue;
        }
        if (ch === '\n') {
            flush();
            out.push({type: 'br'});
            i++;
            continue;
        }
        if (ch === '`') {
            const ticks = /^`+/.exec(rest)![0];
            const close = text.indexOf(ticks, i + ticks.length);
            if (close > 0) {
                flush();
                out.push({type: 'code', text: text.slice(i + ticks.length, close).replace(/\n/g, ' ').trim()});
                i = close + ticks.length;
                continue;
            }
        }
        if (ch === '$' && options.inlineLatex) {
            const latex = INLINE_LATEX.exec(rest);
            if (latex) {
                flush();
                out.push({type: 'latex', text: latex[1]});
                i += latex[0].length;
                continue;
            }
        }
        if (ch === '!' && text[i + 1] === '[') {
            // Images are shown as links: a message must not make every reader fetch a remote address.
            const link = matchLink(text, i + 1, options);
            if (link) {
                flush();
                out.push(...link.nodes);
                i = link.end;
                continue;
            }
        }
        if (ch === '[') {
            const link = matchLink(text, i, options);
            if (link) {
                flush();
                out.push(...link.nodes);
                i = link.end;
                continue;
            }
        }
        if (ch === '<') {
            const auto = /^<((?:https?|mailto):[^\s<>]+)>/i.exec(rest);
            const href = auto && safeHref(auto[1]);
            if (auto && href) {
                flush();
                out.push({type: 'link', href, children: [{type: 'text', text: auto[1]}]});
                i += auto[0].length;
                continue;
            }
        }
        if ((ch === 'h' || ch === 'H' || ch === 'w' || ch === 'W') && !/\w/.test(before)) {
            const bare = BARE_URL.exec(rest);
            if (bare) {
                const url = trimUrl(bare[0]);
                const href = safeHref(url);
                if (href) {
                    flush();
                    out.push({type: 'link', href, children: [{type: 'text', text: url}]});
                    i += url.length;
                    continue;
                }
            }
        }
        if (ch === '@' && !/\w/.test(before)) {
            const mention = MENTION.exec(rest);
            if (mention) {
                flush();
                out.push({type: 'mention', name: mention[1]});
                i += mention[0].length;
                continue;
            }
        }
        if (ch === '~' && text[i + 1] !== '~' && !/\w/.test(before)) {
            const channel = CHANNEL.exec(rest);
            if (channel) {
                flush();
                out.push({type: 'channel', name: channel[1]});
                i += channel[0].length;
                continue;
            }
        }
        if (ch === '#' && !/[\p{L}\p{N}_#]/u.test(before)) {
            const hashtag = HASHTAG.exec(rest);
            if (hashtag) {
                flush();
                out.push({type: 'hashtag', tag: hashtag[1]});
                i += hashtag[0].length;
                continue;
            }
        }
        if (ch === ':' && !/\w/.test(before)) {
            const emoji = EMOJI.exec(rest);
            if (emoji) {
                flush();
                out.push({type: 'emoji', name: emoji[1]});
                i += emoji[0].length;
                continue;
            }
        }
        const delimiter = rest.startsWith('**') || rest.startsWith('__') || rest.startsWith('~~') ? rest.slice(0, 2) : ch;
        if (delimiter in EMPHASIS && !(delimiter[0] === '_' && /\w/.test(before))) {
            const end = findClosing(text, i + delimiter.length, delimiter);
            if (end > 0) {
                flush();
                out.push({type: EMPHASIS[delimiter], children: parseInline(text.slice(i + delimiter.length, end), options)});
                i = end + delimiter.length;
                continue;
            }
        }
        plain += ch;
        i++;
    }
    flush();
    return out;
}

function findClosing(text: string, from: number, delimiter: string): number {
    if (/\s/.test(text[from] ?? ' ')) {
        return -1;
    }
    let search = from + 1;
    while (search < text.length) {
        const at = text.indexOf(delimiter, search);
        if (at < 0) {
            return -1;
        }
        const after = text[at + delimiter.length] ?? ' ';
        const closesHere = !/\s/.test(text[at - 1]) && !(delimiter[0] === '_' && /\w/.test(after)) &&
            !(delimiter.length === 1 && after === delimiter);
        if (closesHere) {
            return at;
        }
        search = at + delimiter.length;
    }
    return -1;
}

function matchLink(text: string, open: number, options: ParseOptions): {nodes: Inline[]; end: number} | null {
    let depth = 0;
    let close = -1;
    for (let j = open; j < text.length; j++) {
        if (text[j] === '\\') {
            j++;
        } else if (text[j] === '[') {
            depth++;
        } else if (text[j] === ']' && --depth === 0) {
            close = j;
            break;
        }
    }
    if (close < 0 || text[close + 1] !== '(') {
        return null;
    }
    const target = /^\(\s*<?([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+"[^"]*")?\s*\)/.exec(text.slice(close + 1));
    if (!target) {
        return null;
    }
    const label = parseInline(text.slice(open + 1, close), options);
    const end = close + 1 + target[0].length;
    const href = safeHref(target[1]);
    // An unsafe address keeps its words and loses its link.
    return {nodes: href ? [{type: 'link', href, children: label}] : label, end};
}

function trimUrl(url: string): string {
    let end = url.length;
    while (end > 0 && '.,:;!?"\''.includes(url[end - 1])) {
        end--;
    }
    let trimmed = url.slice(0, end);
    while (trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')')) {
        trimmed = trimmed.slice(0, -1);
    }
    return trimmed;
}

function count(text: string, ch: string): number {
    return text.split(ch).length - 1;
}

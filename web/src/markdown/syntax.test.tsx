import {render} from '@testing-library/react';
import {describe, expect, it} from 'vitest';

import {Markdown} from './Markdown';
import {knows, tokenize, type Token} from './syntax';

function kinds(code: string, language: string): Array<[Token['kind'], string]> {
    return (tokenize(code, language) ?? []).filter((token) => token.kind !== 'plain').map((token) => [token.kind, token.text]);
}

describe('syntax colouring', () => {
    it('tells keywords, strings, numbers and comments apart', () => {
        expect(kinds('def greet(name):\n    return f"hi {name}" * 2  # twice', 'python')).toEqual([
            ['keyword', 'def'], ['keyword', 'return'], ['string', '"hi {name}"'], ['number', '2'], ['comment', '# twice'],
        ]);
        expect(kinds('const n = 0x1f; /* a\nblock */ let s = `a\nb`;', 'js')).toEqual([
            ['keyword', 'const'], ['number', '0x1f'], ['comment', '/* a\nblock */'], ['keyword', 'let'], ['string', '`a\nb`'],
        ]);
    });

    it('keeps the code exactly: the tokens join back into it', () => {
        const code = 'SELECT id FROM posts -- newest\nWHERE message = \'it\\\'s\' AND n > 1.5e3;\n"unterminated';
        expect((tokenize(code, 'sql') ?? []).map((token) => token.text).join('')).toBe(code);
        expect(kinds(code, 'sql').slice(0, 4)).toEqual([['keyword', 'SELECT'], ['keyword', 'FROM'], ['comment', '-- newest'], ['keyword', 'WHERE']]);
    });

    it('ends a one-line string at the end of its line, and escapes inside it', () => {
        expect(kinds('x = "a \\" b\ny = 1', 'go')).toEqual([['string', '"a \\" b'], ['number', '1']]);
    });

    it('does not take a number out of a name, nor a keyword out of a longer word', () => {
        expect(kinds('item2 = format(x)', 'python')).toEqual([]);
    });

    it('knows languages by their usual names and leaves others plain', () => {
        expect(knows('TypeScript')).toBe(true);
        expect(knows('bash')).toBe(true);
        expect(knows('brainfuck')).toBe(false);
        expect(tokenize('anything', 'brainfuck')).toBeNull();
    });

    it('colours a message\'s code block once the tokenizer has loaded, as text only', async () => {
        const view = render(<Markdown text={'```python\nimport os  # <script>alert(1)</script>\n```'}/>);
        const keyword = await view.findByText('import');
        expect(keyword.className).toBe('tok-keyword');
        const comment = view.container.querySelector('.tok-comment')!;
        expect(comment.textContent).toBe('# <script>alert(1)</script>');
        expect(view.container.querySelector('script')).toBeNull();
        expect(view.container.querySelector('code')!.textContent).toBe('import os  # <script>alert(1)</script>');
    });

    it('leaves a block without a language as it is', () => {
        const view = render(<Markdown text={'```\nif x: pass\n```'}/>);
        expect(view.container.querySelector('code')!.innerHTML).toBe('if x: pass');
    });
});

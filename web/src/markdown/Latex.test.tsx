import {act, render} from '@testing-library/react';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';

import {initialState, store} from '../store/state';
import {latexOf} from '../store/actions';
import {latexLoaded} from './Latex';
import {Markdown} from './Markdown';
import {parseInline} from './parse';

function latex(blocks: boolean, inline: boolean): void {
    store.update(() => ({...initialState(), latex: {blocks, inline}}));
}

function dom(text: string): HTMLElement {
    return render(<Markdown text={text}/>).container;
}

beforeAll(async () => {
    await latexLoaded();
});

afterEach(() => {
    store.update(() => initialState());
});

// What a formula could try, were KaTeX trusting: links, images, attributes, styles, and HTML.
const ATTACKS = [
    '\\href{javascript:alert(1)}{click}',
    '\\url{javascript:alert(1)}',
    '\\href{https://evil.example}{click}',
    '\\includegraphics{https://evil.example/track.png}',
    '\\htmlData{onclick=alert(1)}{x}',
    '\\htmlData{foo=bar}{x}',
    '\\htmlId{x" onclick="alert(1)}{x}',
    '\\htmlClass{app}{x}',
    '\\htmlStyle{position:fixed;inset:0}{x}',
    '\\textcolor{red;position:fixed;inset:0}{x}',
    '\\text{<img src=x onerror=alert(1)>}',
    '\\def\\a{\\a\\a}\\a',
];

// All the attributes KaTeX's HTML and our wrapper use: none loads, links or runs anything.
const HARMLESS_ATTRIBUTES = new Set([
    'class', 'style', 'aria-hidden', 'aria-label', 'role', 'dir', 'title',
    'xmlns', 'width', 'height', 'viewBox', 'preserveAspectRatio', 'd',
]);

describe('LaTeX', () => {
    it('draws a ```latex block with KaTeX', () => {
        latex(true, false);
        const root = dom('```latex\n\\frac{a}{b} = \\sqrt{x^2}\n```');
        const formula = root.querySelector('.md-latex')!;
        expect(formula.querySelector('.katex .mfrac')).not.toBeNull();
        expect(formula.getAttribute('aria-label')).toBe('\\frac{a}{b} = \\sqrt{x^2}');
        // HTML only: no MathML beside it.
        expect(formula.querySelector('math')).toBeNull();
        expect(root.querySelector('pre')).toBeNull();
    });

    it('takes ```tex as LaTeX too, as Mattermost does', () => {
        latex(true, false);
        expect(dom('```tex\nx^2\n```').querySelector('.md-latex .katex')).not.toBeNull();
    });

    it('shows the block as code when the server has LaTeX off', () => {
        latex(false, false);
        const root = dom('```latex\n\\frac{a}{b}\n```');
        expect(root.querySelector('.katex')).toBeNull();
        expect(root.querySelector('pre code')!.textContent).toBe('\\frac{a}{b}');
    });

    it('shows what KaTeX cannot read as its source, without failing the message', () => {
        latex(true, false);
        const root = dom('```latex\n\\frac{a}{\n```\nafter');
        expect(root.querySelector('.katex-error')!.textContent).toContain('\\frac{a}{');
        expect(root.textContent).toContain('after');
    });

    it.each(ATTACKS)('%s runs nothing, links nowhere and sets no attribute', (attack) => {
        latex(true, true);
        for (const root of [dom('```latex\n' + attack + '\n```'), dom('see $' + attack + '$')]) {
            expect(root.querySelector('.md-latex, .md-latex-inline')).not.toBeNull();
            expect(root.querySelector('a, img, script, iframe, object, embed, foreignObject, math')).toBeNull();
            for (const element of root.querySelectorAll('*')) {
                // The source may be read (aria-label, an error's title), never followed or run.
                expect(element.getAttributeNames().filter((name) => !HARMLESS_ATTRIBUTES.has(name))).toEqual([]);
            }
            expect(root.querySelector('.app')).toBeNull();
            expect(root.innerHTML).not.toContain('position: fixed');
            expect(root.innerHTML).not.toContain('<img');
        }
    });

    it('draws inline $formulas$ only when the server allows them', () => {
        latex(true, true);
        const root = dom('Euler: $e^{i\\pi} + 1 = 0$, done');
        expect(root.querySelector('.md-latex-inline .katex')).not.toBeNull();
        expect(root.textContent).toContain('Euler: ');
        latex(true, false);
        const plain = dom('Euler: $e^{i\\pi} + 1 = 0$, done');
        expect(plain.querySelector('.katex')).toBeNull();
        expect(plain.textContent).toBe('Euler: $e^{i\\pi} + 1 = 0$, done');
    });

    it('follows the setting when it changes while a message is shown', () => {
        latex(false, false);
        const root = dom('```latex\nx^2\n```');
        expect(root.querySelector('.katex')).toBeNull();
        act(() => latex(true, false));
        expect(root.querySelector('.md-latex .katex')).not.toBeNull();
    });
});

describe('inline LaTeX syntax', () => {
    const on = {inlineLatex: true};

    it('leaves prices alone', () => {
        expect(parseInline('it costs $5 or $10 now', on)).toEqual([{type: 'text', text: 'it costs $5 or $10 now'}]);
        expect(parseInline('$ x $', on)).toEqual([{type: 'text', text: '$ x $'}]);
        expect(parseInline('between $3 and $4', on)).toEqual([{type: 'text', text: 'between $3 and $4'}]);
    });

    it('takes a formula between dollars, escapes and all', () => {
        expect(parseInline('so $x$.', on)).toEqual([{type: 'text', text: 'so '}, {type: 'latex', text: 'x'}, {type: 'text', text: '.'}]);
        expect(parseInline('$a \\$ b$', on)).toEqual([{type: 'latex', text: 'a \\$ b'}]);
        expect(parseInline('\\$x$', on)).toEqual([{type: 'text', text: '$x$'}]);
        expect(parseInline('$\\alpha$', on)).toEqual([{type: 'latex', text: '\\alpha'}]);
    });

    it('is only text when off', () => {
        expect(parseInline('$x$')).toEqual([{type: 'text', text: '$x$'}]);
    });

    it('needs EnableLatex as well as EnableInlineLatex, as in Mattermost', () => {
        expect(latexOf({EnableLatex: 'true', EnableInlineLatex: 'true'})).toEqual({blocks: true, inline: true});
        expect(latexOf({EnableLatex: 'false', EnableInlineLatex: 'true'})).toEqual({blocks: false, inline: false});
        expect(latexOf({EnableLatex: 'true', EnableInlineLatex: 'false'})).toEqual({blocks: true, inline: false});
        expect(latexOf({})).toEqual({blocks: false, inline: false});
    });
});

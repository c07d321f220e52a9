import {render} from '@testing-library/react';
import {renderToStaticMarkup} from 'react-dom/server';
import {describe, expect, it} from 'vitest';

import type {Team} from '@mattermost/types/teams';

import {currentPanel, openPanel} from '../lists/panel';
import {store} from '../store/state';
import {makeChannel, stateWith} from '../test/fixtures';
import {Markdown} from './Markdown';
import {parseInline, parseMarkdown, safeHref} from './parse';

function html(text: string): string {
    return renderToStaticMarkup(<Markdown text={text}/>);
}

function dom(text: string): HTMLElement {
    return render(<div data-testid='root'><Markdown text={text}/></div>).getByTestId('root');
}

// Every way we know of to smuggle script or remote content into a message.
const ATTACKS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<IMG SRC="javascript:alert(1)">',
    '<svg onload=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](  javascript:alert(1))',
    '[click](java\tscript:alert(1))',
    '[click](vbscript:msgbox(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](//evil.example/x)',
    '[click](/\\evil.example/x)',
    '<javascript:alert(1)>',
    '![x](https://evil.example/track.png)',
    '![x](javascript:alert(1))',
    '[![x](https://evil.example/a.png)](javascript:alert(1))',
    '**<script>alert(1)</script>**',
    '`<script>alert(1)</script>`',
    '```\n<script>alert(1)</script>\n```',
    '> <img src=x onerror=alert(1)>',
    '- <style>body{display:none}</style>',
    '[a](https://ok.example "title\\" onmouseover=alert(1))',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '[x](&#106;avascript:alert(1))',
];

describe('sanitising', () => {
    it.each(ATTACKS)('%s runs nothing and loads nothing', (attack) => {
        const root = dom(attack);
        expect(root.querySelector('script, img, iframe, svg, style, object, embed, form, input')).toBeNull();
        for (const element of root.querySelectorAll('*')) {
            for (const attribute of element.getAttributeNames()) {
                expect(attribute.startsWith('on')).toBe(false);
                expect(attribute).not.toBe('style');
            }
        }
        for (const link of root.querySelectorAll('a')) {
            expect(link.getAttribute('href')).toMatch(/^(https?:|mailto:|\/[^/\\])/);
        }
    });

    it('keeps raw HTML as visible text', () => {
        const root = dom('<script>alert(1)</script>');
        expect(root.textContent).toBe('<script>alert(1)</script>');
        expect(html('<b>x</b>')).toContain('&lt;b&gt;x&lt;/b&gt;');
    });

    it('keeps the words of a link whose address is unsafe, without the link', () => {
        const root = dom('[click here](javascript:alert(1))');
        expect(root.querySelector('a')).toBeNull();
        expect(root.textContent).toBe('click here');
    });

    it('shows an image as a link to it, never as an image', () => {
        const link = dom('![the plan](https://example.org/plan.png)').querySelector('a')!;
        expect(link.getAttribute('href')).toBe('https://example.org/plan.png');
        expect(link.textContent).toBe('the plan');
    });

    it('opens every link in a new tab without giving it our window', () => {
        const root = dom('see https://example.org and [docs](https://docs.example.org/a_(b)) and <mailto:x@example.org>');
        const links = [...root.querySelectorAll('a')];
        expect(links.map((a) => a.getAttribute('href'))).toEqual([
            'https://example.org/', 'https://docs.example.org/a_(b)', 'mailto:x@example.org',
        ]);
        for (const link of links) {
            expect(link.getAttribute('target')).toBe('_blank');
            expect(link.getAttribute('rel')).toBe('noopener noreferrer');
        }
    });
});

describe('safeHref', () => {
    it('allows web, mail and same-site addresses only', () => {
        expect(safeHref('https://example.org/x?y=1')).toBe('https://example.org/x?y=1');
        expect(safeHref('www.example.org')).toBe('https://www.example.org');
        expect(safeHref('/denmark/pl/abc')).toBe('/denmark/pl/abc');
        expect(safeHref('mailto:someone@example.org')).toBe('mailto:someone@example.org');
        for (const bad of ['javascript:alert(1)', ' javascript:x', 'JAVASCRIPT:x', 'data:text/html,x', 'file:///etc/passwd', '//evil.example', 'ftp://x', '']) {
            expect(safeHref(bad)).toBeNull();
        }
    });
});

describe('Mattermost Markdown', () => {
    it('renders emphasis, code and strike-through', () => {
        expect(html('**bold** *it* _it2_ ~~gone~~ `x * y`')).toBe(
            '<p><strong>bold</strong> <em>it</em> <em>it2</em> <del>gone</del> <code class="md-inline-code">x * y</code></p>',
        );
    });

    it('leaves underscores inside words alone', () => {
        expect(html('snake_case_name and __init__.py')).toBe('<p>snake_case_name and <strong>init</strong>.py</p>');
    });

    it('keeps line breaks inside a paragraph, as chat users expect', () => {
        expect(html('one\ntwo')).toBe('<p>one<br/>two</p>');
    });

    it('renders fenced code verbatim, Markdown and all', () => {
        expect(html('```python\nprint("**no**")\n```')).toBe(
            '<pre class="md-code" dir="ltr"><code data-language="python">print(&quot;**no**&quot;)</code></pre>',
        );
    });

    it('renders quotes, lists and headings', () => {
        expect(parseMarkdown('> quoted\n\n- a\n- b\n\n3. c\n4. d\n\n## Title')).toEqual([
            {type: 'quote', children: [{type: 'paragraph', children: [{type: 'text', text: 'quoted'}]}]},
            {type: 'list', ordered: false, start: 1, items: [
                [{type: 'paragraph', children: [{type: 'text', text: 'a'}]}],
                [{type: 'paragraph', children: [{type: 'text', text: 'b'}]}],
            ]},
            {type: 'list', ordered: true, start: 3, items: [
                [{type: 'paragraph', children: [{type: 'text', text: 'c'}]}],
                [{type: 'paragraph', children: [{type: 'text', text: 'd'}]}],
            ]},
            {type: 'heading', level: 2, children: [{type: 'text', text: 'Title'}]},
        ]);
    });

    it('renders GitHub tables, with their columns\' alignment and Markdown in cells', () => {
        const text = 'Before\n| Name | Lines |  Act |\n|:-----|------:|:----:|\n| **Hamlet** | 1506 | I |\n| Claudius \\| king | 544 |\nAfter';
        const root = dom(text);
        const table = root.querySelector('table')!;
        expect([...table.querySelectorAll('th')].map((cell) => cell.textContent)).toEqual(['Name', 'Lines', 'Act']);
        expect([...table.querySelectorAll('th')].map((cell) => cell.style.textAlign)).toEqual(['start', 'end', 'center']);
        const rows = [...table.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
        // A short row is filled out; an escaped pipe stays in its cell; the paragraph after the table is its own.
        expect(rows).toEqual([['Hamlet', '1506', 'I'], ['Claudius | king', '544', '']]);
        expect(table.querySelector('td strong')!.textContent).toBe('Hamlet');
        expect([...root.querySelectorAll('p')].map((p) => p.textContent)).toEqual(['Before', 'After']);
    });

    it('takes a pipe in a sentence for text, not a table', () => {
        expect(parseMarkdown('either | or\nnothing more')).toEqual([
            {type: 'paragraph', children: [{type: 'text', text: 'either | or'}, {type: 'br'}, {type: 'text', text: 'nothing more'}]},
        ]);
    });

    it('links ~channel to the channel of the reader\'s team, and leaves unknown names as written', () => {
        expect(parseInline('see ~off-topic, not a~b or ~~struck~~')).toEqual([
            {type: 'text', text: 'see '},
            {type: 'channel', name: 'off-topic'},
            {type: 'text', text: ', not a~b or '},
            {type: 'del', children: [{type: 'text', text: 'struck'}]},
        ]);
        const team = {id: 'denmark', name: 'denmark', display_name: 'Denmark'} as Team;
        store.update(() => stateWith({
            teams: {denmark: team},
            channels: {c1: makeChannel({id: 'c1', name: 'off-topic', display_name: 'Off-Topic', team_id: 'denmark'})},
            view: {...stateWith().view, teamId: 'denmark'},
        }));
        const root = dom('~off-topic and ~elsewhere');
        const link = root.querySelector('a.channel-mention')!;
        expect(link.textContent).toBe('~Off-Topic');
        expect(link.getAttribute('href')).toBe('/denmark/channels/off-topic');
        expect(link.getAttribute('target')).toBeNull();
        expect(root.textContent).toBe('~Off-Topic and ~elsewhere');
    });

    it('finds mentions but not e-mail addresses', () => {
        expect(parseInline('@hamlet, mail me at hamlet@example.org')).toEqual([
            {type: 'mention', name: 'hamlet'},
            {type: 'text', text: ', mail me at hamlet@example.org'},
        ]);
    });

    it('highlights the reader\'s own mentions', () => {
        const root = render(<Markdown text='@hamlet and @othello.' highlight={new Set(['hamlet'])}/>).container;
        expect([...root.querySelectorAll('.mention-me')].map((e) => e.textContent)).toEqual(['@hamlet']);
        expect(root.querySelectorAll('.mention')).toHaveLength(2);
    });

    it('turns known :emoji: into the character and leaves unknown ones alone', () => {
        expect(dom(':tada: :not_an_emoji: 10:30:00').textContent).toBe('🎉 :not_an_emoji: 10:30:00');
    });

    it('takes trailing punctuation out of a bare link', () => {
        const link = dom('(see https://example.org/page).').querySelector('a')!;
        expect(link.textContent).toBe('https://example.org/page');
    });

    it('renders task lists as disabled checkboxes, ticked or not', () => {
        const root = dom('- [ ] write the tests\n- [x] **ship** it\n- plain item\n\n1. [X] numbered');
        const boxes = [...root.querySelectorAll<HTMLInputElement>('input[type=checkbox]')];
        expect(boxes.map((box) => [box.checked, box.disabled])).toEqual([[false, true], [true, true], [true, true]]);
        expect(boxes.every((box) => box.getAttribute('aria-label') === 'Task')).toBe(true);
        const items = [...root.querySelectorAll('li')];
        expect(items.map((item) => item.textContent)).toEqual(['write the tests', 'ship it', 'plain item', 'numbered']);
        expect(items.map((item) => item.className)).toEqual(['md-task', 'md-task', '', 'md-task']);
        expect(root.querySelector('li strong')!.textContent).toBe('ship');
    });

    it('keeps brackets that are not a task box, and lists without tasks as they were', () => {
        expect(dom('- [link](https://example.org) here\n- [y] not a box').querySelector('input')).toBeNull();
        expect(parseMarkdown('- a')).toEqual([{type: 'list', ordered: false, start: 1, items: [[{type: 'paragraph', children: [{type: 'text', text: 'a'}]}]]}]);
    });

    it('finds hashtags as the server does: a letter first, trailing punctuation left out', () => {
        expect(parseInline('#release, #v2.1. #1st C#no x#y #a #été_23 ##no')).toEqual([
            {type: 'hashtag', tag: 'release'},
            {type: 'text', text: ', '},
            {type: 'hashtag', tag: 'v2.1'},
            {type: 'text', text: '. #1st C#no x#y #a '},
            {type: 'hashtag', tag: 'été_23'},
            {type: 'text', text: ' ##no'},
        ]);
        // A heading needs a space after its signs; a hashtag at the start of a line is not one.
        expect(parseMarkdown('#release notes')[0].type).toBe('paragraph');
    });

    it('makes a hashtag a button that searches the team for it, closing an open thread', () => {
        openPanel(null);
        store.update(() => stateWith({view: {teamId: 'denmark', channelId: 'town', threadId: 'root1'}}));
        const button = dom('shipped #release today').querySelector<HTMLButtonElement>('button.hashtag')!;
        expect(button.textContent).toBe('#release');
        expect(button.type).toBe('button');
        button.click();
        expect(currentPanel()).toEqual({kind: 'search', channelId: '', terms: '#release'});
        expect(store.get().view.threadId).toBe('');
        // Inside a link's words a hashtag stays text.
        const link = render(<Markdown text='[see #release](https://example.org)'/>).container.querySelector('a')!;
        expect(link.querySelector('button')).toBeNull();
        expect(link.textContent).toBe('see #release');
    });

    it('honours backslash escapes', () => {
        expect(html('\\*not emphasis\\*')).toBe('<p>*not emphasis*</p>');
    });
});

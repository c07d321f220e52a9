import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import {Composer, forgetDrafts} from '../posts/Composer';
import {store} from '../store/state';
import {stateWith} from '../test/fixtures';
import type {Trigger} from './trigger';

const sendPost = vi.fn((..._args: unknown[]) => Promise.resolve());
vi.mock('../store/actions', () => ({sendPost: (...args: unknown[]) => sendPost(...args)}));
const suggest = vi.fn(async (trigger: Trigger) => (trigger.kind === 'user' ? [
    {insert: '@hamlet', label: '@hamlet', detail: 'Prince of Denmark'},
    {insert: '@horatio', label: '@horatio'},
] : []));
vi.mock('./suggest', () => ({suggest: (trigger: Trigger) => suggest(trigger)}));

function box(): HTMLTextAreaElement {
    return screen.getByRole('combobox', {name: 'Write here'}) as HTMLTextAreaElement;
}

async function type(text: string) {
    const textarea = box();
    textarea.focus();
    await act(async () => {
        fireEvent.change(textarea, {target: {value: text, selectionStart: text.length, selectionEnd: text.length}});
        textarea.setSelectionRange(text.length, text.length);
        fireEvent.select(textarea);
        await new Promise((resolve) => setTimeout(resolve, 200));
    });
}

describe('composer suggestions', () => {
    beforeEach(() => {
        vi.stubGlobal('requestAnimationFrame', (run: () => void) => setTimeout(run, 0));
        sendPost.mockClear();
        forgetDrafts();
        store.update(() => stateWith());
        render(<Composer channelId='town' label='Write here'/>);
    });

    it('lists matches as options the textarea points at', async () => {
        await type('ask @h');
        const list = screen.getByRole('listbox', {name: 'Suggestions'});
        expect(box().getAttribute('aria-expanded')).toBe('true');
        expect(box().getAttribute('aria-controls')).toBe(list.id);
        const options = screen.getAllByRole('option');
        expect(options.map((o) => o.textContent)).toEqual(['@hamletPrince of Denmark', '@horatio']);
        expect(box().getAttribute('aria-activedescendant')).toBe(options[0].id);
        expect(options[0].getAttribute('aria-selected')).toBe('true');
    });

    it('moves with the arrows and picks with Enter instead of sending', async () => {
        await type('ask @h');
        fireEvent.keyDown(box(), {key: 'ArrowDown'});
        expect(screen.getAllByRole('option')[1].getAttribute('aria-selected')).toBe('true');
        fireEvent.keyDown(box(), {key: 'Enter'});
        expect(box().value).toBe('ask @horatio ');
        expect(sendPost).not.toHaveBeenCalled();
        expect(screen.queryByRole('listbox')).toBeNull();
    });

    it('closes on Escape, after which Enter sends', async () => {
        await type('ask @h');
        fireEvent.keyDown(box(), {key: 'Escape'});
        expect(screen.queryByRole('listbox')).toBeNull();
        await act(async () => {
            fireEvent.keyDown(box(), {key: 'Enter'});
        });
        expect(sendPost).toHaveBeenCalledWith('town', 'ask @h', '', []);
    });

    it('picks with Tab too', async () => {
        await type('@h');
        fireEvent.keyDown(box(), {key: 'Tab'});
        expect(box().value).toBe('@hamlet ');
    });
});

import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import {makePost, postList, stateWith} from '../test/fixtures';
import {receivePostList} from '../store/posts';
import {store} from '../store/state';
import {Composer, forgetDrafts} from './Composer';

const sendPost = vi.fn((..._args: unknown[]) => Promise.resolve());
vi.mock('../store/actions', () => ({sendPost: (...args: unknown[]) => sendPost(...args)}));

function box(): HTMLTextAreaElement {
    return screen.getByRole('combobox', {name: 'Write here'}) as HTMLTextAreaElement;
}

describe('the composer', () => {
    beforeEach(() => {
        sendPost.mockClear();
        forgetDrafts();
        store.update(() => stateWith());
        render(<Composer channelId='town' label='Write here'/>);
    });

    it('sends on Enter and empties itself', async () => {
        fireEvent.change(box(), {target: {value: 'hello'}});
        await act(async () => {
            fireEvent.keyDown(box(), {key: 'Enter'});
        });
        expect(sendPost).toHaveBeenCalledWith('town', 'hello', '', []);
        expect(box().value).toBe('');
    });

    it('does not send on Shift+Enter, nor an empty message', () => {
        fireEvent.change(box(), {target: {value: 'line one'}});
        fireEvent.keyDown(box(), {key: 'Enter', shiftKey: true});
        fireEvent.change(box(), {target: {value: '   '}});
        fireEvent.keyDown(box(), {key: 'Enter'});
        expect(sendPost).not.toHaveBeenCalled();
    });

    it('does not send while an input method is composing', () => {
        fireEvent.change(box(), {target: {value: 'にほん'}});
        fireEvent.keyDown(box(), {key: 'Enter', isComposing: true});
        expect(sendPost).not.toHaveBeenCalled();
    });

    it('keeps the text and shows the server\'s message when sending fails', async () => {
        sendPost.mockImplementationOnce(() => Promise.reject(new Error('Message too long.')));
        fireEvent.change(box(), {target: {value: 'a long one'}});
        await act(async () => {
            fireEvent.keyDown(box(), {key: 'Enter'});
        });
        expect(box().value).toBe('a long one');
        expect(screen.getByRole('alert').textContent).toBe('Message too long.');
    });

    it('edits my last message on Up when empty', () => {
        const mine = makePost({user_id: 'hamlet'});
        const theirs = makePost({user_id: 'othello'});
        act(() => store.update((state) => receivePostList(state, 'town', postList([mine, theirs]), 'latest')));
        fireEvent.keyDown(box(), {key: 'ArrowUp'});
        expect(store.get().editingPostId).toBe(mine.id);
    });
});

describe('drafts', () => {
    it('keeps unsent text per channel and thread', () => {
        store.update(() => stateWith());
        const first = render(<Composer channelId='town' rootId='root1' label='Reply'/>);
        fireEvent.change(screen.getByRole('combobox', {name: 'Reply'}), {target: {value: 'half a thought'}});
        first.unmount();
        const other = render(<Composer channelId='town' rootId='root2' label='Reply'/>);
        expect((screen.getByRole('combobox', {name: 'Reply'}) as HTMLTextAreaElement).value).toBe('');
        other.unmount();
        render(<Composer channelId='town' rootId='root1' label='Reply'/>);
        expect((screen.getByRole('combobox', {name: 'Reply'}) as HTMLTextAreaElement).value).toBe('half a thought');
    });
});

import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import {makePost, stateWith} from '../test/fixtures';
import {store} from '../store/state';
import {InteractiveDialog} from './InteractiveDialog';
import {MessageAttachments} from './MessageAttachments';
import {closeDialog, showDialog} from './interactive';

const doPostAction = vi.fn((..._args: unknown[]) => Promise.resolve({status: 'OK', trigger_id: 't'}));
const submitInteractiveDialog = vi.fn((..._args: unknown[]) => Promise.resolve({errors: {name: 'Too short'}} as Record<string, unknown>));
vi.mock('../api/client', () => ({
    client: {
        doPostActionWithCookie: (...args: unknown[]) => doPostAction(...args),
        submitInteractiveDialog: (...args: unknown[]) => submitInteractiveDialog(...args),
    },
    errorMessage: (failure: unknown) => String(failure),
}));

const poll = makePost({
    message: '',
    props: {
        attachments: [{
            title: 'To be?',
            text: 'Choose wisely',
            actions: [
                {id: 'yes', name: 'Yes', type: 'button'},
                {id: 'menu', name: 'Pick one', type: 'select', cookie: 'sealed', options: [{text: 'Not to be', value: 'no'}]},
            ],
        }],
    },
});

describe('message attachments', () => {
    beforeEach(() => {
        doPostAction.mockClear();
        submitInteractiveDialog.mockClear();
        store.update(() => stateWith());
    });

    it('shows the title and text, and a button click asks the server for that action', () => {
        render(<MessageAttachments post={poll}/>);
        expect(screen.getByText('To be?')).toBeTruthy();
        expect(screen.getByText('Choose wisely')).toBeTruthy();
        fireEvent.click(screen.getByRole('button', {name: 'Yes'}));
        expect(doPostAction).toHaveBeenCalledWith(poll.id, 'yes', '', '');
    });

    it('sends the chosen option of a menu', () => {
        render(<MessageAttachments post={poll}/>);
        fireEvent.change(screen.getByRole('combobox', {name: 'Pick one'}), {target: {value: 'no'}});
        expect(doPostAction).toHaveBeenCalledWith(poll.id, 'menu', 'sealed', 'no');
    });

    it('shows nothing for a post without attachments', () => {
        const {container} = render(<MessageAttachments post={makePost()}/>);
        expect(container.innerHTML).toBe('');
    });
});

describe('an interactive dialog', () => {
    beforeEach(() => {
        submitInteractiveDialog.mockClear();
        store.update(() => stateWith());
    });

    it('opens on open_dialog, submits its fields to the URL and shows the errors the integration returns', async () => {
        render(<InteractiveDialog/>);
        expect(screen.queryByRole('dialog')).toBeNull();
        act(() => showDialog({
            trigger_id: 'trig',
            url: 'https://bot.example/dialog',
            dialog: {title: 'Report', callback_id: 'cb', state: 'st', submit_label: 'Send', elements: [
                {display_name: 'Name', name: 'name', type: 'text', default: ''} as never,
            ]} as never,
        }));
        expect(screen.getByRole('dialog', {name: 'Report'})).toBeTruthy();
        fireEvent.change(screen.getByRole('textbox', {name: 'Name'}), {target: {value: 'Yo'}});
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Send'}));
        });
        const sent = submitInteractiveDialog.mock.calls[0][0] as Record<string, unknown>;
        expect(sent).toMatchObject({url: 'https://bot.example/dialog', callback_id: 'cb', state: 'st', submission: {name: 'Yo'}});
        expect(screen.getByText('Too short')).toBeTruthy();
        act(() => closeDialog());
        expect(screen.queryByRole('dialog')).toBeNull();
    });
});

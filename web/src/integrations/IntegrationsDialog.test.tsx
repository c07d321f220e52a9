import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import type {UserProfile} from '@mattermost/types/users';

import {store} from '../store/state';
import IntegrationsDialog from './IntegrationsDialog';

const created: unknown[] = [];
vi.mock('../api/client', () => ({
    client: {
        getIncomingWebhooks: () => Promise.resolve([{id: 'hook1', channel_id: 'c1', display_name: 'CI'}]),
        getOutgoingWebhooks: () => Promise.resolve([{id: 'out1', token: 'tok', trigger_words: ['!echo'], callback_urls: ['https://x.example/h'], display_name: ''}]),
        getBotsIncludeDeleted: () => Promise.resolve([{user_id: 'b1', username: 'relay', display_name: 'Relay', delete_at: 0}]),
        createIncomingWebhook: (hook: unknown) => { created.push(hook); return Promise.resolve(hook); },
        getCustomTeamCommands: () => Promise.resolve([{id: 'cmd1', trigger: 'weather', method: 'P', url: 'https://w.example/cmd', token: 'cmdtok'}]),
        addCommand: (command: unknown) => { created.push(command); return Promise.resolve(command); },
    },
    errorMessage: (error: unknown) => String(error),
}));

describe('the integrations dialog', () => {
    beforeEach(() => {
        created.length = 0;
        store.update((state) => ({
            ...state,
            me: {id: 'me', roles: 'system_user system_admin'} as UserProfile,
            view: {...state.view, teamId: 't1'},
            channels: {c1: {id: 'c1', team_id: 't1', type: 'O', delete_at: 0, display_name: 'Town Square'} as never},
        }));
    });

    it('lists the team\'s hooks and the bots, with each incoming hook\'s URL, and makes a hook', async () => {
        await act(async () => {
            render(<IntegrationsDialog onClose={() => {}}/>);
        });
        expect(screen.getByText(`${window.location.origin}/hooks/hook1`)).toBeTruthy();
        expect(screen.getByText('tok')).toBeTruthy();
        expect(screen.getByText('@relay')).toBeTruthy();
        fireEvent.change(screen.getAllByLabelText('Name')[0], {target: {value: 'Alerts'}});
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Add incoming webhook'}));
        });
        expect(created).toEqual([{channel_id: 'c1', display_name: 'Alerts'}]);
    });

    it('lists the team\'s slash commands with their tokens, and adds one without its slash', async () => {
        await act(async () => {
            render(<IntegrationsDialog onClose={() => {}}/>);
        });
        expect(screen.getByText('/weather')).toBeTruthy();
        expect(screen.getByText('cmdtok')).toBeTruthy();
        fireEvent.change(screen.getByLabelText('Trigger word'), {target: {value: '/Deploy'}});
        fireEvent.change(screen.getByLabelText('Request URL'), {target: {value: 'https://ci.example/deploy'}});
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Add slash command'}));
        });
        expect(created).toEqual([expect.objectContaining({team_id: 't1', trigger: 'deploy', url: 'https://ci.example/deploy', method: 'P'})]);
    });
});

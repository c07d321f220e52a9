import {fireEvent, render, screen, within} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {MembersPanel} from '../channels/MembersPanel';
import {store} from '../store/state';
import {makeChannel, stateWith} from '../test/fixtures';
import {ProfileModeration} from './ProfileModeration';

const api = vi.hoisted(() => ({
    moderation: vi.fn(() => Promise.resolve({user_id: 'hamlet', muted: false, until: 0})),
    getChannelMember: vi.fn(() => Promise.resolve({})),
    getTeamMember: vi.fn(() => Promise.resolve({delete_at: 0})),
    removeFromChannel: vi.fn(() => Promise.resolve({status: 'OK'})),
    removeFromTeam: vi.fn(() => Promise.resolve({status: 'OK'})),
    getProfilePictureUrl: () => '',
}));
vi.mock('../api/client', () => ({
    client: api,
    errorMessage: (error: unknown) => (error instanceof Error ? error.message : String(error)),
}));
const members = vi.hoisted(() => ({
    loadChannelMembers: vi.fn(),
    canManageChannel: vi.fn(() => false),
    addChannelMember: vi.fn(),
}));
vi.mock('../store/channelActions', () => members);
vi.mock('../channels/useMembershipEvents', () => ({useMembershipEvents: () => undefined}));

const team = {id: 'denmark', name: 'denmark', display_name: 'Denmark'} as Team;
const hamlet = {id: 'hamlet', username: 'hamlet', roles: 'system_user', delete_at: 0} as UserProfile;
const horatio = {id: 'horatio', username: 'horatio', roles: 'system_user system_admin', delete_at: 0} as UserProfile;
const othello = {id: 'othello', username: 'othello', roles: 'system_user system_moderator', delete_at: 0} as UserProfile;
// The server's envelope, as Client4 turns it into an error: its message is what the user reads.
const refusal = Object.assign(new Error('Moderators cannot act on admins or other moderators.'), {
    server_error_id: 'api.moderation.protected_user.app_error', status_code: 403,
});

function viewing(channelName: string) {
    const elsinore = makeChannel({id: 'elsinore', name: channelName, display_name: 'Elsinore'});
    store.update(() => stateWith({me: othello, channels: {elsinore}, view: {teamId: 'denmark', channelId: 'elsinore', threadId: ''}}));
}

/** Lets the loads the component started answer. */
async function settle(): Promise<void> {
    await act(async () => {
        for (let tick = 0; tick < 5; tick++) {
            await Promise.resolve();
        }
    });
}

describe('a moderator removing people', () => {
    beforeEach(() => {
        vi.clearAllMocks();
        members.loadChannelMembers.mockReset().mockResolvedValue({users: [hamlet, horatio, othello], total: 3});
    });

    it('removes from the open channel from the profile card, after confirming, showing the server\'s refusal', async () => {
        viewing('elsinore');
        render(<ProfileModeration user={hamlet} team={team}/>);
        await settle();
        expect(api.getChannelMember).toHaveBeenCalledWith('elsinore', 'hamlet');
        fireEvent.click(screen.getByRole('button', {name: 'Remove from this channel…'}));
        const dialog = screen.getByRole('dialog', {name: 'Remove @hamlet from ~Elsinore'});
        expect(dialog.textContent).toContain('Remove @hamlet from ~Elsinore? They stop receiving its messages.');
        expect(api.removeFromChannel).not.toHaveBeenCalled();
        api.removeFromChannel.mockRejectedValueOnce(refusal);
        await act(async () => {
            fireEvent.click(within(dialog).getByRole('button', {name: 'Remove'}));
        });
        expect(within(dialog).getByRole('alert').textContent).toBe('Moderators cannot act on admins or other moderators.');
        await act(async () => {
            fireEvent.click(within(dialog).getByRole('button', {name: 'Remove'}));
        });
        expect(api.removeFromChannel).toHaveBeenLastCalledWith('hamlet', 'elsinore');
        expect(screen.queryByRole('dialog')).toBeNull();
        expect(screen.getByRole('status').textContent).toBe('@hamlet was removed from ~Elsinore.');
    });

    it('removes from the team from the profile card', async () => {
        viewing('elsinore');
        render(<ProfileModeration user={hamlet} team={team}/>);
        await settle();
        fireEvent.click(screen.getByRole('button', {name: 'Remove from the team…'}));
        const dialog = screen.getByRole('dialog', {name: 'Remove @hamlet from Denmark'});
        await act(async () => {
            fireEvent.click(within(dialog).getByRole('button', {name: 'Remove from team'}));
        });
        expect(api.removeFromTeam).toHaveBeenCalledWith('denmark', 'hamlet');
        expect(screen.getByRole('status').textContent).toBe('@hamlet was removed from the team Denmark.');
    });

    it('offers no channel removal in the default channel, nor where the person is not a member', async () => {
        viewing('town-square');
        const {unmount} = render(<ProfileModeration user={hamlet} team={team}/>);
        await settle();
        expect(screen.queryByRole('button', {name: 'Remove from this channel…'})).toBeNull();
        expect(screen.getByRole('button', {name: 'Remove from the team…'})).toBeTruthy();
        unmount();
        viewing('elsinore');
        api.getChannelMember.mockRejectedValueOnce(new Error('not a member'));
        render(<ProfileModeration user={hamlet} team={team}/>);
        await settle();
        expect(screen.queryByRole('button', {name: 'Remove from this channel…'})).toBeNull();
    });

    it('shows nothing on an admin\'s card', async () => {
        viewing('elsinore');
        render(<ProfileModeration user={horatio} team={team}/>);
        await settle();
        expect(screen.queryByRole('group', {name: 'Moderator tools'})).toBeNull();
    });

    it('removes members, not admins, from the channel\'s member list, after confirming', async () => {
        viewing('elsinore');
        render(<MembersPanel channelId='elsinore' team={team}/>);
        await settle();
        expect(screen.queryByRole('button', {name: 'Remove @horatio from the channel'})).toBeNull();
        expect(screen.queryByRole('button', {name: 'Remove @othello from the channel'})).toBeNull();
        fireEvent.click(screen.getByRole('button', {name: 'Remove @hamlet from the channel'}));
        api.removeFromChannel.mockRejectedValueOnce(refusal);
        await act(async () => {
            fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', {name: 'Remove'}));
        });
        expect(screen.getByRole('alert').textContent).toBe(refusal.message);
        fireEvent.click(screen.getByRole('button', {name: 'Cancel'}));
        expect(screen.queryByRole('dialog')).toBeNull();
        // Opened again, the earlier refusal is gone.
        fireEvent.click(screen.getByRole('button', {name: 'Remove @hamlet from the channel'}));
        const dialog = screen.getByRole('dialog', {name: 'Remove @hamlet from ~Elsinore'});
        expect(within(dialog).queryByRole('alert')).toBeNull();
        await act(async () => {
            fireEvent.click(within(dialog).getByRole('button', {name: 'Remove'}));
        });
        expect(api.removeFromChannel).toHaveBeenLastCalledWith('hamlet', 'elsinore');
        expect(members.loadChannelMembers).toHaveBeenCalledTimes(2);
    });
});

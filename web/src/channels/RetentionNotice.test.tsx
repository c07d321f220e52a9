import {render, screen} from '@testing-library/react';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {client} from '../api/client';
import {store} from '../store/state';
import {makeChannel, stateWith} from '../test/fixtures';
import {forgetRetentionPolicies, retentionNotice, type RetentionPolicies} from './retention';
import {RetentionNotice} from './RetentionNotice';

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_800_000_000_000;

function policies(fields: Partial<RetentionPolicies> = {}): RetentionPolicies {
    return {globalCutoff: null, fetchedAt: NOW, teams: {}, channels: {}, ...fields};
}

describe('retentionNotice', () => {
    const channel = {id: 'town', team_id: 'denmark'};

    it('says nothing when nothing is deleted', () => {
        expect(retentionNotice(channel, policies())).toBeNull();
    });

    it('reads the global policy from its cutoff, in days or, when shorter than a week and not whole days, hours', () => {
        expect(retentionNotice(channel, policies({globalCutoff: NOW - 90 * DAY}))).toEqual({unit: 'days', count: 90});
        expect(retentionNotice(channel, policies({globalCutoff: NOW - 12 * 3_600_000}))).toEqual({unit: 'hours', count: 12});
        expect(retentionNotice(channel, policies({globalCutoff: NOW - 2 * DAY}))).toEqual({unit: 'days', count: 2});
    });

    it("takes the channel's policy over its team's, and its team's over the global one", () => {
        const all = policies({globalCutoff: NOW - 90 * DAY, teams: {denmark: 30}, channels: {town: 7}});
        expect(retentionNotice(channel, all)).toEqual({unit: 'days', count: 7});
        expect(retentionNotice({id: 'other', team_id: 'denmark'}, all)).toEqual({unit: 'days', count: 30});
        expect(retentionNotice({id: 'dm', team_id: ''}, all)).toEqual({unit: 'days', count: 90});
        // A policy that keeps forever wins too: nothing to announce.
        expect(retentionNotice(channel, policies({globalCutoff: NOW - DAY, teams: {denmark: -1}}))).toBeNull();
    });
});

describe('RetentionNotice', () => {
    beforeEach(() => {
        forgetRetentionPolicies();
        store.update(() => stateWith());
        vi.spyOn(client, 'getDataRetentionPolicy').mockResolvedValue({
            message_deletion_enabled: true, message_retention_cutoff: Date.now() - 90 * DAY,
        } as never);
        vi.spyOn(client, 'getUserRetentionPolicies').mockImplementation((_user, scope) => Promise.resolve(
            scope === 'channel'
                ? {policies: [{channel_id: 'secret', post_duration: 1}], total_count: 1}
                : {policies: [], total_count: 0},
        ));
    });
    afterEach(() => vi.restoreAllMocks());

    it('tells the reader how long messages in the channel are kept', async () => {
        render(<RetentionNotice channel={makeChannel()}/>);
        expect(await screen.findByText('Messages here are deleted after 90 days')).toBeTruthy();
    });

    it("shows a channel's own policy, and asks the server once", async () => {
        render(<RetentionNotice channel={makeChannel({id: 'secret'})}/>);
        expect(await screen.findByText('Messages here are deleted after 1 day')).toBeTruthy();
        render(<RetentionNotice channel={makeChannel()}/>);
        expect(await screen.findByText('Messages here are deleted after 90 days')).toBeTruthy();
        expect(client.getDataRetentionPolicy).toHaveBeenCalledTimes(1);
    });
});

// How long a channel's messages are kept, from the data retention policies the server reports:
// the channel's own policy, else its team's, else the global one (the server deletes in that
// order, actions/retention.py). Loaded once per session; the policies change rarely.
import type {ServerChannel as Channel} from '@mattermost/types/channels';

import {client} from '../api/client';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface RetentionPolicies {
    /** The global policy's message cutoff when it is on (ms), and when the server said so. */
    globalCutoff: number | null;
    fetchedAt: number;
    /** Days, by team and by channel; a negative number keeps forever. */
    teams: Record<string, number>;
    channels: Record<string, number>;
}

export type RetentionNotice = {unit: 'days' | 'hours'; count: number} | null;

/** What the header says for this channel: null when its messages are kept forever. */
export function retentionNotice(channel: Pick<Channel, 'id' | 'team_id'>, policies: RetentionPolicies): RetentionNotice {
    const granular = policies.channels[channel.id] ?? (channel.team_id ? policies.teams[channel.team_id] : undefined);
    if (granular !== undefined) {
        return granular > 0 ? {unit: 'days', count: granular} : null;
    }
    if (policies.globalCutoff === null) {
        return null;
    }
    // The cutoff is the server's "now" less the policy; ours differs by the request's time.
    const kept = policies.fetchedAt - policies.globalCutoff;
    const days = kept / DAY_MS;
    if (days >= 7 || Math.abs(days - Math.round(days)) < 0.01) {
        return {unit: 'days', count: Math.max(1, Math.round(days))};
    }
    return {unit: 'hours', count: Math.max(1, Math.round(kept / HOUR_MS))};
}

let loading: {userId: string; policies: Promise<RetentionPolicies>} | null = null;

/** The signed-in user's policies, fetched once per user (again after a failure). */
export function loadRetentionPolicies(userId: string): Promise<RetentionPolicies> {
    if (loading?.userId !== userId) {
        const policies = fetchPolicies().catch((failure: unknown) => {
            loading = null;
            throw failure;
        });
        loading = {userId, policies};
    }
    return loading.policies;
}

/** For tests: the next load asks the server again. */
export function forgetRetentionPolicies(): void {
    loading = null;
}

async function fetchPolicies(): Promise<RetentionPolicies> {
    const fetchedAt = Date.now();
    const [global, teams, channels] = await Promise.all([
        client.getDataRetentionPolicy() as unknown as Promise<{message_deletion_enabled: boolean; message_retention_cutoff: number}>,
        allPolicies('team'),
        allPolicies('channel'),
    ]);
    return {
        globalCutoff: global.message_deletion_enabled ? global.message_retention_cutoff : null,
        fetchedAt,
        teams: Object.fromEntries(teams.map((p) => [p.team_id ?? '', p.post_duration])),
        channels: Object.fromEntries(channels.map((p) => [p.channel_id ?? '', p.post_duration])),
    };
}

async function allPolicies(scope: 'team' | 'channel') {
    const found = [];
    for (let page = 0; ; page++) {
        const {policies} = await client.getUserRetentionPolicies('me', scope, page);
        found.push(...policies);
        if (policies.length < 200) {
            return found;
        }
    }
}

import type {UserProfile} from '@mattermost/types/users';

import {channelTitle, directPartnerId, unreadOf} from '../store/channels';
import type {State} from '../store/state';
import type {Candidate} from './rank';

/** What the switcher can open: the user's channels in the team and their direct and group
 * messages, and the people known so far who have no direct channel with them yet. */
export function switcherCandidates(state: State, teamId: string, people: UserProfile[]): Candidate[] {
    const me = state.me;
    if (!me) {
        return [];
    }
    const candidates: Candidate[] = [];
    const withDirect = new Set<string>();
    for (const channel of Object.values(state.channels)) {
        const member = state.members[channel.id];
        if (!member || channel.delete_at > 0 || (channel.team_id !== teamId && channel.team_id !== '')) {
            continue;
        }
        const aliases = [channel.name];
        if (channel.type === 'D') {
            const partnerId = directPartnerId(channel, me.id);
            withDirect.add(partnerId);
            const partner = state.users[partnerId];
            if (partner) {
                aliases.push(partner.username, `${partner.first_name} ${partner.last_name}`, partner.nickname);
            }
        }
        const {unread, mentions} = unreadOf(channel, member);
        candidates.push({
            id: channel.id,
            kind: 'channel',
            title: channelTitle(state, channel),
            aliases: aliases.filter(Boolean),
            unread,
            mentions,
            recency: Math.max(channel.last_post_at, member.last_viewed_at),
        });
    }
    const seen = new Set<string>();
    for (const person of people) {
        if (person.id === me.id || withDirect.has(person.id) || seen.has(person.id) || person.delete_at > 0) {
            continue;
        }
        seen.add(person.id);
        candidates.push({
            id: person.id,
            kind: 'user',
            title: person.username,
            aliases: [`${person.first_name} ${person.last_name}`, person.nickname].filter((alias) => alias.trim()),
            unread: false,
            mentions: 0,
            recency: 0,
        });
    }
    return candidates;
}

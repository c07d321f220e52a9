import type {Team} from '@mattermost/types/teams';

import {channelPath} from '../app/router';
import {directPartnerId} from '../store/channels';
import type {State} from '../store/state';

/** A channel's address in the app: Mattermost's URL for it. */
export function channelHref(state: State, team: Team, channelId: string): string {
    const channel = state.channels[channelId];
    if (channel.type === 'D' && state.me) {
        const partner = state.users[directPartnerId(channel, state.me.id)];
        if (partner) {
            return `/${team.name}/messages/@${partner.username}`;
        }
    }
    if (channel.type === 'G') {
        return `/${team.name}/messages/${channel.name}`;
    }
    return channelPath(team.name, channel.name);
}

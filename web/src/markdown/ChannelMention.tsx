import type {ReactNode} from 'react';

import {channelPath, followLink} from '../app/router';
import {useAppState} from '../store/state';

/** `~town-square` in a message: a link to the channel, by its display name, when the reader's
 * team has it (as Mattermost shows it); the words as written otherwise. */
export function ChannelMention({name, mark}: {name: string; mark?: (text: string) => ReactNode}) {
    const found = useAppState((state) => {
        const team = state.teams[state.view.teamId];
        const channel = team && Object.values(state.channels).find((c) => c.name === name && c.team_id === team.id && c.delete_at === 0);
        return channel ? `${team.name}\n${channel.display_name}` : '';
    });
    const shown = (text: string) => (mark ? mark(text) : text);
    if (!found) {
        return <>{shown(`~${name}`)}</>;
    }
    const [teamName, displayName] = found.split('\n');
    return (
        <a className='channel-mention' href={channelPath(teamName, name)} onClick={followLink}>{shown(`~${displayName}`)}</a>
    );
}

// Slash commands typed in the composer run on the server (POST /commands/execute).
import {client} from '../api/client';
import {navigate} from '../app/router';
import type {Where} from './suggest';

/** "/away" is a command; "//not a command" and "/ " are messages, as in Mattermost. */
export function isCommand(message: string): boolean {
    return /^\/[^\s/]/.test(message);
}

export async function runCommand(message: string, where: Where): Promise<void> {
    const args = {channel_id: where.channelId, team_id: where.teamId, root_id: where.rootId};
    const response = await client.executeCommand(message.trim(), args as never);
    const location = response.goto_location;
    if (location) {
        const url = new URL(location, window.location.origin);
        if (url.origin === window.location.origin) {
            navigate(url.pathname + url.search);
        } else {
            window.open(url.href, '_blank', 'noopener,noreferrer');
        }
    }
}

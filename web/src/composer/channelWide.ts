// Mattermost asks before a message notifies a whole channel (EnableConfirmNotificationsToChannel):
// @all, @channel or @here in a channel of more than five members.
import {client} from '../api/client';

export const CONFIRM_ABOVE_MEMBERS = 5;

const CODE = /```[\s\S]*?(```|$)|`[^`\n]*`/g;
const MENTION = /(^|[^\w@.-])@(all|channel|here)(?![\w-])/i;

/** The channel-wide mention a message makes ("@channel"), outside code; null when none. */
export function channelWideMention(message: string): string | null {
    const found = MENTION.exec(message.replace(CODE, ' '));
    return found ? `@${found[2].toLowerCase()}` : null;
}

let confirming: Promise<boolean> | null = null;

/** Whether the server wants the question asked; read once per page. */
export function confirmsChannelWide(): Promise<boolean> {
    confirming ??= client.getClientConfig().then(
        (config) => config.EnableConfirmNotificationsToChannel !== 'false',
        () => {
            confirming = null;
            return true;
        },
    );
    return confirming;
}

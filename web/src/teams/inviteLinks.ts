// A team's invite link: copying it, and (for team admins) replacing it with a new one.
import {client} from '../api/client';
import {inviteLink} from '../store/channelActions';
import {store} from '../store/state';

/** Copies the link; false when there is none for this user, or the clipboard refused. */
export async function copyInviteLink(teamId: string): Promise<boolean> {
    const link = await inviteLink(teamId);
    if (!link) {
        return false;
    }
    try {
        await navigator.clipboard.writeText(link);
        return true;
    } catch {
        return false;
    }
}

/** A new invite id for the team: the old link stops working at once. */
export async function regenerateInviteLink(teamId: string): Promise<void> {
    await client.regenerateTeamInviteId(teamId);
}

/** Team admins (and system admins) manage the team's invite link. */
export async function isTeamAdmin(teamId: string): Promise<boolean> {
    const me = store.get().me;
    if (!me) {
        return false;
    }
    if (me.roles.split(' ').includes('system_admin')) {
        return true;
    }
    const member = await client.getTeamMember(teamId, me.id);
    return Boolean(member.scheme_admin);
}

import {client} from '../api/client';

/** The query string of the page a mail linked to. */
export function linkParameter(name: string): string {
    return new URLSearchParams(window.location.search).get(name) ?? '';
}

export async function requestPasswordReset(email: string): Promise<void> {
    await client.sendPasswordResetEmail(email);
}

export async function resetPassword(token: string, newPassword: string): Promise<void> {
    await client.resetUserPassword(token, newPassword);
}

export async function verifyEmail(token: string): Promise<void> {
    await client.verifyUserEmail(token);
}

export async function resendVerification(email: string): Promise<void> {
    await client.sendVerificationEmail(email);
}

/** What an e-mail invitation's link shows before the account exists: `d`, Mattermost's JSON. */
export interface EmailInvitation {
    token: string;
    team: string;
    email: string;
}

export function invitationFromLink(): EmailInvitation | null {
    const token = linkParameter('t');
    if (!token) {
        return null;
    }
    try {
        const shown = JSON.parse(linkParameter('d') || '{}') as {display_name?: unknown; email?: unknown};
        return {
            token,
            team: typeof shown.display_name === 'string' ? shown.display_name : '',
            email: typeof shown.email === 'string' ? shown.email : '',
        };
    } catch {
        return {token, team: '', email: ''};
    }
}

export async function inviteByEmail(teamId: string, emails: string[]): Promise<void> {
    await client.sendEmailInvitesToTeam(teamId, emails);
}

/** Guests are invited by e-mail to chosen channels, by a team admin, when the server has guests
 * and sends invitations. */
export async function guestInvitationsAllowed(teamId: string, userId: string, roles: string): Promise<boolean> {
    const config = await client.getClientConfig();
    if (config.EnableGuestAccounts !== 'true' || config.EnableEmailInvitations !== 'true') {
        return false;
    }
    if (roles.split(' ').includes('system_admin')) {
        return true;
    }
    const member = await client.getTeamMember(teamId, userId);
    return member.scheme_admin || member.roles.split(' ').includes('team_admin');
}

export async function inviteGuests(teamId: string, channelIds: string[], emails: string[], message: string): Promise<void> {
    await client.sendEmailGuestInvitesToChannels(teamId, channelIds, emails, message);
}

export async function emailInvitationsEnabled(): Promise<boolean> {
    const config = await client.getClientConfig();
    return config.EnableEmailInvitations === 'true';
}

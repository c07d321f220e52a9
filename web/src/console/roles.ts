// A person's place on the server as one choice (roles.py): a member, a moderator (reports and
// moderators' tools, no admin power) or a system admin. Guests are apart: promoted, not chosen.

export type ServerRole = 'member' | 'moderator' | 'admin';

export function serverRoleOf(roles: string): ServerRole {
    const names = roles.split(' ');
    if (names.includes('system_admin')) {
        return 'admin';
    }
    return names.includes('system_moderator') ? 'moderator' : 'member';
}

export function rolesFor(role: ServerRole): string {
    return {member: 'system_user', moderator: 'system_user system_moderator', admin: 'system_user system_admin'}[role];
}

export const isGuest = (roles: string) => roles.split(' ').includes('system_guest');

// Two-factor authentication for the signed-in user: generate a secret, activate it (which answers
// with the ten recovery codes), turn it off, and get new recovery codes.
import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {store} from '../store/state';

export type Secret = {secret: string; qr_code: string};

function meId(): string {
    const me = store.get().me;
    if (!me) {
        throw new Error('not signed in');
    }
    return me.id;
}

function setMfaActive(active: boolean): void {
    store.update((state) => {
        if (!state.me) {
            return state;
        }
        const me = {...state.me, mfa_active: active} as UserProfile;
        return {...state, me, users: {...state.users, [me.id]: me}};
    });
}

export function generateSecret(): Promise<Secret> {
    return client.generateMfaSecret(meId());
}

export async function activate(code: string): Promise<string[]> {
    return (await client.activateMfa(meId(), code)).recovery_codes;
}

/** After the codes were seen: the account now counts as enrolled. */
export function finishEnrolment(): void {
    setMfaActive(true);
}

export async function deactivate(): Promise<void> {
    await client.updateUserMfa(meId(), false, '');
    setMfaActive(false);
}

export async function newRecoveryCodes(code: string): Promise<string[]> {
    return (await client.newRecoveryCodes(meId(), code)).recovery_codes;
}

/** Reads the signed-in user again: adding or removing a security key can turn two-factor
 * authentication on or off. */
export async function refreshMe(): Promise<void> {
    const me = await client.getMe();
    store.update((state) => ({...state, me, users: {...state.users, [me.id]: me}}));
}

import {useSyncExternalStore} from 'react';

import type {Team} from '@mattermost/types/teams';

import {deferred} from '../app/deferred';
import {loadUsers} from '../store/actions';

// The card itself, and the moderation actions in it, load when first opened.
const ProfileCard = deferred(() => import('./ProfileCard').then((m) => m.ProfileCard));

export interface Shown {
    userId: string;
    anchor: HTMLElement;
}

let shown: Shown | null = null;
const listeners = new Set<() => void>();

/** Shows the card, or with null hides it without moving focus (a click elsewhere). */
export function setShown(next: Shown | null): void {
    shown = next;
    listeners.forEach((listener) => listener());
}

/** Shows the person's card beside the element that was clicked (a name or an avatar). */
export function openProfile(userId: string, anchor: HTMLElement): void {
    void loadUsers([userId]).catch(console.error);
    setShown({userId, anchor});
}

export function closeProfile(): void {
    const anchor = shown?.anchor;
    setShown(null);
    anchor?.focus();
}

function useShown(): Shown | null {
    return useSyncExternalStore((listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
    }, () => shown);
}

/** Mounted once in the team layout: the open profile card, if any. */
export function ProfilePopoverHost({team}: {team: Team}) {
    const current = useShown();
    return current ? <ProfileCard key={current.userId} shown={current} team={team}/> : null;
}


import {useState} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {t} from '../i18n/i18n';
import {fullName} from '../settings/preferences';
import {useAppState} from '../store/state';
import {presenceOf, type Presence} from './presence';
import './status.css';

const COLOURS = ['#1e6fa8', '#2e8b57', '#b03a2e', '#8e44ad', '#b9770e', '#16a085', '#5d6d7e', '#c0392b'];

/** A colour that stays the same for a user everywhere (and on every visit). */
export function avatarColour(userId: string): string {
    let hash = 0;
    for (const ch of userId) {
        hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    }
    return COLOURS[hash % COLOURS.length];
}

export function initials(user: Pick<UserProfile, 'first_name' | 'last_name' | 'username'> | undefined): string {
    if (!user) {
        return '?';
    }
    const name = fullName(user);
    const words = (name || user.username).split(/[\s._-]+/).filter(Boolean);
    const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? '?'];
    return letters.map((word) => [...word][0]).join('').toUpperCase();
}

export function presenceLabel(presence: Presence): string {
    return t(`status.${presence}`);
}

/** The coloured dot for a user's presence; nothing until it is known. */
export function PresenceDot({userId, className = ''}: {userId: string; className?: string}) {
    const presence = useAppState((state) => presenceOf(state, userId));
    if (!presence) {
        return null;
    }
    return <span className={`presence-dot presence-${presence} ${className}`.trim()} role='img' aria-label={presenceLabel(presence)} title={presenceLabel(presence)}/>;
}

interface Props {
    userId: string;
    size?: number;
    /** Show the presence dot on the picture's corner. */
    presence?: boolean;
    /** What is known of the user when the store has not loaded them (e.g. a thread's participants). */
    fallback?: Partial<UserProfile>;
}

/**
 * The user's picture from `GET /users/{id}/image`. Until someone uploads one (no
 * last_picture_update), the server's default is a plain colour, so their initials go on it;
 * when the picture cannot load, the initials show on a colour of our own.
 */
export function Avatar({userId, size = 36, presence = false, fallback}: Props) {
    const stored = useAppState((state) => state.users[userId]);
    const user = stored ?? (fallback?.username ? {first_name: '', last_name: '', ...fallback, username: fallback.username} : undefined);
    const [failed, setFailed] = useState('');
    const pictureAt = user?.last_picture_update ?? 0;
    const src = client.getProfilePictureUrl(userId, pictureAt);
    const showImage = failed !== src;
    const showInitials = !showImage || !pictureAt;
    return (
        <span className='avatar' style={{inlineSize: size, blockSize: size, background: avatarColour(userId), fontSize: size * 0.4}} aria-hidden='true'>
            {showImage && <img alt='' loading='lazy' width={size} height={size} src={src} onError={() => setFailed(src)}/>}
            {showInitials && <span className='avatar-initials'>{initials(user)}</span>}
            {presence && <PresenceDot userId={userId} className='avatar-presence'/>}
        </span>
    );
}

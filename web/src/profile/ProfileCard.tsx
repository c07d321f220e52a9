import {useEffect, useRef} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {navigate} from '../app/router';
import {getLocale, t} from '../i18n/i18n';
import {ProfileModeration} from '../moderation/ProfileModeration';
import {useAppState} from '../store/state';
import {GuestBadge} from './GuestBadge';
import {closeProfile, setShown, type Shown} from './ProfilePopover';

/** The time where the person is, from the time zone their account gives. */
export function localTime(user: UserProfile, now: number, locale: string): string {
    const zone = user.timezone
        ? (String(user.timezone.useAutomaticTimezone) === 'true' ? user.timezone.automaticTimezone : user.timezone.manualTimezone)
        : '';
    try {
        return new Intl.DateTimeFormat(locale, {hour: 'numeric', minute: '2-digit', timeZone: zone || undefined, timeZoneName: zone ? 'short' : undefined}).format(now);
    } catch {
        // An unknown zone name: the reader's own clock is the best we can say.
        return new Intl.DateTimeFormat(locale, {hour: 'numeric', minute: '2-digit'}).format(now);
    }
}

export function ProfileCard({shown: {userId, anchor}, team}: {shown: Shown; team: Team}) {
    const user = useAppState((state) => state.users[userId]);
    const isMe = useAppState((state) => state.me?.id === userId);
    const card = useRef<HTMLDivElement>(null);

    useEffect(() => {
        card.current?.querySelector<HTMLElement>('button')?.focus();
        const onKey = (event: KeyboardEvent) => event.key === 'Escape' && closeProfile();
        const onPointer = (event: PointerEvent) => {
            if (!card.current?.contains(event.target as Node) && !anchor.contains(event.target as Node)) {
                setShown(null);
            }
        };
        document.addEventListener('keydown', onKey);
        document.addEventListener('pointerdown', onPointer);
        return () => {
            document.removeEventListener('keydown', onKey);
            document.removeEventListener('pointerdown', onPointer);
        };
    }, [anchor]);

    const box = anchor.getBoundingClientRect();
    const top = Math.max(8, Math.min(box.bottom + 4, window.innerHeight - 260));
    const left = Math.max(8, Math.min(box.left, window.innerWidth - 288));
    const name = user ? `${user.first_name ?? ''} ${user.last_name ?? ''}`.trim() : '';

    return (
        <div className='profile-popover' role='dialog' aria-label={t('profile.label', {name: user?.username ?? ''})} ref={card}
            style={{top, left}}>
            {user ? (
                <>
                    <div className='profile-top'>
                        <img className='avatar large' alt='' width={64} height={64} src={client.getProfilePictureUrl(user.id, user.last_picture_update ?? 0)}/>
                        <div>
                            <p className='profile-name'>{name || user.nickname || user.username}</p>
                            <p className='profile-username'>@{user.username} <GuestBadge user={user}/></p>
                        </div>
                    </div>
                    {user.position && <p className='profile-position'>{user.position}</p>}
                    <p className='profile-time'>{t('profile.localTime', {time: localTime(user, Date.now(), getLocale())})}</p>
                    <ProfileModeration user={user} team={team}/>
                    <div className='dialog-buttons'>
                        {!isMe && user.delete_at === 0 && (
                            <button type='button' className='primary' onClick={() => {
                                setShown(null);
                                navigate(`/${team.name}/messages/@${user.username}`);
                            }}>{t('profile.message')}</button>
                        )}
                        <button type='button' onClick={closeProfile}>{t('dialog.close')}</button>
                    </div>
                </>
            ) : <p className='hint' role='status'>{t('app.loading')}</p>}
        </div>
    );
}

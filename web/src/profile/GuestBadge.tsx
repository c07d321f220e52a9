import type {UserProfile} from '@mattermost/types/users';

import {t} from '../i18n/i18n';
import './guest.css';

/** A guest, as Mattermost marks one: `system_guest` among the user's roles. */
export function isGuest(user: Pick<UserProfile, 'roles'> | undefined | null): boolean {
    return (user?.roles ?? '').split(' ').includes('system_guest');
}

/** "Guest", beside a guest's name wherever people are listed or speak. */
export function GuestBadge({user}: {user: Pick<UserProfile, 'roles'> | undefined | null}) {
    return isGuest(user) ? <span className='guest-badge'>{t('guest.badge')}</span> : null;
}

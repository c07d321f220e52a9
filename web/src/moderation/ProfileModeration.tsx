import {useEffect, useState} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {formatDateTime, t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {getMute, isModerator, isProtected, type MuteState} from './api';
import {ModerationDialogView, type ModerationDialog} from './ModerationDialogs';
import './moderation.css';

/** A moderator's buttons on a person's profile card: warn, mute or unmute, deactivate. Shown only
 * to moderators, and never for admins or other moderators (the server refuses those too). */
export function ProfileModeration({user}: {user: UserProfile}) {
    const moderator = useAppState((state) => isModerator(state.me?.roles));
    const isMe = useAppState((state) => state.me?.id === user.id);
    const shown = moderator && !isMe && !isProtected(user.roles) && user.delete_at === 0;
    const [mute, setMute] = useState<MuteState | null>(null);
    const [dialog, setDialog] = useState<ModerationDialog>(null);
    const [changed, setChanged] = useState(0);

    useEffect(() => {
        if (shown) {
            getMute(user.id).then(setMute, () => setMute(null));
        }
    }, [shown, user.id, changed]);

    if (!shown) {
        return null;
    }
    const about = {userId: user.id, name: `@${user.username}`};
    return (
        <div className='profile-moderation' role='group' aria-label={t('moderation.tools')}>
            {mute?.muted && (
                <p className='hint'>{mute.until ? t('moderation.mutedUntilOther', {time: formatDateTime(mute.until)}) : t('moderation.mutedForeverOther')}</p>
            )}
            <button type='button' onClick={() => setDialog({kind: 'warn', ...about})}>{t('moderation.warn')}</button>
            {mute?.muted
                ? <button type='button' onClick={() => setDialog({kind: 'unmute', ...about})}>{t('moderation.unmute')}</button>
                : <button type='button' onClick={() => setDialog({kind: 'mute', ...about})}>{t('moderation.mute')}</button>}
            <button type='button' className='danger-text' onClick={() => setDialog({kind: 'deactivate', ...about})}>{t('moderation.deactivate')}</button>
            <ModerationDialogView dialog={dialog} onClose={() => setDialog(null)} onDone={() => setChanged((n) => n + 1)}/>
        </div>
    );
}

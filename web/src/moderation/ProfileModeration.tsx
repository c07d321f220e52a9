import {useEffect, useState} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {formatDateTime, t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {getMute, isModerator, isProtected, type MuteState} from './api';
import {ModerationDialogView, type ModerationDialog} from './ModerationDialogs';
import './moderation.css';

/** A moderator's buttons on a person's profile card: warn, mute or unmute, remove from the open
 * channel or from the team, deactivate. Shown only to moderators, and never for admins or other
 * moderators (the server refuses those too). */
export function ProfileModeration({user, team}: {user: UserProfile; team?: Team}) {
    const moderator = useAppState((state) => isModerator(state.me?.roles));
    const isMe = useAppState((state) => state.me?.id === user.id);
    const channel = useAppState((state) => state.channels[state.view.channelId]);
    const shown = moderator && !isMe && !isProtected(user.roles) && user.delete_at === 0;
    // Direct and group messages have no members to remove, nor has a team's default channel.
    const channelId = channel && (channel.type === 'O' || channel.type === 'P') && channel.name !== 'town-square' && channel.delete_at === 0
        ? channel.id : '';
    const [mute, setMute] = useState<MuteState | null>(null);
    const [inChannel, setInChannel] = useState(false);
    const [inTeam, setInTeam] = useState(false);
    const [dialog, setDialog] = useState<ModerationDialog>(null);
    const [notice, setNotice] = useState('');
    const [changed, setChanged] = useState(0);
    const teamId = team?.id ?? '';

    useEffect(() => {
        if (!shown) {
            return;
        }
        getMute(user.id).then(setMute, () => setMute(null));
        // Offered only where the person is: a 404 here means they are not a member.
        setInChannel(false);
        if (channelId) {
            client.getChannelMember(channelId, user.id).then(() => setInChannel(true), () => setInChannel(false));
        }
        setInTeam(false);
        if (teamId) {
            client.getTeamMember(teamId, user.id).then((member) => setInTeam(member.delete_at === 0), () => setInTeam(false));
        }
    }, [shown, user.id, channelId, teamId, changed]);

    if (!shown) {
        return null;
    }
    const about = {userId: user.id, name: `@${user.username}`};
    return (
        <div className='profile-moderation' role='group' aria-label={t('moderation.tools')}>
            {mute?.muted && (
                <p className='hint'>{mute.until ? t('moderation.mutedUntilOther', {time: formatDateTime(mute.until)}) : t('moderation.mutedForeverOther')}</p>
            )}
            {notice && <p className='hint' role='status'>{notice}</p>}
            <button type='button' onClick={() => setDialog({kind: 'warn', ...about})}>{t('moderation.warn')}</button>
            {mute?.muted
                ? <button type='button' onClick={() => setDialog({kind: 'unmute', ...about})}>{t('moderation.unmute')}</button>
                : <button type='button' onClick={() => setDialog({kind: 'mute', ...about})}>{t('moderation.mute')}</button>}
            {inChannel && channel && (
                <button type='button' onClick={() => setDialog({kind: 'removeFromChannel', ...about, placeId: channel.id, place: `~${channel.display_name}`})}>
                    {t('moderation.removeFromChannel')}
                </button>
            )}
            {inTeam && team && (
                <button type='button' onClick={() => setDialog({kind: 'removeFromTeam', ...about, placeId: team.id, place: team.display_name})}>
                    {t('moderation.removeFromTeam')}
                </button>
            )}
            <button type='button' className='danger-text' onClick={() => setDialog({kind: 'deactivate', ...about})}>{t('moderation.deactivate')}</button>
            <ModerationDialogView dialog={dialog} onClose={() => setDialog(null)} onDone={(done) => {
                setNotice(done);
                setChanged((n) => n + 1);
            }}/>
        </div>
    );
}

import {useState, type ReactNode} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {channelPath, navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {leaveChannel} from '../store/channelActions';
import {store} from '../store/state';

/**
 * Leaving a channel: a public one at once (it can be joined again from Browse), a private one
 * after a confirmation, since only a member can bring the user back. Returns the function that
 * starts it and the dialog to render.
 */
export function useLeaveChannel(team: Team, channel: Channel, onError: (message: string) => void): [() => void, ReactNode] {
    const [confirming, setConfirming] = useState(false);

    function leave() {
        setConfirming(false);
        leaveChannel(team.id, channel.id).then(() => {
            if (store.get().view.channelId === channel.id) {
                navigate(channelPath(team.name, 'town-square'));
            }
        }, (failure) => onError(errorMessage(failure)));
    }

    const dialog = confirming && (
        <Dialog title={t('leave.title')} onClose={() => setConfirming(false)}>
            <p>{t('leave.private', {channel: channel.display_name})}</p>
            <div className='dialog-buttons'>
                <button type='button' onClick={() => setConfirming(false)}>{t('dialog.cancel')}</button>
                <button type='button' className='danger' onClick={leave}>{t('leave.submit')}</button>
            </div>
        </Dialog>
    );
    return [() => (channel.type === 'P' ? setConfirming(true) : leave()), dialog];
}

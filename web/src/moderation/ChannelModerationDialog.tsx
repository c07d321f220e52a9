import {useEffect, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {getModerations, patchModerations} from './api';
import {allows, loadModerations} from './channelModeration';

/** The channel's "Who can post" (everyone, or admins only) and, for a read-only channel, whether
 * members may still reply in threads: Mattermost's channel moderation, for the channel's admins. */
export function ChannelModerationDialog({channel, onClose}: {channel: Channel; onClose: () => void}) {
    const [adminsOnly, setAdminsOnly] = useState<boolean | null>(null);
    const [replies, setReplies] = useState(false);
    const [error, setError] = useState('');
    const [saving, setSaving] = useState(false);

    useEffect(() => {
        getModerations(channel.id).then((moderations) => {
            setAdminsOnly(!allows(moderations, 'create_post', 'members'));
            const reply = moderations.find((item) => item.name === 'reply_to_threads');
            setReplies(Boolean(reply?.roles.members.enabled && reply.roles.members.value));
        }, (failure) => setError(errorMessage(failure)));
    }, [channel.id]);

    async function save() {
        setSaving(true);
        try {
            await patchModerations(channel.id, [
                {name: 'create_post', roles: {members: !adminsOnly, guests: !adminsOnly}},
                {name: 'reply_to_threads', roles: {members: Boolean(adminsOnly && replies), guests: Boolean(adminsOnly && replies)}},
            ]);
            await loadModerations(channel.id);
            onClose();
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setSaving(false);
        }
    }

    return (
        <Dialog title={t('moderation.channelTitle')} onClose={onClose}>
            {adminsOnly !== null && (
                <>
                    <fieldset className='moderation-choices'>
                        <legend>{t('moderation.whoCanPost')}</legend>
                        <label className='radio'>
                            <input type='radio' name='who-can-post' checked={!adminsOnly} onChange={() => setAdminsOnly(false)}/> {t('moderation.everyone')}
                        </label>
                        <label className='radio'>
                            <input type='radio' name='who-can-post' checked={adminsOnly} onChange={() => setAdminsOnly(true)}/> {t('moderation.adminsOnly')}
                        </label>
                    </fieldset>
                    <label className='checkbox'>
                        <input type='checkbox' checked={replies} disabled={!adminsOnly} onChange={(e) => setReplies(e.target.checked)}/> {t('moderation.membersMayReply')}
                    </label>
                </>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='dialog-buttons'>
                <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                <button type='button' className='primary' disabled={saving || adminsOnly === null} onClick={() => void save()}>{t('moderation.channelSave')}</button>
            </div>
        </Dialog>
    );
}

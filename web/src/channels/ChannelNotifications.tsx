import {useState, type FormEvent} from 'react';

import type {ChannelNotifyProps, ServerChannel as Channel} from '@mattermost/types/channels';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {LevelChoice} from '../settings/NotificationsSection';
import {store, useAppState} from '../store/state';

type Level = 'default' | 'all' | 'mention' | 'none';
type Ignore = 'default' | 'on' | 'off';

/**
 * This channel's own notification settings (the membership's `notify_props`): mute, the
 * desktop and push levels ("default" follows the account's settings) and whether @channel,
 * @all and @here count here.
 */
export function ChannelNotifications({channel, onClose}: {channel: Channel; onClose: () => void}) {
    const member = useAppState((state) => state.members[channel.id]);
    const props = (member?.notify_props ?? {}) as Partial<Record<string, string>>;
    const [muted, setMuted] = useState(props.mark_unread === 'mention');
    const [desktop, setDesktop] = useState<Level>((props.desktop as Level) || 'default');
    const [push, setPush] = useState<Level>((props.push as Level) || 'default');
    const [ignore, setIgnore] = useState<Ignore>((props.ignore_channel_mentions as Ignore) || 'default');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const levels: [Level, string][] = [
        ['default', t('notify.levelDefault')], ['all', t('notify.levelAll')], ['mention', t('notify.levelMention')], ['none', t('notify.levelNone')],
    ];

    async function save(event: FormEvent) {
        event.preventDefault();
        const me = store.get().me!;
        const changes = {mark_unread: muted ? 'mention' : 'all', desktop, push, ignore_channel_mentions: ignore};
        setBusy(true);
        try {
            await client.updateChannelNotifyProps({user_id: me.id, channel_id: channel.id, ...changes} as Partial<ChannelNotifyProps> & {channel_id: string; user_id: string});
            store.update((state) => {
                const current = state.members[channel.id];
                if (!current) {
                    return state;
                }
                const notifyProps = {...current.notify_props, ...changes} as ChannelNotifyProps;
                return {...state, members: {...state.members, [channel.id]: {...current, notify_props: notifyProps}}};
            });
            onClose();
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    return (
        <Dialog title={t('notify.channelTitle')} onClose={onClose}>
            <form className='form settings-form' onSubmit={(e) => void save(e)}>
                <label className='settings-check'>
                    <input type='checkbox' checked={muted} onChange={(e) => setMuted(e.target.checked)}/> {t('notify.mute')}
                </label>
                <p className='hint'>{t('notify.muteHint')}</p>
                <LevelChoice legend={t('notify.desktop')} name='channel-desktop' value={desktop} options={levels} onChange={setDesktop}/>
                <LevelChoice legend={t('notify.push')} name='channel-push' value={push} options={levels} onChange={setPush}/>
                {channel.type !== 'D' && (
                    <LevelChoice<Ignore> legend={t('notify.ignoreChannelMentions')} name='channel-ignore' value={ignore}
                        options={[['default', t('notify.levelDefault')], ['on', t('notify.ignoreOn')], ['off', t('notify.ignoreOff')]]}
                        onChange={setIgnore}/>
                )}
                {error && <p className='form-error' role='alert'>{error}</p>}
                <div className='dialog-buttons'>
                    <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                    <button type='submit' className='primary' disabled={busy}>{t('settings.save')}</button>
                </div>
            </form>
        </Dialog>
    );
}

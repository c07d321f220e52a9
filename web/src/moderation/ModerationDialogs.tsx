import {useState} from 'react';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {muteUser, removePost, unmuteUser, warnUser} from './api';

/** Which moderator's dialog is open, and about whom. `place` is where they are removed from:
 * a channel (by its display name) or a team. */
export type ModerationDialog =
    | {kind: 'remove'; postId: string}
    | {kind: 'warn' | 'mute' | 'unmute' | 'deactivate'; userId: string; name: string}
    | {kind: 'removeFromChannel' | 'removeFromTeam'; userId: string; name: string; placeId: string; place: string}
    | null;

const HOUR = 3600;
const DURATIONS: Array<{seconds: number; label: 'moderation.mute1h' | 'moderation.mute24h' | 'moderation.mute7d'}> = [
    {seconds: HOUR, label: 'moderation.mute1h'},
    {seconds: 24 * HOUR, label: 'moderation.mute24h'},
    {seconds: 7 * 24 * HOUR, label: 'moderation.mute7d'},
];

/** The dialog a moderator's menu item opened: confirms, then calls the server. */
export function ModerationDialogView({dialog, onClose: close, onDone}: {dialog: ModerationDialog; onClose: () => void; onDone?: (notice: string) => void}) {
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [text, setText] = useState('');
    const [duration, setDuration] = useState<string>(String(HOUR));
    const [custom, setCustom] = useState('');
    if (!dialog) {
        return null;
    }
    // The view stays mounted between dialogs: one's refusal must not show in the next.
    const onClose = () => {
        setError('');
        close();
    };

    async function act(work: () => Promise<unknown>, notice: string) {
        setBusy(true);
        setError('');
        try {
            await work();
            onClose();
            onDone?.(notice);
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setBusy(false);
        }
    }

    const buttons = (label: string, run: () => void, disabled = false) => (
        <div className='dialog-buttons'>
            <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
            <button type='button' className='danger' disabled={busy || disabled} onClick={run}>{label}</button>
        </div>
    );
    const failed = error && <p className='form-error' role='alert'>{error}</p>;

    if (dialog.kind === 'remove') {
        return (
            <Dialog title={t('moderation.removeTitle')} onClose={onClose}>
                <p>{t('moderation.removeConfirm')}</p>
                {failed}
                {buttons(t('moderation.removeSubmit'), () => void act(() => removePost(dialog.postId), t('moderation.removed')))}
            </Dialog>
        );
    }
    const {userId, name} = dialog;
    if (dialog.kind === 'warn') {
        return (
            <Dialog title={t('moderation.warnTitle', {name})} onClose={onClose}>
                <p className='hint'>{t('moderation.warnHint')}</p>
                <label className='field'>
                    <span>{t('moderation.warnLabel')}</span>
                    <textarea className='moderation-text' value={text} rows={4} onChange={(e) => setText(e.target.value)}/>
                </label>
                {failed}
                {buttons(t('moderation.warnSubmit'), () => void act(() => warnUser(userId, text), t('moderation.warned', {name})), !text.trim())}
            </Dialog>
        );
    }
    if (dialog.kind === 'mute') {
        const until = custom ? new Date(custom).getTime() : NaN;
        const mute = () => {
            if (duration === 'custom') {
                return muteUser(userId, {until});
            }
            return muteUser(userId, duration === 'forever' ? {until: 0} : {for_seconds: Number(duration)});
        };
        return (
            <Dialog title={t('moderation.muteTitle', {name})} onClose={onClose}>
                <p className='hint'>{t('moderation.muteHint')}</p>
                <fieldset className='moderation-choices'>
                    <legend>{t('moderation.muteFor')}</legend>
                    {[...DURATIONS.map((d) => ({value: String(d.seconds), label: t(d.label)})),
                        {value: 'custom', label: t('moderation.muteCustom')},
                        {value: 'forever', label: t('moderation.muteForever')}].map((option) => (
                        <label key={option.value} className='radio'>
                            <input type='radio' name='mute-duration' value={option.value} checked={duration === option.value}
                                onChange={() => setDuration(option.value)}/> {option.label}
                        </label>
                    ))}
                </fieldset>
                {duration === 'custom' && (
                    <label className='field'>
                        <span>{t('moderation.muteUntil')}</span>
                        <input type='datetime-local' value={custom} onChange={(e) => setCustom(e.target.value)}/>
                    </label>
                )}
                {failed}
                {buttons(t('moderation.muteSubmit'), () => void act(mute, t('moderation.muted', {name})),
                    duration === 'custom' && !(until > Date.now()))}
            </Dialog>
        );
    }
    if (dialog.kind === 'removeFromChannel' || dialog.kind === 'removeFromTeam') {
        const {placeId, place} = dialog;
        const channel = dialog.kind === 'removeFromChannel';
        // Mattermost's own routes, which let moderators remove members and guests anywhere.
        const remove = () => (channel ? client.removeFromChannel(userId, placeId) : client.removeFromTeam(placeId, userId));
        return (
            <Dialog title={t(channel ? 'moderation.removeFromChannelTitle' : 'moderation.removeFromTeamTitle', {name, place})} onClose={onClose}>
                <p>{t(channel ? 'moderation.removeFromChannelConfirm' : 'moderation.removeFromTeamConfirm', {name, place})}</p>
                {failed}
                {buttons(t(channel ? 'moderation.removeFromChannelSubmit' : 'moderation.removeFromTeamSubmit'),
                    () => void act(remove, t(channel ? 'moderation.removedFromChannel' : 'moderation.removedFromTeam', {name, place})))}
            </Dialog>
        );
    }
    if (dialog.kind === 'unmute') {
        return (
            <Dialog title={t('moderation.unmuteTitle', {name})} onClose={onClose}>
                {failed}
                {buttons(t('moderation.unmuteSubmit'), () => void act(() => unmuteUser(userId), t('moderation.unmuted', {name})))}
            </Dialog>
        );
    }
    return (
        <Dialog title={t('moderation.deactivateTitle', {name})} onClose={onClose}>
            <p>{t('moderation.deactivateConfirm', {name})}</p>
            {failed}
            {buttons(t('moderation.deactivateSubmit'), () => void act(() => client.updateUserActive(userId, false), t('moderation.deactivated', {name})))}
        </Dialog>
    );
}

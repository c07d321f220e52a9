import {useState, type FormEvent} from 'react';

import type {UserCustomStatus} from '@mattermost/types/users';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {EMOJI} from '../markdown/emoji';
import {Dialog} from '../posts/Dialog';
import {useAppState} from '../store/state';
import {DURATIONS, customStatusOf, forgetRecentCustomStatus, recentCustomStatuses, setCustomStatus, type Duration} from './customStatus';
import '../settings/settings.css';

const SUGGESTED = ['calendar', 'house', 'palm_tree', 'thermometer', 'coffee', 'books', 'memo', 'rocket'];
const EXTRA_EMOJI: Record<string, string> = {speech_balloon: '💬', calendar: '📆', house: '🏠', palm_tree: '🌴', thermometer: '🌡️'};

function emojiOf(name: string): string {
    return EMOJI[name] ?? EXTRA_EMOJI[name] ?? (name ? `:${name}:` : '');
}

const DURATION_LABELS: Record<Duration, Parameters<typeof t>[0]> = {
    '': 'customStatus.dontClear',
    thirty_minutes: 'customStatus.thirtyMinutes',
    one_hour: 'customStatus.oneHour',
    four_hours: 'customStatus.fourHours',
    today: 'customStatus.today',
    this_week: 'customStatus.thisWeek',
};

/** Set a custom status: an emoji, a short text, when it clears; or pick a recent one. */
export default function CustomStatusDialog({onClose}: {onClose: () => void}) {
    const me = useAppState((state) => state.me!);
    const current = customStatusOf(me);
    const preferences = useAppState((state) => state.preferences);
    const recent = recentCustomStatuses({preferences});
    const [emoji, setEmoji] = useState(current?.emoji ?? 'speech_balloon');
    const [text, setText] = useState(current?.text ?? '');
    const [duration, setDuration] = useState<Duration>(((current?.duration as Duration | undefined) && DURATIONS.includes(current!.duration as Duration) ? current!.duration : 'today') as Duration);
    const [error, setError] = useState('');

    async function submit(event: FormEvent) {
        event.preventDefault();
        try {
            await setCustomStatus(emoji, text.trim(), duration);
            onClose();
        } catch (failure) {
            setError(errorMessage(failure));
        }
    }

    const pick = (status: UserCustomStatus) => {
        setEmoji(status.emoji);
        setText(status.text);
        setDuration(DURATIONS.includes(status.duration as Duration) ? status.duration as Duration : '');
    };

    return (
        <Dialog title={t('customStatus.title')} onClose={onClose}>
            <form className='custom-status-form' onSubmit={(e) => void submit(e)}>
                <label htmlFor='custom-status-text'>{t('customStatus.text')}</label>
                <div className='custom-status-input'>
                    <span className='custom-status-preview' aria-hidden='true'>{emojiOf(emoji) || '💬'}</span>
                    <input id='custom-status-text' maxLength={100} value={text} placeholder={t('customStatus.placeholder')}
                        onChange={(e) => setText(e.target.value)}/>
                </div>
                <fieldset className='emoji-choices'>
                    <legend>{t('customStatus.emoji')}</legend>
                    {SUGGESTED.map((name) => (
                        <button key={name} type='button' aria-pressed={emoji === name} aria-label={name} title={`:${name}:`}
                            onClick={() => setEmoji(name)}>{emojiOf(name)}</button>
                    ))}
                </fieldset>
                <label htmlFor='custom-status-duration'>{t('customStatus.clearAfter')}</label>
                <select id='custom-status-duration' value={duration} onChange={(e) => setDuration(e.target.value as Duration)}>
                    {DURATIONS.map((value) => <option key={value} value={value}>{t(DURATION_LABELS[value])}</option>)}
                </select>
                {recent.length > 0 && (
                    <section className='recent-statuses'>
                        <h3>{t('customStatus.recent')}</h3>
                        <ul>
                            {recent.map((status) => (
                                <li key={`${status.emoji}:${status.text}:${status.duration}`}>
                                    <button type='button' className='link-button' onClick={() => pick(status)}>
                                        {emojiOf(status.emoji)} {status.text}
                                    </button>
                                    <button type='button' className='icon-button' aria-label={t('customStatus.forget', {text: status.text})}
                                        onClick={() => void forgetRecentCustomStatus(status).catch((failure) => setError(errorMessage(failure)))}>×</button>
                                </li>
                            ))}
                        </ul>
                    </section>
                )}
                {error && <p className='form-error' role='alert'>{error}</p>}
                <div className='dialog-buttons'>
                    <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                    <button type='submit' className='primary' disabled={!text.trim() && !emoji}>{t('customStatus.save')}</button>
                </div>
            </form>
        </Dialog>
    );
}

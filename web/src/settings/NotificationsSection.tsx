import {useEffect, useState, type FormEvent} from 'react';

import {SOUNDS, playSound, soundSetting, type Sound} from '../desktop/sounds';
import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {emailNotificationOptions, patchProfile, savePreferences} from './actions';
import {settingsError} from './errors';
import {EMAIL_FIFTEEN_MINUTES, EMAIL_HOURLY, EMAIL_IMMEDIATELY, EMAIL_INTERVAL, NOTIFICATIONS, preference} from './preferences';
import './settings.css';

/** A group of radio buttons with a legend: one choice among a few levels (or themes, clocks,
 * ...), none checked while the value is none of them. */
export function LevelChoice<T extends string>({legend, name, value, options, onChange}: {
    legend: string; name: string; value: T | undefined; options: [T, string][]; onChange: (value: T) => void;
}) {
    return (
        <fieldset className='settings-choice'>
            <legend>{legend}</legend>
            {options.map(([option, label]) => (
                <label key={option}>
                    <input type='radio' name={name} value={option} checked={value === option} onChange={() => onChange(option)}/> {label}
                </label>
            ))}
        </fieldset>
    );
}

type Level = 'all' | 'mention' | 'none';
type PushStatus = 'online' | 'away' | 'offline';
type Comments = 'any' | 'root' | 'never';
/** 'never' turns mails off (notify_props.email); otherwise the email_interval in seconds. */
type EmailChoice = string;

/**
 * The e-mail choice shown: off, or how often. Without batching on the server every mail goes
 * at once, whatever the preference says; a user who never chose gets the 15-minute batch.
 */
export function emailChoiceOf(email: string | undefined, interval: string | undefined, batching: boolean): EmailChoice {
    if (email === 'false') {
        return 'never';
    }
    if (!batching) {
        return EMAIL_IMMEDIATELY;
    }
    return interval || EMAIL_FIFTEEN_MINUTES;
}

interface Values {
    desktop: Level;
    push: Level;
    push_status: PushStatus;
    mention_keys: string;
    first_name: boolean;
    channel: boolean;
    comments: Comments;
    auto_responder_active: boolean;
    auto_responder_message: string;
    desktop_sound: boolean;
    desktop_notification_sound: Sound;
}

function valuesOf(props: Record<string, string | undefined>): Values {
    return {
        desktop: (props.desktop as Level) || 'mention',
        push: (props.push as Level) || 'mention',
        push_status: (props.push_status as PushStatus) || 'away',
        mention_keys: props.mention_keys ?? '',
        first_name: props.first_name === 'true',
        channel: props.channel !== 'false',
        comments: (props.comments as Comments) || 'never',
        auto_responder_active: props.auto_responder_active === 'true',
        auto_responder_message: props.auto_responder_message ?? '',
        desktop_sound: soundSetting(props).play,
        desktop_notification_sound: soundSetting(props).sound,
    };
}

/**
 * The account's notification settings (the user's `notify_props`, as Mattermost's
 * Settings → Notifications): desktop and mobile push levels, from which presence on pushes
 * go, notification mails (off, at once, or gathered every 15 minutes or hour, when the server
 * batches), the words that count as mentions, reply notifications and the out-of-office reply.
 */
export function NotificationSettings() {
    const me = useAppState((state) => state.me!);
    const [values, setValues] = useState<Values>(() => valuesOf((me.notify_props ?? {}) as Record<string, string>));
    const storedInterval = useAppState((state) => preference(state, NOTIFICATIONS, EMAIL_INTERVAL));
    const [mail, setMail] = useState<{send: boolean; batching: boolean} | null>(null);
    const [emailChoice, setEmailChoice] = useState<EmailChoice | null>(null);
    const [outcome, setOutcome] = useState<{error?: string; saved?: boolean}>({});
    useEffect(() => {
        emailNotificationOptions().then(setMail, () => setMail(null));
    }, []);
    const shownEmail = emailChoice ?? emailChoiceOf(me.notify_props?.email, storedInterval, mail?.batching ?? false);
    const set = <K extends keyof Values>(key: K) => (value: Values[K]) => setValues({...values, [key]: value});
    const levels: [Level, string][] = [['all', t('notify.levelAll')], ['mention', t('notify.levelMention')], ['none', t('notify.levelNone')]];

    async function submit(event: FormEvent) {
        event.preventDefault();
        setOutcome({});
        const keys = values.mention_keys.split(',').map((key) => key.trim()).filter(Boolean).join(',');
        try {
            await patchProfile({notify_props: {
                ...me.notify_props,
                desktop: values.desktop,
                push: values.push,
                push_status: values.push_status,
                mention_keys: keys,
                first_name: values.first_name ? 'true' : 'false',
                channel: values.channel ? 'true' : 'false',
                comments: values.comments,
                auto_responder_active: values.auto_responder_active ? 'true' : 'false',
                auto_responder_message: values.auto_responder_message,
                desktop_sound: values.desktop_sound ? 'true' : 'false',
                desktop_notification_sound: values.desktop_notification_sound,
                ...(mail?.send ? {email: shownEmail === 'never' ? 'false' : 'true'} : {}),
            } as typeof me.notify_props});
            if (mail?.send && shownEmail !== 'never' && shownEmail !== storedInterval) {
                await savePreferences([{category: NOTIFICATIONS, name: EMAIL_INTERVAL, value: shownEmail}]);
            }
            setOutcome({saved: true});
        } catch (failure) {
            setOutcome({error: settingsError(failure)});
        }
    }

    return (
        <form className='form settings-form' onSubmit={(e) => void submit(e)}>
            <LevelChoice legend={t('notify.desktop')} name='notify-desktop' value={values.desktop} options={levels} onChange={set('desktop')}/>
            <label className='settings-check'>
                <input type='checkbox' checked={values.desktop_sound} onChange={(e) => set('desktop_sound')(e.target.checked)}/>
                {' '}{t('notify.sound')}
            </label>
            {values.desktop_sound && (
                <div className='settings-field'>
                    <label htmlFor='notify-sound'>{t('notify.soundName')}</label>
                    <select id='notify-sound' value={values.desktop_notification_sound} onChange={(e) => {
                        const sound = e.target.value as Sound;
                        set('desktop_notification_sound')(sound);
                        playSound(sound);
                    }}>
                        {SOUNDS.map((sound) => <option key={sound} value={sound}>{sound}</option>)}
                    </select>
                </div>
            )}
            <LevelChoice legend={t('notify.push')} name='notify-push' value={values.push} options={levels} onChange={set('push')}/>
            {mail?.send && (
                <LevelChoice<EmailChoice> legend={t('notify.email')} name='notify-email' value={shownEmail}
                    options={mail.batching
                        ? [[EMAIL_IMMEDIATELY, t('notify.emailImmediately')], [EMAIL_FIFTEEN_MINUTES, t('notify.emailFifteen')],
                            [EMAIL_HOURLY, t('notify.emailHourly')], ['never', t('notify.emailNever')]]
                        : [[EMAIL_IMMEDIATELY, t('notify.emailImmediately')], ['never', t('notify.emailNever')]]}
                    onChange={setEmailChoice}/>
            )}
            <LevelChoice<PushStatus> legend={t('notify.pushStatus')} name='notify-push-status' value={values.push_status}
                options={[['online', t('notify.pushOnline')], ['away', t('notify.pushAway')], ['offline', t('notify.pushOffline')]]}
                onChange={set('push_status')}/>
            <div className='settings-field'>
                <label htmlFor='notify-mention-keys'>{t('notify.mentionKeys')}</label>
                <input id='notify-mention-keys' value={values.mention_keys} maxLength={1024}
                    onChange={(e) => set('mention_keys')(e.target.value)}/>
                <p className='hint'>{t('notify.mentionKeysHint', {username: me.username})}</p>
            </div>
            <label className='settings-check'>
                <input type='checkbox' checked={values.first_name} onChange={(e) => set('first_name')(e.target.checked)}/>
                {' '}{me.first_name ? t('notify.firstName', {name: me.first_name}) : t('notify.firstNameUnset')}
            </label>
            <label className='settings-check'>
                <input type='checkbox' checked={values.channel} onChange={(e) => set('channel')(e.target.checked)}/>
                {' '}{t('notify.channelMentions')}
            </label>
            <LevelChoice<Comments> legend={t('notify.comments')} name='notify-comments' value={values.comments}
                options={[['any', t('notify.commentsAny')], ['root', t('notify.commentsRoot')], ['never', t('notify.commentsNever')]]}
                onChange={set('comments')}/>
            <label className='settings-check'>
                <input type='checkbox' checked={values.auto_responder_active}
                    onChange={(e) => set('auto_responder_active')(e.target.checked)}/>
                {' '}{t('notify.autoResponder')}
            </label>
            {values.auto_responder_active && (
                <div className='settings-field'>
                    <label htmlFor='notify-auto-responder'>{t('notify.autoResponderMessage')}</label>
                    <textarea id='notify-auto-responder' dir='auto' maxLength={200} required value={values.auto_responder_message}
                        onChange={(e) => set('auto_responder_message')(e.target.value)}/>
                </div>
            )}
            {outcome.error && <p className='form-error' role='alert'>{outcome.error}</p>}
            {outcome.saved && <p className='hint' role='status'>{t('settings.saved')}</p>}
            <button type='submit' className='primary'>{t('settings.save')}</button>
        </form>
    );
}

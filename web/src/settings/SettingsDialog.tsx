import {useState, type FormEvent, type ReactNode} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {YourDataSection} from '../account/YourDataSection';
import {ProfilePicture} from '../avatars/ProfilePicture';
import {t, type MessageId} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {SecurityKeys} from '../security/SecurityKeys';
import {TwoFactorSettings} from '../security/TwoFactor';
import {useAppState} from '../store/state';
import {browserTimeZone, changePassword, patchProfile, saveDisplaySetting, saveTheme} from './actions';
import {availableLocales} from './apply';
import {DeactivateSection} from './DeactivateSection';
import {settingsError} from './errors';
import {SessionsSection} from './SessionsSection';
import {LevelChoice, NotificationSettings} from './NotificationsSection';
import {COLLAPSED_THREADS, LINK_PREVIEWS, MESSAGE_DISPLAY, MILITARY_TIME, NAME_FORMAT, displaySettings, type NameFormat} from './preferences';
import {storedTheme} from './theme';
import './settings.css';

export type Tab = 'profile' | 'security' | 'notifications' | 'display' | 'language' | 'data';

const TABS: [Tab, MessageId][] = [
    ['profile', 'settings.profile'],
    ['security', 'settings.security'],
    ['notifications', 'notify.title'],
    ['display', 'settings.display'],
    ['language', 'settings.language'],
    ['data', 'data.title'],
];

/** Account and display settings, as Mattermost's "Profile" and "Settings" in one dialog. */
export default function SettingsDialog({onClose, initialTab = 'profile'}: {onClose: () => void; initialTab?: Tab}) {
    const [tab, setTab] = useState<Tab>(initialTab);
    return (
        <Dialog title={t('settings.title')} onClose={onClose}>
            <div className='settings'>
                <div className='settings-tabs' role='tablist' aria-label={t('settings.title')}>
                    {TABS.map(([id, label]) => (
                        <button key={id} type='button' role='tab' id={`settings-tab-${id}`} aria-selected={tab === id}
                            aria-controls='settings-panel' onClick={() => setTab(id)}>{t(label)}</button>
                    ))}
                </div>
                <div className='settings-panel' id='settings-panel' role='tabpanel' aria-labelledby={`settings-tab-${tab}`}>
                    {tab === 'profile' && <ProfileSettings/>}
                    {tab === 'security' && <><PasswordSettings/><TwoFactorSettings/><SecurityKeys/><SessionsSection/><DeactivateSection/></>}
                    {tab === 'notifications' && <NotificationSettings/>}
                    {tab === 'display' && <DisplaySettingsPanel/>}
                    {tab === 'language' && <LanguageSettings/>}
                    {tab === 'data' && <YourDataSection/>}
                </div>
            </div>
        </Dialog>
    );
}

/** A form's outcome: an error to show, or a short confirmation. */
function useOutcome() {
    const [outcome, setOutcome] = useState<{error?: string; saved?: boolean}>({});
    const run = async (work: () => Promise<unknown>) => {
        setOutcome({});
        try {
            await work();
            setOutcome({saved: true});
        } catch (failure) {
            setOutcome({error: settingsError(failure)});
        }
    };
    const view: ReactNode = outcome.error ? <p className='form-error' role='alert'>{outcome.error}</p>
        : outcome.saved ? <p className='hint' role='status'>{t('settings.saved')}</p> : null;
    return {run, view};
}

type ProfileField = 'first_name' | 'last_name' | 'nickname' | 'username' | 'position' | 'email';

const PROFILE_FIELDS: [ProfileField, MessageId, number][] = [
    ['first_name', 'settings.firstName', 64],
    ['last_name', 'settings.lastName', 64],
    ['nickname', 'settings.nickname', 64],
    ['username', 'settings.username', 22],
    ['position', 'settings.position', 128],
    ['email', 'settings.email', 128],
];

function ProfileSettings() {
    const me = useAppState((state) => state.me!);
    const [values, setValues] = useState<Record<ProfileField, string>>(() => ({
        first_name: me.first_name, last_name: me.last_name, nickname: me.nickname,
        username: me.username, position: me.position, email: me.email,
    }));
    const {run, view} = useOutcome();
    const changed = PROFILE_FIELDS.filter(([field]) => values[field] !== (me[field] ?? ''));
    // A single sign-on account's username is its provider's (the server refuses a rename).
    const providerOwned = (field: ProfileField) => field === 'username' && Boolean(me.auth_service);

    function submit(event: FormEvent) {
        event.preventDefault();
        const patch: Partial<UserProfile> = Object.fromEntries(changed.map(([field]) => [field, values[field].trim()]));
        void run(() => patchProfile(patch));
    }

    return (
        <>
        <ProfilePicture userId={me.id} lastPictureUpdate={me.last_picture_update ?? 0}/>
        <form className='form settings-form' onSubmit={submit}>
            {PROFILE_FIELDS.map(([field, label, max]) => (
                <div key={field} className='settings-field'>
                    <label htmlFor={`settings-${field}`}>{t(label)}</label>
                    <input id={`settings-${field}`} maxLength={max} value={values[field]} type={field === 'email' ? 'email' : 'text'}
                        autoComplete={field === 'email' ? 'email' : field === 'username' ? 'username' : 'off'}
                        readOnly={providerOwned(field)} aria-describedby={providerOwned(field) ? 'settings-username-sso' : undefined}
                        onChange={(e) => setValues({...values, [field]: e.target.value})}/>
                    {providerOwned(field) && <p id='settings-username-sso' className='hint'>{t('settings.usernameFromProvider')}</p>}
                </div>
            ))}
            {view}
            <button type='submit' className='primary' disabled={changed.length === 0}>{t('settings.save')}</button>
        </form>
        </>
    );
}

function PasswordSettings() {
    const signsInThroughProvider = useAppState((state) => Boolean(state.me?.auth_service));
    if (signsInThroughProvider) {
        return <p className='hint'>{t('settings.passwordFromProvider')}</p>;
    }
    return <PasswordForm/>;
}

function PasswordForm() {
    const [current, setCurrent] = useState('');
    const [next, setNext] = useState('');
    const [again, setAgain] = useState('');
    const [mismatch, setMismatch] = useState(false);
    const {run, view} = useOutcome();

    function submit(event: FormEvent) {
        event.preventDefault();
        setMismatch(next !== again);
        if (next !== again) {
            return;
        }
        void run(async () => {
            await changePassword(current, next);
            setCurrent('');
            setNext('');
            setAgain('');
        });
    }

    return (
        <form className='form settings-form' onSubmit={submit}>
            <label htmlFor='settings-current-password'>{t('settings.currentPassword')}</label>
            <input id='settings-current-password' type='password' autoComplete='current-password' required value={current} onChange={(e) => setCurrent(e.target.value)}/>
            <label htmlFor='settings-new-password'>{t('settings.newPassword')}</label>
            <input id='settings-new-password' type='password' autoComplete='new-password' required value={next} onChange={(e) => setNext(e.target.value)}/>
            <label htmlFor='settings-repeat-password'>{t('settings.repeatPassword')}</label>
            <input id='settings-repeat-password' type='password' autoComplete='new-password' required value={again} onChange={(e) => setAgain(e.target.value)}/>
            {mismatch ? <p className='form-error' role='alert'>{t('settings.error.passwordsDiffer')}</p> : view}
            <button type='submit' className='primary'>{t('settings.changePassword')}</button>
        </form>
    );
}

function DisplaySettingsPanel() {
    const preferences = useAppState((state) => state.preferences);
    const display = displaySettings({preferences});
    const theme = useAppState((state) => storedTheme(state, state.view.teamId).choice);
    const [error, setError] = useState('');
    const save = (work: Promise<unknown>) => {
        setError('');
        work.catch((failure) => setError(settingsError(failure)));
    };
    // With no choice saved, the clock is the language's: show which one that is.
    const languageClock = new Intl.DateTimeFormat(undefined, {hour: 'numeric'}).resolvedOptions().hourCycle;
    const military = display.militaryTime ?? (languageClock === 'h23' || languageClock === 'h24');

    return (
        <div className='settings-form'>
            <LevelChoice legend={t('settings.theme')} name='theme' value={theme === 'custom' ? undefined : theme}
                options={[['light', t('settings.themeLight')], ['dark', t('settings.themeDark')], ['system', t('settings.themeSystem')]]}
                onChange={(choice) => save(saveTheme(choice))}/>
            {theme === 'custom' && <p className='hint'>{t('settings.themeCustom')}</p>}
            <LevelChoice legend={t('settings.clock')} name='clock' value={military ? 'true' : 'false'}
                options={[['false', t('settings.clock12')], ['true', t('settings.clock24')]]}
                onChange={(value) => save(saveDisplaySetting(MILITARY_TIME, value))}/>
            <LevelChoice legend={t('settings.density')} name='density' value={display.density}
                options={[['clean', t('settings.densityStandard')], ['compact', t('settings.densityCompact')]]}
                onChange={(value) => save(saveDisplaySetting(MESSAGE_DISPLAY, value))}/>
            <LevelChoice<NameFormat> legend={t('settings.nameFormat')} name='name-format' value={display.nameFormat}
                options={[['username', t('settings.nameUsername')], ['nickname_full_name', t('settings.nameNickname')], ['full_name', t('settings.nameFull')]]}
                onChange={(value) => save(saveDisplaySetting(NAME_FORMAT, value))}/>
            <LevelChoice legend={t('settings.collapsedThreads')} name='collapsed-threads' value={display.collapsedThreads ? 'on' : 'off'}
                options={[['on', t('settings.collapsedOn')], ['off', t('settings.collapsedOff')]]}
                onChange={(value) => save(saveDisplaySetting(COLLAPSED_THREADS, value))}/>
            <LevelChoice legend={t('settings.linkPreviews')} name='link-previews' value={display.linkPreviews ? 'true' : 'false'}
                options={[['true', t('settings.linkPreviewsOn')], ['false', t('settings.linkPreviewsOff')]]}
                onChange={(value) => save(saveDisplaySetting(LINK_PREVIEWS, value))}/>
            {error && <p className='form-error' role='alert'>{error}</p>}
        </div>
    );
}

function languageName(locale: string): string {
    try {
        const own = new Intl.DisplayNames([locale], {type: 'language'}).of(locale);
        return own ? `${own.charAt(0).toLocaleUpperCase(locale)}${own.slice(1)}` : locale;
    } catch {
        return locale;
    }
}

function timeZones(): string[] {
    const supported = (Intl as {supportedValuesOf?: (key: string) => string[]}).supportedValuesOf?.('timeZone') ?? [];
    return supported.length > 0 ? supported : ['UTC', browserTimeZone()];
}

function LanguageSettings() {
    const me = useAppState((state) => state.me!);
    const zone = me.timezone;
    const automatic = zone?.useAutomaticTimezone !== 'false' && zone?.useAutomaticTimezone !== false;
    const [manual, setManual] = useState(zone?.manualTimezone || browserTimeZone());
    const {run, view} = useOutcome();
    const locales = availableLocales();

    const saveZone = (useAutomatic: boolean, manualZone: string) => run(() => patchProfile({
        timezone: {useAutomaticTimezone: String(useAutomatic), automaticTimezone: browserTimeZone(), manualTimezone: manualZone},
    }));

    return (
        <div className='form settings-form'>
            <label htmlFor='settings-language'>{t('settings.language')}</label>
            <select id='settings-language' value={locales.includes(me.locale) ? me.locale : 'en'}
                onChange={(e) => void run(() => patchProfile({locale: e.target.value}))}>
                {locales.map((locale) => <option key={locale} value={locale} lang={locale}>{languageName(locale)}</option>)}
            </select>
            <fieldset className='settings-choice'>
                <legend>{t('settings.timeZone')}</legend>
                <label>
                    <input type='checkbox' checked={automatic} onChange={(e) => void saveZone(e.target.checked, manual)}/>
                    {' '}{t('settings.timeZoneAutomatic', {zone: browserTimeZone()})}
                </label>
                {!automatic && (
                    <>
                        <label htmlFor='settings-time-zone'>{t('settings.timeZoneManual')}</label>
                        <select id='settings-time-zone' value={manual} onChange={(e) => {
                            setManual(e.target.value);
                            void saveZone(false, e.target.value);
                        }}>
                            {timeZones().map((name) => <option key={name} value={name}>{name.replace(/_/g, ' ')}</option>)}
                        </select>
                    </>
                )}
            </fieldset>
            {view}
        </div>
    );
}

import {useEffect, useRef, useState} from 'react';

import {errorMessage} from '../api/client';
import {deferred} from '../app/deferred';
import {navigate} from '../app/router';
import {visibleSections} from '../console/sections';
import {formatTime, t} from '../i18n/i18n';
import {EMOJI} from '../markdown/emoji';
import {formatName, nameFormatOf} from '../settings/preferences';
import {useAppState} from '../store/state';
import {Avatar, presenceLabel} from './Avatar';
import {clearCustomStatus, customStatusOf} from './customStatus';
import {presenceOf, setMyStatus, type Presence} from './presence';

// Settings load when first opened: most visits never do.
const SettingsDialog = deferred(() => import('../settings/SettingsDialog').then((m) => m.default));
const CustomStatusDialog = deferred(() => import('./CustomStatusDialog').then((m) => m.default));
const IntegrationsDialog = deferred(() => import('../integrations/IntegrationsDialog').then((m) => m.default));

/** Do-not-disturb lengths offered, in minutes; 0 is "until I turn it off", -1 "until tomorrow". */
const DND_CHOICES = [0, 30, 60, 120, -1] as const;

/** When do-not-disturb chosen now for `minutes` ends, in seconds as Mattermost stores it (0: never). */
export function dndEndTime(minutes: number, now: number = Date.now()): number {
    if (minutes === 0) {
        return 0;
    }
    if (minutes < 0) {
        const tomorrow = new Date(now);
        tomorrow.setDate(tomorrow.getDate() + 1);
        tomorrow.setHours(9, 0, 0, 0);
        return Math.floor(tomorrow.getTime() / 1000);
    }
    return Math.floor(now / 1000) + minutes * 60;
}

function dndChoiceLabel(minutes: number): string {
    if (minutes === 0) {
        return t('status.dndForever');
    }
    return minutes < 0 ? t('status.dndTomorrow') : t('status.dndFor', {minutes});
}

/** The signed-in person at the bottom of the sidebar: their status, custom status and settings. */
export function UserMenu() {
    const me = useAppState((state) => state.me!);
    const name = useAppState((state) => formatName(state.me!, nameFormatOf(state)));
    const presence = useAppState((state) => presenceOf(state, state.me!.id));
    const dndEnd = useAppState((state) => state.statuses[state.me!.id]?.dnd_end_time ?? 0);
    const [open, setOpen] = useState(false);
    const [dialog, setDialog] = useState<'' | 'settings' | 'custom-status' | 'integrations'>('');
    const [error, setError] = useState('');
    const menu = useRef<HTMLDivElement>(null);
    const custom = customStatusOf(me);
    const consoleOffered = visibleSections(me.roles.split(' ')).length > 0;

    useEffect(() => {
        if (!open) {
            return;
        }
        const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
        const onClick = (event: MouseEvent) => !menu.current?.contains(event.target as Node) && setOpen(false);
        document.addEventListener('keydown', onKey);
        document.addEventListener('mousedown', onClick);
        menu.current?.querySelector<HTMLElement>('[role=menuitem], [role=menuitemradio]')?.focus();
        return () => {
            document.removeEventListener('keydown', onKey);
            document.removeEventListener('mousedown', onClick);
        };
    }, [open]);

    const run = (work: Promise<unknown>) => {
        setOpen(false);
        setError('');
        work.catch((failure) => setError(errorMessage(failure)));
    };
    const choose = (status: Presence, minutes = 0) => run(setMyStatus(status, status === 'dnd' ? dndEndTime(minutes) : 0));

    return (
        <div className='user-menu' ref={menu}>
            {/* Named by what it shows (the name) and then, unseen, the status: a label of its own
                would not contain the initials drawn on the avatar, which axe counts as visible text. */}
            <button type='button' className='user-menu-button' aria-haspopup='menu' aria-expanded={open}
                onClick={() => setOpen(!open)}>
                <Avatar userId={me.id} size={28} presence/>
                <span className='user-menu-name'>{name}</span>
                <span className='visually-hidden'>{t('status.menu', {status: presence ? presenceLabel(presence) : ''})}</span>
                {custom?.emoji && <span className='custom-status-emoji' title={custom.text}>{EMOJI[custom.emoji] ?? `:${custom.emoji}:`}</span>}
            </button>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {open && (
                <div className='user-menu-popup' role='menu' aria-label={t('status.menuTitle')}>
                    <p className='user-menu-heading'>{name} <span className='hint'>@{me.username}</span></p>
                    {custom ? (
                        <div className='user-menu-row'>
                            <button type='button' role='menuitem' className='user-menu-item' onClick={() => { setOpen(false); setDialog('custom-status'); }}>
                                {custom.emoji && `${EMOJI[custom.emoji] ?? `:${custom.emoji}:`} `}{custom.text || t('status.customSet')}
                            </button>
                            <button type='button' role='menuitem' className='user-menu-item user-menu-clear' aria-label={t('status.customClear')}
                                onClick={() => run(clearCustomStatus())}>×</button>
                        </div>
                    ) : (
                        <button type='button' role='menuitem' className='user-menu-item' onClick={() => { setOpen(false); setDialog('custom-status'); }}>
                            {t('status.customSet')}
                        </button>
                    )}
                    <hr/>
                    {(['online', 'away'] as const).map((status) => (
                        <button key={status} type='button' role='menuitemradio' aria-checked={presence === status} className='user-menu-item'
                            onClick={() => choose(status)}>
                            <span className={`presence-dot presence-${status}`} aria-hidden='true'/> {presenceLabel(status)}
                        </button>
                    ))}
                    <div className='user-menu-group' role='group' aria-label={presenceLabel('dnd')}>
                        <span className='user-menu-group-label'>
                            <span className='presence-dot presence-dnd' aria-hidden='true'/> {presenceLabel('dnd')}
                            {presence === 'dnd' && dndEnd > 0 && <span className='hint'> {t('status.dndUntil', {time: formatTime(dndEnd * 1000)})}</span>}
                        </span>
                        {DND_CHOICES.map((minutes) => (
                            <button key={minutes} type='button' role='menuitemradio' aria-checked={false} className='user-menu-item user-menu-subitem'
                                onClick={() => choose('dnd', minutes)}>{dndChoiceLabel(minutes)}</button>
                        ))}
                    </div>
                    <button type='button' role='menuitemradio' aria-checked={presence === 'offline'} className='user-menu-item' onClick={() => choose('offline')}>
                        <span className='presence-dot presence-offline' aria-hidden='true'/> {presenceLabel('offline')}
                    </button>
                    <hr/>
                    <button type='button' role='menuitem' className='user-menu-item' onClick={() => { setOpen(false); setDialog('settings'); }}>
                        {t('settings.open')}
                    </button>
                    <button type='button' role='menuitem' className='user-menu-item' onClick={() => { setOpen(false); setDialog('integrations'); }}>
                        {t('integrations.open')}
                    </button>
                    {consoleOffered && (
                        <button type='button' role='menuitem' className='user-menu-item' onClick={() => { setOpen(false); navigate('/admin_console'); }}>
                            {t('console.open')}
                        </button>
                    )}
                </div>
            )}
            {dialog === 'settings' && <SettingsDialog onClose={() => setDialog('')}/>}
            {dialog === 'custom-status' && <CustomStatusDialog onClose={() => setDialog('')}/>}
            {dialog === 'integrations' && <IntegrationsDialog onClose={() => setDialog('')}/>}
        </div>
    );
}

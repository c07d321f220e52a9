import {useEffect, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {deferred} from '../app/deferred';
import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {togglePanel, usePanel} from '../lists/panel';
import {Markdown} from '../markdown/Markdown';
import {canModerateChannel} from '../moderation/channelModeration';
import {Dialog} from '../posts/Dialog';
import {MentionsButton, SearchBox} from '../search/SearchBox';
import {canManageChannel, loadMemberCount, patchChannel} from '../store/channelActions';
import {channelTitle} from '../store/channels';
import {useAppState} from '../store/state';
import {Icon} from './icons';
import {useLeaveChannel} from './LeaveChannel';
import {Menu, type MenuItem} from './Menu';
import {RetentionNotice} from './RetentionNotice';
import {useMembershipEvents} from './useMembershipEvents';

// The header menu's dialogs load when first opened (and are prefetched once the channel shows).
const ChannelNotifications = deferred(() => import('./ChannelNotifications').then((m) => m.ChannelNotifications));
const ChannelModerationDialog = deferred(() => import('../moderation/ChannelModerationDialog').then((m) => m.ChannelModerationDialog));

type Editing = 'header' | 'purpose' | 'notifications' | 'moderation' | null;

/** The bar above the messages: name, header, member count, and the channel's lists and actions. */
export function ChannelHeader({channel: initial, team}: {channel: Channel; team: Team}) {
    const channel = useAppState((state) => state.channels[initial.id] ?? initial);
    const title = useAppState((state) => channelTitle(state, channel));
    const canManage = useAppState((state) => canManageChannel(state, channel));
    const member = useAppState((state) => Boolean(state.members[channel.id]));
    const canModerate = useAppState((state) => canModerateChannel(state, channel));
    const panel = usePanel();
    const [memberCount, setMemberCount] = useState<number | null>(null);
    const [membersChanged, setMembersChanged] = useState(0);
    useMembershipEvents(channel.id, () => setMembersChanged((n) => n + 1));
    const [editing, setEditing] = useState<Editing>(null);
    const [error, setError] = useState('');
    const isDirect = channel.type === 'D' || channel.type === 'G';
    const [startLeaving, leaveDialog] = useLeaveChannel(team, channel, setError);

    useEffect(() => {
        if (isDirect) {
            return;
        }
        let current = true;
        loadMemberCount(channel.id).then((count) => current && setMemberCount(count), () => undefined);
        return () => {
            current = false;
        };
    }, [channel.id, isDirect, membersChanged, member]);

    const items: MenuItem[] = [];
    if (canManage) {
        items.push({label: t('header.editHeader'), onSelect: () => setEditing('header')});
        if (!isDirect) {
            items.push({label: t('header.editPurpose'), onSelect: () => setEditing('purpose')});
        }
    }
    if (canModerate) {
        items.push({label: t('moderation.channelMenu'), onSelect: () => setEditing('moderation')});
    }
    if (member) {
        items.push({label: t('header.notifications'), onSelect: () => setEditing('notifications')});
    }
    if (!isDirect && member) {
        items.push({label: t('header.members'), onSelect: () => togglePanel({kind: 'members', channelId: channel.id})});
    }
    if (!isDirect && member && channel.name !== 'town-square') {
        items.push({label: t('header.leave'), danger: true, onSelect: startLeaving});
    }

    return (
        <header className='channel-header'>
            <button type='button' className='back-button icon-button' aria-label={t('layout.back')}
                onClick={() => navigate(`/${team.name}`)}>‹</button>
            <div className='channel-heading'>
                <h2 id='channel-title' title={channel.purpose || undefined}>{title}</h2>
                {channel.delete_at > 0 && <span className='archived-tag'>{t('header.archived')}</span>}
                {channel.header && <div className='channel-header-text' dir='auto'><Markdown text={channel.header}/></div>}
                <RetentionNotice channel={channel}/>
            </div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='header-buttons'>
                <SearchBox team={team}/>
                <MentionsButton/>
                {!isDirect && memberCount !== null && (
                    <button type='button' className='header-button member-count' aria-pressed={panel?.kind === 'members'}
                        aria-label={t('header.memberCount', {count: memberCount})} title={t('header.memberCount', {count: memberCount})}
                        onClick={() => togglePanel({kind: 'members', channelId: channel.id})}>
                        <Icon name='members'/> <span aria-hidden='true'>{memberCount}</span>
                    </button>
                )}
                <button type='button' className='header-button' aria-pressed={panel?.kind === 'pinned'}
                    aria-label={t('header.pinned')} title={t('header.pinned')}
                    onClick={() => togglePanel({kind: 'pinned', channelId: channel.id})}><Icon name='pin'/></button>
                <button type='button' className='header-button' aria-pressed={panel?.kind === 'files'}
                    aria-label={t('header.files')} title={t('header.files')}
                    onClick={() => togglePanel({kind: 'files', channelId: channel.id})}><Icon name='files'/></button>
                <button type='button' className='header-button' aria-pressed={panel?.kind === 'saved'}
                    aria-label={t('header.saved')} title={t('header.saved')}
                    onClick={() => togglePanel({kind: 'saved', channelId: ''})}><Icon name='saved'/></button>
                {items.length > 0 && <Menu label={t('header.menu', {channel: title})} items={items} className='header-menu'><Icon name='more'/></Menu>}
            </div>
            {leaveDialog}
            {editing === 'notifications' && <ChannelNotifications channel={channel} onClose={() => setEditing(null)}/>}
            {editing === 'moderation' && <ChannelModerationDialog channel={channel} onClose={() => setEditing(null)}/>}
            {(editing === 'header' || editing === 'purpose') && <EditChannelText channel={channel} field={editing} onClose={() => setEditing(null)}/>}
        </header>
    );
}

function EditChannelText({channel, field, onClose}: {channel: Channel; field: 'header' | 'purpose'; onClose: () => void}) {
    const [text, setText] = useState(channel[field]);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function save() {
        setBusy(true);
        try {
            await patchChannel(channel.id, {[field]: text.trim()});
            onClose();
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    const label = field === 'header' ? t('header.headerLabel') : t('header.purposeLabel');
    return (
        <Dialog title={field === 'header' ? t('header.editHeader') : t('header.editPurpose')} onClose={onClose}>
            <form onSubmit={(e) => {
                e.preventDefault();
                void save();
            }}>
                <label htmlFor='channel-text'>{label}</label>
                <textarea id='channel-text' autoFocus dir='auto' maxLength={field === 'header' ? 1024 : 250} value={text}
                    onChange={(e) => setText(e.target.value)}/>
                {field === 'header' && <p className='hint'>{t('header.markdownHint')}</p>}
                {error && <p className='form-error' role='alert'>{error}</p>}
                <div className='dialog-buttons'>
                    <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                    <button type='submit' className='primary' disabled={busy}>{t('header.save')}</button>
                </div>
            </form>
        </Dialog>
    );
}

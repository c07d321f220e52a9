import {useState} from 'react';

import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {Team} from '@mattermost/types/teams';

import {channelPath, followLink, navigate} from '../app/router';
import {NewDirectMessage} from '../directs/NewDirectMessage';
import {forgetDrafts} from '../posts/Composer';
import {Icon} from '../posts/icons';
import {t} from '../i18n/i18n';
import {logout, setCategoryCollapsed} from '../store/actions';
import {channelTitle, directPartnerId, sortedChannelIds, unreadOf} from '../store/channels';
import {stopRealtime} from '../store/realtime';
import {useAppState, type State} from '../store/state';
import {followedThreadsOf} from '../store/threads';

interface Props {
    team: Team;
    currentChannelId: string;
    /** The Threads view is open. */
    threadsOpen?: boolean;
}

export function Sidebar({team, currentChannelId, threadsOpen = false}: Props) {
    const categories = useAppState((state) => state.categories[team.id]);
    const me = useAppState((state) => state.me);
    // "Reconnecting" only once there was a connection to lose, not while the page first loads.
    const connectionLost = useAppState((state) => !state.connected && state.connectedAt > 0);
    const [choosingDirect, setChoosingDirect] = useState(false);

    return (
        <nav className='sidebar' aria-label={t('sidebar.label')}>
            <TeamSwitcher current={team}/>
            <div className='sidebar-actions'>
                <button type='button' onClick={() => setChoosingDirect(true)}>{t('sidebar.newDirect')}</button>
            </div>
            <div className='sidebar-categories'>
                <ul className='sidebar-threads'>
                    <ThreadsLink team={team} current={threadsOpen}/>
                </ul>
                {(categories ?? []).map((category) => (
                    <Category key={category.id} team={team} category={category} currentChannelId={currentChannelId}/>
                ))}
            </div>
            <footer className='sidebar-footer'>
                <span className='me' title={me?.email}>@{me?.username}</span>
                {connectionLost && <span className='offline' role='status'>{t('sidebar.offline')}</span>}
                <button type='button' className='link-button' onClick={() => {
                    stopRealtime();
                    forgetDrafts();
                    void logout().then(() => navigate('/login'));
                }}>{t('sidebar.logout')}</button>
            </footer>
            {choosingDirect && <NewDirectMessage team={team} onClose={() => setChoosingDirect(false)}/>}
        </nav>
    );
}

/** Followed threads with unread replies make the entry bold; unread mentions in them, a badge. */
function ThreadsLink({team, current}: {team: Team; current: boolean}) {
    const unread = useAppState((state) => followedThreadsOf(state, team.id).unreadThreads > 0);
    const mentions = useAppState((state) => followedThreadsOf(state, team.id).unreadMentions);
    const className = ['channel-link', 'threads-link', unread ? 'unread' : '', current ? 'current' : ''].filter(Boolean).join(' ');
    return (
        <li>
            <a href={`/${team.name}/threads`} className={className} aria-current={current ? 'page' : undefined} onClick={followLink}>
                <span className='channel-prefix' aria-hidden='true'><Icon name='reply'/></span>
                <span className='channel-name'>{t('sidebar.threads')}</span>
                {mentions > 0 && (
                    <span className='badge' aria-label={t('sidebar.mentions', {count: mentions})}>{mentions}</span>
                )}
            </a>
        </li>
    );
}

function TeamSwitcher({current}: {current: Team}) {
    const teams = useAppState((state) => state.teams);
    const others = Object.values(teams).filter((team) => team.id !== current.id);
    return (
        <header className='team-header'>
            <h1 className='team-name'>{current.display_name}</h1>
            <ul className='team-switcher' aria-label={t('sidebar.teams')}>
                {others.map((team) => (
                    <li key={team.id}>
                        <a href={channelPath(team.name, 'town-square')} onClick={followLink} title={team.display_name}>
                            {team.display_name}
                        </a>
                    </li>
                ))}
                <li><a href='/select_team' onClick={followLink}>{t('sidebar.otherTeams')}</a></li>
            </ul>
        </header>
    );
}

function categoryName(category: ChannelCategory): string {
    switch (category.type) {
    case 'favorites':
        return t('sidebar.favorites');
    case 'channels':
        return t('sidebar.channels');
    case 'direct_messages':
        return t('sidebar.directMessages');
    default:
        return category.display_name;
    }
}

function Category({team, category, currentChannelId}: {team: Team; category: ChannelCategory; currentChannelId: string}) {
    const ids = useAppState((state) => sortedChannelIds(state, category).join(','));
    const channelIds = ids ? ids.split(',') : [];
    const unread = useAppState((state) => channelIds.filter((id) => unreadOf(state.channels[id], state.members[id]).unread).join(','));
    const unreadIds = new Set(unread.split(','));
    if (category.type === 'favorites' && channelIds.length === 0) {
        return null;
    }
    // A collapsed category still shows its unread channels and the open one, as Mattermost does.
    const shown = category.collapsed ? channelIds.filter((id) => unreadIds.has(id) || id === currentChannelId) : channelIds;
    const listId = `category-${category.id}`;
    return (
        <section className='category'>
            <h2>
                <button type='button' className='category-toggle' aria-expanded={!category.collapsed} aria-controls={listId}
                    onClick={() => void setCategoryCollapsed(team.id, category, !category.collapsed)}>
                    {categoryName(category)}
                </button>
            </h2>
            <ul id={listId}>
                {shown.map((id) => <ChannelLink key={id} team={team} channelId={id} current={id === currentChannelId}/>)}
            </ul>
        </section>
    );
}

function channelHref(state: State, team: Team, channelId: string): string {
    const channel = state.channels[channelId];
    if (channel.type === 'D' && state.me) {
        const partner = state.users[directPartnerId(channel, state.me.id)];
        if (partner) {
            return `/${team.name}/messages/@${partner.username}`;
        }
    }
    if (channel.type === 'G') {
        return `/${team.name}/messages/${channel.name}`;
    }
    return channelPath(team.name, channel.name);
}

function ChannelLink({team, channelId, current}: {team: Team; channelId: string; current: boolean}) {
    const channel = useAppState((state) => state.channels[channelId]);
    const member = useAppState((state) => state.members[channelId]);
    const title = useAppState((state) => channelTitle(state, state.channels[channelId]));
    const href = useAppState((state) => channelHref(state, team, channelId));
    const {unread, mentions} = unreadOf(channel, member);
    const className = ['channel-link', unread && !current ? 'unread' : '', current ? 'current' : ''].filter(Boolean).join(' ');
    const prefix = channel.type === 'O' ? '#' : channel.type === 'P' ? <Icon name='lock'/> : '@';
    return (
        <li>
            <a href={href} className={className} aria-current={current ? 'page' : undefined} onClick={followLink}>
                <span className='channel-prefix' aria-hidden='true'>{prefix}</span>
                <span className='channel-name'>{title}</span>
                {mentions > 0 && !current && (
                    <span className='badge' aria-label={t('sidebar.mentions', {count: mentions})}>{mentions}</span>
                )}
            </a>
        </li>
    );
}

import {useEffect, useState, type DragEvent} from 'react';

import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {channelPath, followLink, navigate} from '../app/router';
import {deferred} from '../app/deferred';
import {forgetDrafts} from '../posts/Composer';
import {Icon} from '../posts/icons';
import {t} from '../i18n/i18n';
import {logout, setCategoryCollapsed} from '../store/actions';
import {canHold, isCustom, isFavorite} from '../store/categories';
import {isMuted, placeInCategory, setMuted, toggleFavorite} from '../store/channelActions';
import {channelTitle, directPartnerId, sortedChannelIds, unreadOf} from '../store/channels';
import {stopRealtime} from '../store/realtime';
import {isCollapsedThreads} from '../settings/preferences';
import {useAppState} from '../store/state';
import {PresenceDot} from '../status/Avatar';
import {UserMenu} from '../status/UserMenu';
import {followedThreadsOf} from '../store/threads';
import {useInviteLinkItems} from '../teams/useInviteLinkItems';
import {isGuest} from '../profile/GuestBadge';
import {categoryName} from './categoryName';
import {useLeaveChannel} from './LeaveChannel';
import {Icon as ChannelIcon} from './icons';
import {channelHref} from './links';
import {Menu, type MenuItem} from './Menu';
import './channels.css';

// The sidebar's dialogs load when first opened (and are prefetched once the first channel shows).
const NewDirectMessage = deferred(() => import('../directs/NewDirectMessage').then((m) => m.NewDirectMessage));
const CreateChannel = deferred(() => import('./CreateChannel').then((m) => m.CreateChannel));
const BrowseChannels = deferred(() => import('./BrowseChannels').then((m) => m.BrowseChannels));
const CategoryNameDialog = deferred(() => import('./CategoryDialogs').then((m) => m.CategoryNameDialog));
const DeleteCategoryDialog = deferred(() => import('./CategoryDialogs').then((m) => m.DeleteCategoryDialog));
const MoveChannelDialog = deferred(() => import('./CategoryDialogs').then((m) => m.MoveChannelDialog));
const InviteDialog = deferred(() => import('../teams/InviteDialog').then((m) => m.InviteDialog));
const RegenerateInvite = deferred(() => import('../teams/RegenerateInvite').then((m) => m.RegenerateInvite));
const ChannelSwitcher = deferred(() => import('../switcher/ChannelSwitcher').then((m) => m.ChannelSwitcher));

type SidebarDialog = 'direct' | 'create' | 'browse' | 'category' | 'invite' | 'regenerate' | 'switcher' | null;

const UNREAD_FILTER_KEY = 'villagepump.unreadFilter';

function useUnreadFilter(): [boolean, (on: boolean) => void] {
    const [on, setOn] = useState(() => localStorage.getItem(UNREAD_FILTER_KEY) === '1');
    return [on, (next: boolean) => {
        localStorage.setItem(UNREAD_FILTER_KEY, next ? '1' : '0');
        setOn(next);
    }];
}

/** Ctrl+K (Cmd+K on a Mac) opens the switcher from anywhere in the team, as in Mattermost. */
function useSwitcherShortcut(open: () => void): void {
    useEffect(() => {
        const onKey = (event: KeyboardEvent) => {
            if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
                event.preventDefault();
                open();
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [open]);
}

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
    const [dialog, setDialog] = useState<SidebarDialog>(null);
    const [unreadOnly, setUnreadOnly] = useUnreadFilter();
    const closeDialog = () => setDialog(null);
    const [openSwitcher] = useState(() => () => setDialog('switcher'));
    useSwitcherShortcut(openSwitcher);

    const guest = isGuest(me);
    const {teamAdmin, notice, copyLink} = useInviteLinkItems(team.id, guest);
    // A guest can neither make nor browse channels, nor invite (the server refuses it too).
    const addItems: MenuItem[] = [
        ...(guest ? [] : [
            {label: t('sidebar.createChannel'), onSelect: () => setDialog('create')},
            {label: t('sidebar.browseChannels'), onSelect: () => setDialog('browse')},
        ]),
        {label: t('sidebar.newCategory'), onSelect: () => setDialog('category')},
        {label: t('sidebar.newDirect'), onSelect: () => setDialog('direct')},
        ...(guest ? [] : [
            {label: t('sidebar.invite'), onSelect: () => setDialog('invite')},
            {label: t('inviteLink.copy'), onSelect: () => void copyLink().then((copied) => copied || setDialog('invite'))},
        ]),
        ...(teamAdmin ? [{label: t('inviteLink.regenerate'), onSelect: () => setDialog('regenerate')}] : []),
    ];

    return (
        <nav className='sidebar' aria-label={t('sidebar.label')}>
            <TeamSwitcher current={team}/>
            <div className='sidebar-actions'>
                <button type='button' className='find-channel' onClick={openSwitcher} aria-keyshortcuts='Control+K Meta+K'>
                    <ChannelIcon name='search'/> <span>{t('sidebar.find')}</span>
                </button>
                <Menu label={t('sidebar.add')} items={addItems} className='sidebar-add'><ChannelIcon name='plus'/></Menu>
                <button type='button' className='unread-filter' aria-pressed={unreadOnly} title={t('sidebar.unreadFilter')}
                    aria-label={t('sidebar.unreadFilter')} onClick={() => setUnreadOnly(!unreadOnly)}><ChannelIcon name='filter'/></button>
            </div>
            <div className='sidebar-categories'>
                <ul className='sidebar-threads'>
                    <ThreadsLink team={team} current={threadsOpen}/>
                </ul>
                {unreadOnly
                    ? <UnreadChannels team={team} currentChannelId={currentChannelId}/>
                    : (categories ?? []).map((category) => (
                        <Category key={category.id} team={team} category={category} currentChannelId={currentChannelId}
                            onNewDirect={() => setDialog('direct')}/>
                    ))}
            </div>
            <footer className='sidebar-footer'>
                {me && <UserMenu/>}
                {connectionLost && <span className='offline' role='status'>{t('sidebar.offline')}</span>}
                <span className='sidebar-notice' role='status'>{notice}</span>
                <button type='button' className='link-button' onClick={() => {
                    stopRealtime();
                    forgetDrafts();
                    void logout().then(() => navigate('/login'));
                }}>{t('sidebar.logout')}</button>
            </footer>
            {dialog === 'direct' && <NewDirectMessage team={team} onClose={closeDialog}/>}
            {dialog === 'create' && <CreateChannel team={team} onClose={closeDialog}/>}
            {dialog === 'browse' && <BrowseChannels team={team} onClose={closeDialog}/>}
            {dialog === 'category' && <CategoryNameDialog team={team} onClose={closeDialog}/>}
            {dialog === 'invite' && <InviteDialog team={team} onClose={closeDialog}/>}
            {dialog === 'regenerate' && <RegenerateInvite team={team} onClose={closeDialog}/>}
            {dialog === 'switcher' && <ChannelSwitcher team={team} onClose={closeDialog}/>}
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

interface CategoryProps {
    team: Team;
    category: ChannelCategory;
    currentChannelId: string;
    onNewDirect: () => void;
}

// The channel being dragged in the sidebar (a dragover cannot read the drag's own data).
let dragged: Channel | null = null;

/** Where a drop lands among a category's channels: on its heading, the top; on a channel's
 * upper half, before it; on its lower half, after it; below the list, the end. */
function dropIndex(event: DragEvent<HTMLElement>, channelIds: string[]): number {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLElement>('.channel-item');
    const id = row?.dataset.channelId;
    if (!row || !id) {
        return target.closest('h2') ? 0 : channelIds.length;
    }
    const box = row.getBoundingClientRect();
    return channelIds.indexOf(id) + (event.clientY > box.top + box.height / 2 ? 1 : 0);
}

function Category({team, category, currentChannelId, onNewDirect}: CategoryProps) {
    const ids = useAppState((state) => sortedChannelIds(state, category).join(','));
    const channelIds = ids ? ids.split(',') : [];
    const unread = useAppState((state) => channelIds.filter((id) => unreadOf(state.channels[id], state.members[id], isCollapsedThreads(state)).unread).join(','));
    const unreadIds = new Set(unread.split(','));
    const [dropAt, setDropAt] = useState<number | null>(null);
    if (category.type === 'favorites' && channelIds.length === 0) {
        return null;
    }
    // A collapsed category still shows its unread channels and the open one, as Mattermost does.
    const shown = category.collapsed ? channelIds.filter((id) => unreadIds.has(id) || id === currentChannelId) : channelIds;
    const listId = `category-${category.id}`;
    // Drag and drop moves a channel between categories and orders a category by hand, through the
    // categories API the mobile apps use; the channel menu's Move to…, Move up and Move down do
    // the same from the keyboard.
    const dropping = {
        onDragOver: (event: DragEvent<HTMLElement>) => {
            if (dragged && canHold(category, dragged)) {
                event.preventDefault();
                event.dataTransfer.dropEffect = 'move';
                setDropAt(dropIndex(event, channelIds));
            }
        },
        onDragLeave: (event: DragEvent<HTMLElement>) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
                setDropAt(null);
            }
        },
        onDrop: (event: DragEvent<HTMLElement>) => {
            event.preventDefault();
            const channel = dragged;
            const index = dropIndex(event, channelIds);
            dragged = null;
            setDropAt(null);
            if (channel) {
                placeInCategory(team.id, channel, category.id, index, channelIds).catch(console.error);
            }
        },
    };
    return (
        <section className={dropAt === null ? 'category' : 'category drop-target'} {...dropping}
            data-category={category.type === 'custom' ? category.display_name : category.type}>
            <h2>
                <button type='button' className='category-toggle' aria-expanded={!category.collapsed} aria-controls={listId}
                    onClick={() => void setCategoryCollapsed(team.id, category, !category.collapsed)}>
                    {categoryName(category)}
                </button>
                {isCustom(category) && <CategoryMenu team={team} category={category}/>}
                {category.type === 'direct_messages' && (
                    <button type='button' className='category-add' aria-label={t('sidebar.newDirect')} title={t('sidebar.newDirect')}
                        onClick={onNewDirect}><ChannelIcon name='plus'/></button>
                )}
            </h2>
            <ul id={listId} className={dropAt !== null && dropAt >= channelIds.length ? 'drop-end' : undefined}>
                {shown.map((id) => (
                    <ChannelLink key={id} team={team} channelId={id} current={id === currentChannelId}
                        place={{categoryId: category.id, ids: channelIds}} dropBefore={dropAt === channelIds.indexOf(id)}/>
                ))}
            </ul>
        </section>
    );
}

function CategoryMenu({team, category}: {team: Team; category: ChannelCategory}) {
    const [editing, setEditing] = useState<'rename' | 'delete' | null>(null);
    const items: MenuItem[] = [
        {label: t('categories.rename'), onSelect: () => setEditing('rename')},
        {label: t('categories.delete'), danger: true, onSelect: () => setEditing('delete')},
    ];
    return (
        <>
            <Menu label={t('categories.menu', {name: category.display_name})} items={items} className='category-menu'>
                <ChannelIcon name='more'/>
            </Menu>
            {editing === 'rename' && <CategoryNameDialog team={team} category={category} onClose={() => setEditing(null)}/>}
            {editing === 'delete' && <DeleteCategoryDialog team={team} category={category} onClose={() => setEditing(null)}/>}
        </>
    );
}

/** The unread filter: every unread channel of the team in one list, plus the open one. */
function UnreadChannels({team, currentChannelId}: {team: Team; currentChannelId: string}) {
    const ids = useAppState((state) => (state.categories[team.id] ?? [])
        .flatMap((category) => sortedChannelIds(state, category))
        .filter((id) => id === currentChannelId || (unreadOf(state.channels[id], state.members[id], isCollapsedThreads(state)).unread && !isMuted(state.members[id])))
        .join(','));
    const channelIds = ids ? ids.split(',') : [];
    return (
        <section className='category'>
            <h2 className='category-title'>{t('sidebar.unreads')}</h2>
            <ul>
                {channelIds.map((id) => <ChannelLink key={id} team={team} channelId={id} current={id === currentChannelId}/>)}
            </ul>
            {channelIds.length === 0 && <p className='sidebar-empty'>{t('sidebar.noUnreads')}</p>}
        </section>
    );
}

interface ChannelLinkProps {
    team: Team;
    channelId: string;
    current: boolean;
    /** The category the link shows in, with its channels in the sidebar's order: for Move up and
     * Move down. Absent in the unread filter's list. */
    place?: {categoryId: string; ids: string[]};
    /** A dragged channel would land just above this one. */
    dropBefore?: boolean;
}

function ChannelLink({team, channelId, current, place, dropBefore = false}: ChannelLinkProps) {
    const channel = useAppState((state) => state.channels[channelId]);
    const member = useAppState((state) => state.members[channelId]);
    const title = useAppState((state) => channelTitle(state, state.channels[channelId]));
    const href = useAppState((state) => channelHref(state, team, channelId));
    const favorite = useAppState((state) => isFavorite(state.categories[team.id] ?? [], channelId));
    const [moving, setMoving] = useState(false);
    const [startLeaving, leaveDialog] = useLeaveChannel(team, channel, console.error);
    const collapsed = useAppState(isCollapsedThreads);
    const {unread, mentions} = unreadOf(channel, member, collapsed);
    const muted = isMuted(member);
    // A muted channel is bold only for a mention, as in Mattermost.
    const bold = unread && !current && (!muted || mentions > 0);
    const className = ['channel-link', bold ? 'unread' : '', current ? 'current' : '', muted ? 'muted' : ''].filter(Boolean).join(' ');
    const partnerId = useAppState((state) => (channel.type === 'D' && state.me ? directPartnerId(channel, state.me.id) : ''));
    const prefix = channel.type === 'O' ? '#' : channel.type === 'P' ? <Icon name='lock'/> : partnerId ? <PresenceDot userId={partnerId}/> : '@';
    const canLeave = (channel.type === 'O' || channel.type === 'P') && channel.name !== 'town-square';
    const items: MenuItem[] = [
        {label: t('channelMenu.move'), onSelect: () => setMoving(true)},
        {label: favorite ? t('channelMenu.unfavorite') : t('channelMenu.favorite'), onSelect: () => void toggleFavorite(team.id, channel).catch(console.error)},
        {label: muted ? t('channelMenu.unmute') : t('channelMenu.mute'), onSelect: () => void setMuted(channel.id, !muted).catch(console.error)},
    ];
    const position = place ? place.ids.indexOf(channelId) : -1;
    if (place && position > 0) {
        items.push({label: t('channelMenu.moveUp'), onSelect: () => void placeInCategory(team.id, channel, place.categoryId, position - 1, place.ids).catch(console.error)});
    }
    if (place && position >= 0 && position < place.ids.length - 1) {
        items.push({label: t('channelMenu.moveDown'), onSelect: () => void placeInCategory(team.id, channel, place.categoryId, position + 2, place.ids).catch(console.error)});
    }
    if (canLeave) {
        items.push({label: t('channelMenu.leave'), danger: true, onSelect: startLeaving});
    }
    return (
        <li className={dropBefore ? 'channel-item drop-before' : 'channel-item'} data-channel-id={channelId} draggable
            onDragStart={(event) => {
                dragged = channel;
                event.dataTransfer.effectAllowed = 'move';
                event.dataTransfer.setData('text/plain', title);
            }}
            onDragEnd={() => {
                dragged = null;
            }}>
            <a href={href} className={className} aria-current={current ? 'page' : undefined} onClick={followLink}>
                <span className='channel-prefix' aria-hidden='true'>{prefix}</span>
                <span className='channel-name'>{title}</span>
                {mentions > 0 && !current && (
                    <span className='badge' aria-label={t('sidebar.mentions', {count: mentions})}>{mentions}</span>
                )}
            </a>
            <Menu label={t('channelMenu.label', {channel: title})} items={items} className='channel-menu'><ChannelIcon name='more'/></Menu>
            {moving && <MoveChannelDialog team={team} channel={channel} title={title} onClose={() => setMoving(false)}/>}
            {leaveDialog}
        </li>
    );
}

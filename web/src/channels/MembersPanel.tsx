import {useCallback, useEffect, useState} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Markdown} from '../markdown/Markdown';
import {isModerator, isProtected} from '../moderation/api';
import {ModerationDialogView, type ModerationDialog} from '../moderation/ModerationDialogs';
import {GuestBadge} from '../profile/GuestBadge';
import {openProfile} from '../profile/ProfilePopover';
import {searchUsers} from '../store/actions';
import {addChannelMember, canManageChannel, loadChannelMembers, type ChannelMembers} from '../store/channelActions';
import {useAppState} from '../store/state';
import {useMembershipEvents} from './useMembershipEvents';

/** Who is in the channel; those who may manage it add and remove people here, and moderators
 * remove members and guests (never admins or other moderators, which the server refuses too). */
export function MembersPanel({channelId, team}: {channelId: string; team: Team}) {
    const channel = useAppState((state) => state.channels[channelId]);
    const me = useAppState((state) => state.me!);
    const canManage = useAppState((state) => Boolean(channel) && canManageChannel(state, channel));
    const [members, setMembers] = useState<ChannelMembers | null>(null);
    const [adding, setAdding] = useState(false);
    const [error, setError] = useState('');
    const [removing, setRemoving] = useState<ModerationDialog>(null);

    const reload = useCallback(() => {
        loadChannelMembers(channelId).then(setMembers, (failure) => setError(errorMessage(failure)));
    }, [channelId]);

    useEffect(reload, [reload]);
    useMembershipEvents(channelId, reload);

    const run = (work: Promise<unknown>) => work.then(reload, (failure) => setError(errorMessage(failure)));
    const hasMembers = channel && channel.type !== 'D' && channel.type !== 'G' && channel.name !== 'town-square' && channel.delete_at === 0;
    const moderator = isModerator(me.roles);
    const removable = (user: UserProfile) => Boolean(hasMembers) && user.id !== me.id && (canManage || (moderator && !isProtected(user.roles)));

    return (
        <div className='members-panel'>
            {channel?.purpose && (
                <section className='channel-purpose' aria-label={t('members.purpose')}>
                    <h3>{t('members.purpose')}</h3>
                    <div dir='auto'><Markdown text={channel.purpose}/></div>
                </section>
            )}
            {canManage && channel?.type !== 'D' && (
                <button type='button' className='primary add-members' aria-expanded={adding} onClick={() => setAdding(!adding)}>{t('members.add')}</button>
            )}
            {adding && <AddMember teamId={team.id} existing={new Set(members?.users.map((user) => user.id))}
                onAdd={(user) => void run(addChannelMember(channelId, user.id))}/>}
            {error && <p className='form-error' role='alert'>{error}</p>}
            {members === null ? <p className='hint panel-status' role='status'>{t('app.loading')}</p> : (
                <>
                    <p className='hint panel-status'>{t('header.memberCount', {count: members.total})}</p>
                    <ul className='member-list' aria-label={t('members.title')}>
                        {members.users.map((user) => (
                            <li key={user.id} className='member'>
                                <button type='button' className='member-name' onClick={(e) => openProfile(user.id, e.currentTarget)}>
                                    <img className='avatar small' alt='' width={24} height={24} loading='lazy'
                                        src={client.getProfilePictureUrl(user.id, user.last_picture_update ?? 0)}/>
                                    <span>{fullName(user) || user.username}</span>
                                    <span className='hint'>@{user.username}</span>
                                    <GuestBadge user={user}/>
                                </button>
                                {removable(user) && (
                                    <button type='button' className='link-button'
                                        aria-label={t('members.removeNamed', {name: user.username})}
                                        onClick={() => setRemoving({kind: 'removeFromChannel', userId: user.id, name: `@${user.username}`,
                                            placeId: channelId, place: `~${channel?.display_name ?? ''}`})}>{t('members.remove')}</button>
                                )}
                            </li>
                        ))}
                    </ul>
                </>
            )}
            <ModerationDialogView dialog={removing} onClose={() => setRemoving(null)} onDone={reload}/>
        </div>
    );
}

export function fullName(user: UserProfile): string {
    return `${user.first_name ?? ''} ${user.last_name ?? ''}`.trim();
}

function AddMember({teamId, existing, onAdd}: {teamId: string; existing: Set<string>; onAdd: (user: UserProfile) => void}) {
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<UserProfile[]>([]);

    useEffect(() => {
        let current = true;
        const timer = setTimeout(() => {
            searchUsers(term.trim().replace(/^@/, ''), teamId).then((users) => current && setResults(users), () => undefined);
        }, 150);
        return () => {
            current = false;
            clearTimeout(timer);
        };
    }, [term, teamId]);

    const candidates = results.filter((user) => !existing.has(user.id) && user.delete_at === 0);
    return (
        <div className='add-member'>
            <label htmlFor='add-member-search'>{t('members.search')}</label>
            <input id='add-member-search' autoFocus autoComplete='off' value={term} onChange={(e) => setTerm(e.target.value)}/>
            <ul className='user-results'>
                {candidates.map((user) => (
                    <li key={user.id}>
                        <button type='button' onClick={() => onAdd(user)} aria-label={t('members.addNamed', {name: user.username})}>
                            <strong>@{user.username}</strong> {fullName(user)}
                        </button>
                    </li>
                ))}
            </ul>
        </div>
    );
}

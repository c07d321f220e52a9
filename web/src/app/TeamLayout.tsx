import {useEffect, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';

import {client, errorMessage, errorStatus} from '../api/client';
import {ChannelView} from '../channels/ChannelView';
import {NotificationBanner} from '../desktop/NotificationBanner';
import {Sidebar} from '../channels/Sidebar';
import {t} from '../i18n/i18n';
import {openPanel, usePanel} from '../lists/panel';
import {useOpenDialog} from '../posts/interactive';
import {ProfilePopoverHost} from '../profile/ProfilePopover';
import {loadPost, loadTeam, openDirectChannel, resolveChannel} from '../store/actions';
import {loadPostInContext} from '../store/channelActions';
import {channelTitle, teamUnreads} from '../store/channels';
import {showChannel} from '../store/posts';
import {endSession} from '../store/realtime';
import {store, useAppState} from '../store/state';
import {rememberTeam} from '../teams/TeamSelect';
import {loadThreads} from '../store/threadActions';
import {deferred} from './deferred';
import {channelPath, navigate, type Route} from './router';
import {useNarrow} from './useNarrow';

// Not on the first channel's screen: loaded when opened (and prefetched once it has shown).
const ThreadsView = deferred(() => import('../threads/ThreadsView').then((m) => m.ThreadsView), {frame: 'splash'});
const ThreadPanel = deferred(() => import('../threads/ThreadPanel').then((m) => m.ThreadPanel), {frame: 'thread-panel'});
const RightPanel = deferred(() => import('../lists/RightPanel').then((m) => m.RightPanel), {frame: 'thread-panel'});
const InteractiveDialog = deferred(() => import('../posts/InteractiveDialog').then((m) => m.InteractiveDialog));

type TeamRoute = Extract<Route, {team: string}>;

export function TeamLayout({route}: {route: TeamRoute}) {
    const teams = useAppState((state) => state.teams);
    const team = Object.values(teams).find((candidate) => candidate.name === route.team);
    const threadId = useAppState((state) => state.view.threadId);
    const narrow = useNarrow();
    const panel = usePanel();
    const integrationDialog = useOpenDialog() !== null;
    const [channel, setChannel] = useState<Channel | null>(null);
    const [problem, setProblem] = useState('');
    // Routes resolve against the team's channels, so only once those are loaded.
    const [loadedTeamId, setLoadedTeamId] = useState('');

    useEffect(() => {
        if (!team) {
            navigate('/select_team', {replace: true});
            return;
        }
        rememberTeam(team.name);
        store.update((state) => ({...state, view: {...state.view, teamId: team.id}}));
        // The sidebar's Threads entry shows their unread state from the start.
        loadThreads(team.id).catch((error) => errorStatus(error) !== 401 && console.error(error));
        loadTeam(team.id).then(() => setLoadedTeamId(team.id), (error) => {
            if (errorStatus(error) === 401) {
                endSession();
            } else {
                setProblem(errorMessage(error));
            }
        });
    }, [team]);

    useEffect(() => {
        if (!team || loadedTeamId !== team.id) {
            return;
        }
        setProblem('');
        resolveRoute(team.id, route).then((resolved) => {
            setChannel(resolved);
            store.update((state) => showChannel(state, resolved?.id ?? ''));
        }, (error) => setProblem(errorMessage(error)));
        // Only what the route names matters, not the route object's identity.
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [team, loadedTeamId, route.name, 'channel' in route && route.channel, 'username' in route && route.username, 'postId' in route && route.postId]);

    useEffect(() => {
        if (route.name === 'team' && !narrow) {
            navigate(channelPath(route.team, 'town-square'), {replace: true});
        }
    }, [route.name, route.team, narrow]);

    usePageTitle(team?.display_name ?? '', route.name === 'threads' ? null : channel, route.name === 'threads' ? t('threads.title') : '');

    if (!team) {
        return null;
    }
    // On a phone one pane shows: the thread or a list if one is open, else the channel, else the sidebar.
    const side = Boolean(threadId || panel);
    const pane = side ? 'thread' : route.name === 'team' ? 'sidebar' : 'channel';
    return (
        <div className={`layout pane-${pane}${side ? ' with-thread' : ''}`}>
            <Sidebar team={team} currentChannelId={route.name === 'threads' ? '' : channel?.id ?? ''} threadsOpen={route.name === 'threads'}/>
            <main className='main-pane' aria-label={t('layout.main')}>
                <NotificationBanner/>
                {problem ? <p className='form-error' role='alert'>{problem}</p>
                    : route.name === 'threads' ? <ThreadsView team={team}/>
                    : channel ? <ChannelView key={channel.id} channel={channel} team={team}/> : null}
            </main>
            {threadId ? <ThreadPanel rootId={threadId}/> : panel && <RightPanel panel={panel} team={team}/>}
            <ProfilePopoverHost team={team}/>
            {integrationDialog && <InteractiveDialog/>}
        </div>
    );
}

async function resolveRoute(teamId: string, route: TeamRoute): Promise<Channel | null> {
    switch (route.name) {
    case 'channel':
        return resolveChannel(teamId, route.channel);
    case 'direct': {
        const user = await client.getUserByUsername(route.username);
        return openDirectChannel(teamId, user.id);
    }
    case 'permalink': {
        const post = await loadPost(route.postId);
        const state = store.get();
        const channel = state.channels[post.channel_id] ?? await client.getChannel(post.channel_id);
        // The message in place in its channel, highlighted; a reply also opens its thread, since
        // the channel shows only the root of a collapsed thread.
        await loadPostInContext(post);
        store.update((s) => ({...s, highlightPostId: post.id, highlightJumps: s.highlightJumps + 1, view: {...s.view, threadId: post.root_id}}));
        if (!post.root_id && currentPanelHidesChannel()) {
            openPanel(null);
        }
        const team = state.teams[teamId];
        if (channel.type === 'D' || channel.type === 'G') {
            return channel;
        }
        navigate(channelPath(team.name, channel.name), {replace: true});
        return channel;
    }
    default:
        return null;
    }
}

// On a phone the list covers the channel, so jumping from it closes it to show the message.
function currentPanelHidesChannel(): boolean {
    return window.matchMedia('(max-width: 700px)').matches;
}

function usePageTitle(teamName: string, channel: Channel | null, section: string) {
    // A string selector: the layout re-renders only when the title itself changes.
    const title = useAppState((state) => {
        const channelIds = (state.categories[state.view.teamId] ?? []).flatMap((category) => category.channel_ids);
        const {mentions} = teamUnreads(state, channelIds);
        const parts = [channel ? channelTitle(state, channel) : section, teamName].filter(Boolean).join(' - ');
        return `${mentions > 0 ? `(${mentions}) ` : ''}${parts ? `${parts} ` : ''}${state.siteName}`;
    });
    useEffect(() => {
        document.title = title;
    }, [title]);
}

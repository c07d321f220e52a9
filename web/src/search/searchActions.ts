// Searching a team's messages through Mattermost's search route, with the channels and authors
// the results name loaded into the store so the panel can show them.
import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Post, PostSearchResults} from '@mattermost/types/posts';

import {client} from '../api/client';
import {loadUsers} from '../store/actions';
import {store} from '../store/state';

export const PER_PAGE = 20;

export interface SearchPage {
    posts: Post[];
    /** Per post, the words the query matched, as the message spells them. */
    matches: Record<string, string[]>;
    hasNext: boolean;
}

export async function searchPosts(teamId: string, terms: string, isOrSearch: boolean, page: number): Promise<SearchPage> {
    const result = await client.searchPostsWithParams(teamId, {
        terms,
        is_or_search: isOrSearch,
        // Seconds east of UTC, so on:/before:/after: mean the reader's own days.
        time_zone_offset: -new Date().getTimezoneOffset() * 60,
        // Archived channels stay readable here, so their messages are found too.
        include_deleted_channels: true,
        page,
        per_page: PER_PAGE,
    }) as PostSearchResults & {has_next?: boolean};
    const posts = result.order.map((id) => result.posts[id]).filter((post): post is Post => Boolean(post) && post.delete_at === 0);
    const missing = [...new Set(posts.map((post) => post.channel_id))].filter((id) => !store.get().channels[id]);
    const channels = await Promise.all(missing.map((id) => client.getChannel(id).catch(() => null)));
    store.update((state) => ({
        ...state,
        channels: {...state.channels, ...Object.fromEntries(channels.filter((c): c is Channel => c !== null).map((c) => [c.id, c]))},
    }));
    await loadUsers([...new Set(posts.map((post) => post.user_id))]);
    return {posts, matches: result.matches ?? {}, hasNext: Boolean(result.has_next)};
}

// Small builders for posts, channels and members, with Mattermost's field names.
import type {ChannelMembership, ServerChannel} from '@mattermost/types/channels';
import type {Post, PostList} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';

import {initialState, type State} from '../store/state';

let counter = 0;

export function makePost(fields: Partial<Post> = {}): Post {
    counter++;
    const at = fields.create_at ?? 1_700_000_000_000 + counter * 1000;
    return {
        id: `post${String(counter).padStart(22, '0')}`,
        create_at: at,
        update_at: at,
        edit_at: 0,
        delete_at: 0,
        is_pinned: false,
        user_id: 'hamlet',
        channel_id: 'town',
        root_id: '',
        original_id: '',
        message: `message ${counter}`,
        type: '',
        props: {},
        hashtags: '',
        pending_post_id: '',
        reply_count: 0,
        metadata: {embeds: [], emojis: [], files: [], images: {}},
        ...fields,
    } as Post;
}

export function postList(posts: Post[], prev = ''): PostList {
    return {
        order: [...posts].sort((a, b) => b.create_at - a.create_at).map((post) => post.id),
        posts: Object.fromEntries(posts.map((post) => [post.id, post])),
        next_post_id: '',
        prev_post_id: prev,
        first_inaccessible_post_time: 0,
    };
}

export function makeChannel(fields: Partial<ServerChannel> = {}): ServerChannel {
    return {
        id: 'town', name: 'town-square', display_name: 'Town Square', type: 'O', team_id: 'denmark',
        header: '', purpose: '', create_at: 1, update_at: 1, delete_at: 0, last_post_at: 0, last_root_post_at: 0,
        creator_id: '', scheme_id: '', group_constrained: false, total_msg_count: 10, total_msg_count_root: 8,
        ...fields,
    } as ServerChannel;
}

export function makeMember(fields: Partial<ChannelMembership> = {}): ChannelMembership {
    return {
        channel_id: 'town', user_id: 'hamlet', roles: 'channel_user', last_viewed_at: 0, msg_count: 10,
        mention_count: 0, mention_count_root: 0, msg_count_root: 8, urgent_mention_count: 0,
        notify_props: {}, last_update_at: 0, scheme_user: true, scheme_admin: false,
        ...fields,
    } as ChannelMembership;
}

export function stateWith(fields: Partial<State> = {}): State {
    return {
        ...initialState(),
        session: 'signed-in',
        me: {id: 'hamlet', username: 'hamlet'} as UserProfile,
        ...fields,
    };
}

// The rows a message list shows: date separators, the "new messages" line, and posts marked as
// continuations when they follow the same author closely (shown without name and avatar).
import type {Post} from '@mattermost/types/posts';

import {startOfDay} from '../i18n/i18n';

export type Row =
    | {kind: 'date'; key: string; day: number}
    | {kind: 'new-messages'; key: string}
    | {kind: 'post'; key: string; post: Post; continuation: boolean};

const GROUP_WINDOW_MS = 5 * 60 * 1000;

export function isSystemPost(post: Post): boolean {
    return post.type?.startsWith('system_') ?? false;
}

/**
 * `readMark` is the reader's last_viewed_at when they opened the channel; the line goes above
 * the first later post by someone else. 0 or undefined means no line.
 */
export function buildRows(posts: Post[], readMark: number | undefined, myId: string): Row[] {
    const rows: Row[] = [];
    let previous: Post | undefined;
    let lineShown = !readMark;
    for (const post of posts) {
        const day = startOfDay(post.create_at);
        const newDay = !previous || startOfDay(previous.create_at) !== day;
        if (newDay) {
            rows.push({kind: 'date', key: `date-${day}`, day});
        }
        let lineHere = false;
        if (!lineShown && post.create_at > readMark! && post.user_id !== myId) {
            rows.push({kind: 'new-messages', key: 'new-messages'});
            lineShown = true;
            lineHere = true;
        }
        const continuation = Boolean(previous) && !newDay && !lineHere &&
            previous!.user_id === post.user_id &&
            !isSystemPost(previous!) && !isSystemPost(post) &&
            post.create_at - previous!.create_at < GROUP_WINDOW_MS;
        rows.push({kind: 'post', key: post.id, post, continuation});
        previous = post;
    }
    return rows;
}

import {useState, type ReactElement} from 'react';

import type {Post} from '@mattermost/types/posts';

import {deferred} from '../app/deferred';
import {t} from '../i18n/i18n';
import type {MenuItem} from '../posts/PostMenu';
import {useAppState} from '../store/state';
import {isModerator, isProtected} from './api';
import type {ModerationDialog} from './ModerationDialogs';
import './moderation.css';

// Only moderators open it, and seldom: loaded then, not prefetched for everyone.
const ModerationDialogView = deferred(() => import('./ModerationDialogs').then((m) => m.ModerationDialogView), {prefetch: false});

export const REMOVED_PROP = 'removed_by_moderator';

export function isRemovedByModerator(post: Post): boolean {
    return Boolean(post.props?.[REMOVED_PROP]);
}

/** A moderator's items in a post's menu (remove it; warn or mute its author), and the dialog
 * they open. Nothing for anyone else, nor for posts of admins and moderators. */
export function useModeratorPostItems(post: Post): [MenuItem[], ReactElement | null] {
    const moderator = useAppState((state) => isModerator(state.me?.roles));
    const myId = useAppState((state) => state.me?.id ?? '');
    const author = useAppState((state) => state.users[post.user_id]);
    const [dialog, setDialog] = useState<ModerationDialog>(null);
    if (!moderator || post.user_id === myId || isRemovedByModerator(post) || isProtected(author?.roles)) {
        return [[], null];
    }
    const name = author ? `@${author.username}` : '';
    const items: MenuItem[] = [
        {id: 'moderate-remove', label: t('moderation.removePost'), danger: true, run: () => setDialog({kind: 'remove', postId: post.id})},
        {id: 'moderate-warn', label: t('moderation.warnAuthor'), run: () => setDialog({kind: 'warn', userId: post.user_id, name})},
        {id: 'moderate-mute', label: t('moderation.muteAuthor'), run: () => setDialog({kind: 'mute', userId: post.user_id, name})},
    ];
    return [items, dialog && <ModerationDialogView dialog={dialog} onClose={() => setDialog(null)}/>];
}

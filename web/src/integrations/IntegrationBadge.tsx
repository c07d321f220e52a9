import type {Post} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';

import {t} from '../i18n/i18n';
import '../profile/guest.css';

/** A webhook's post: the server marks it, and only then may it carry a name of its own. */
export function isFromWebhook(post: Pick<Post, 'props'>): boolean {
    return post.props?.from_webhook === 'true';
}

/** The name a post is shown under: a webhook's own name (when the server let it give one),
 * else the author's. Either way IntegrationBadge marks it, so it never passes for a person. */
export function postAuthorName(post: Pick<Post, 'props'>, authorName: string): string {
    const override = post.props?.override_username;
    return isFromWebhook(post) && typeof override === 'string' && override ? override : authorName;
}

/** "Webhook" or "Bot" beside the name of a post an integration made. */
export function IntegrationBadge({post, author}: {post: Pick<Post, 'props'>; author: Pick<UserProfile, 'is_bot'> | undefined | null}) {
    if (isFromWebhook(post)) {
        return <span className='guest-badge integration-badge'>{t('integration.webhook')}</span>;
    }
    return author?.is_bot ? <span className='guest-badge integration-badge'>{t('integration.bot')}</span> : null;
}

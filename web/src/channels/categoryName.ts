import type {ChannelCategory} from '@mattermost/types/channel_categories';

import {t} from '../i18n/i18n';

/** A category's name as the sidebar shows it: the built-in ones in the reader's language. */
export function categoryName(category: ChannelCategory): string {
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

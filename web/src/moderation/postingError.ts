import {ClientError} from '@mattermost/client';

import {errorMessage} from '../api/client';
import {formatDateTime, t} from '../i18n/i18n';
import {MUTED_ERROR, READ_ONLY_ERROR} from './api';

/** What the composer says when the server refused a post: a mute or a read-only channel in the
 * reader's language and time zone (the end of a mute comes in the error's detailed_error). */
export async function postingError(failure: unknown): Promise<string> {
    if (!(failure instanceof ClientError)) {
        return errorMessage(failure);
    }
    if (failure.server_error_id === MUTED_ERROR) {
        const until = Number(failure.detailed_error);
        return until > 0 ? t('moderation.mutedUntil', {time: formatDateTime(until)}) : t('moderation.mutedForever');
    }
    if (failure.server_error_id === READ_ONLY_ERROR) {
        return t('moderation.readOnlyChannel');
    }
    return errorMessage(failure);
}

import {useEffect, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';

import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {loadRetentionPolicies, retentionNotice, type RetentionPolicies} from './retention';

/** "Messages here are deleted after 90 days", under the channel's name, when a policy applies. */
export function RetentionNotice({channel}: {channel: Pick<Channel, 'id' | 'team_id'>}) {
    const userId = useAppState((state) => state.me?.id ?? '');
    const [policies, setPolicies] = useState<RetentionPolicies | null>(null);
    useEffect(() => {
        if (!userId) {
            return;
        }
        let current = true;
        loadRetentionPolicies(userId).then((loaded) => current && setPolicies(loaded), () => undefined);
        return () => {
            current = false;
        };
    }, [userId]);
    const notice = policies && retentionNotice(channel, policies);
    if (!notice) {
        return null;
    }
    const text = notice.unit === 'days'
        ? t('header.retentionDays', {count: notice.count})
        : t('header.retentionHours', {count: notice.count});
    return <div className='retention-notice'>{text}</div>;
}

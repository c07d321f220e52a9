import {useEffect, useState} from 'react';

import {deferred} from '../app/deferred';

import {loadRetentionPolicies, type RetentionPolicies} from '../channels/retention';
import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {dismissalKey, expiringPosts, WARNING_DAYS} from './dataExport';
import './account.css';

const SettingsDialog = deferred(() => import('../settings/SettingsDialog').then((m) => m.default));

let asked: {userId: string; count: Promise<number>} | null = null;

/** The count, asked once per session (it changes by the day, not by the minute), and only
 * when some policy deletes messages: the header's policies are loaded anyway. */
function expiringCount(userId: string): Promise<number> {
    if (asked?.userId !== userId) {
        const count = loadRetentionPolicies(userId).then(async (policies) => {
            if (!deletesAnything(policies)) {
                return 0;
            }
            const found = await expiringPosts();
            return found.retention ? found.count : 0;
        });
        asked = {userId, count};
    }
    return asked.count;
}

function deletesAnything(policies: RetentionPolicies): boolean {
    const durations = [...Object.values(policies.teams), ...Object.values(policies.channels)];
    return policies.globalCutoff !== null || durations.some((days) => days > 0);
}

/**
 * Warns before the retention policy deletes the user's own messages: "N of your messages will
 * be deleted in the next 7 days", with the way to export them first. Dismissed for the day.
 */
export function ExpiringPostsBanner() {
    const userId = useAppState((state) => state.me?.id ?? '');
    const [count, setCount] = useState(0);
    const [dismissed, setDismissed] = useState(false);
    const [exporting, setExporting] = useState(false);

    useEffect(() => {
        if (!userId || localStorage.getItem(dismissalKey(userId, Date.now()))) {
            return;
        }
        let current = true;
        expiringCount(userId).then((found) => current && setCount(found), () => undefined);
        return () => {
            current = false;
        };
    }, [userId]);

    if (!count || dismissed) {
        return null;
    }
    function dismiss() {
        localStorage.setItem(dismissalKey(userId, Date.now()), '1');
        setDismissed(true);
    }
    return (
        <div className='expiring-banner' role='note'>
            <span>{t('data.expiringWarning', {count, days: WARNING_DAYS})}</span>
            <button type='button' className='link-button' onClick={() => setExporting(true)}>{t('data.exportFirst')}</button>
            <button type='button' className='icon-button' aria-label={t('data.dismiss')} onClick={dismiss}>×</button>
            {exporting && (
                <SettingsDialog initialTab='data' onClose={() => setExporting(false)}/>
            )}
        </div>
    );
}

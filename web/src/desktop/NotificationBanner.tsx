import {useState} from 'react';

import {t} from '../i18n/i18n';
import {subscribeToWebPush} from '../pwa/webpush';
import {inDesktopApp} from './desktopApi';

const DISMISSED = 'villagepump.notificationsDismissed';

function permission(): NotificationPermission | 'unsupported' {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

function dismissedBefore(): boolean {
    try {
        return window.localStorage.getItem(DISMISSED) === '1';
    } catch {
        return false;
    }
}

/**
 * In a plain browser, asks once whether to notify of mentions and direct messages. Browsers
 * grant the permission only from a user's gesture, so the request waits for the button. The
 * desktop app asks on its own.
 */
export function NotificationBanner() {
    const [state, setState] = useState(() => (inDesktopApp() || dismissedBefore() ? 'hidden' : permission()));
    if (state !== 'default') {
        return null;
    }
    const dismiss = () => {
        try {
            window.localStorage.setItem(DISMISSED, '1');
        } catch {
            // Private mode: the banner comes back next time, which is no harm.
        }
        setState('hidden');
    };
    const enable = () => {
        void Notification.requestPermission().then((answer) => {
            setState(answer === 'default' ? 'hidden' : answer);
            if (answer === 'granted') {
                // With the tab closed too: the browser's push service wakes the app's worker.
                void subscribeToWebPush().catch((error) => console.warn('web push', error));
            }
        });
    };
    return (
        <div className='notification-banner' role='region' aria-label={t('notifications.label')}>
            <p>{t('notifications.ask')}</p>
            <button type='button' className='primary' onClick={enable}>{t('notifications.enable')}</button>
            <button type='button' onClick={dismiss}>{t('notifications.dismiss')}</button>
        </div>
    );
}

import {useEffect, useState} from 'react';

import type {WebSocketMessage} from '@mattermost/client';

import {socket, type DataExport} from '../api/client';
import {formatDateTime, t} from '../i18n/i18n';
import {settingsError} from '../settings/errors';
import {EXPORT_UPDATED, exportState, formatSize, myDataExport, requestMyDataExport} from './dataExport';
import './account.css';

const POLL_MS = 5000;

/**
 * "Your data": ask for a zip of everything you posted and uploaded, see how it is going, and
 * download it while the link is valid. The socket says when the job is done; a slow poll
 * covers a socket that was away at that moment.
 */
export function YourDataSection() {
    const [latest, setLatest] = useState<DataExport | null>(null);
    const [loaded, setLoaded] = useState(false);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const state = exportState(latest, Date.now());

    useEffect(() => {
        myDataExport().then((found) => {
            setLatest(found);
            setLoaded(true);
        }, (failure) => setError(settingsError(failure)));
        const listener = (message: WebSocketMessage) => {
            // Our own event, which Mattermost's list of event names does not know.
            if ((message.event as string) === EXPORT_UPDATED) {
                setLatest((message as {data: {export: DataExport}}).data.export);
            }
        };
        socket.addMessageListener(listener);
        return () => socket.removeMessageListener(listener);
    }, []);

    useEffect(() => {
        if (state !== 'working') {
            return;
        }
        const timer = window.setInterval(() => {
            myDataExport().then(setLatest, () => undefined);
        }, POLL_MS);
        return () => window.clearInterval(timer);
    }, [state]);

    async function request() {
        setBusy(true);
        setError('');
        try {
            setLatest(await requestMyDataExport());
        } catch (failure) {
            setError(settingsError(failure));
        } finally {
            setBusy(false);
        }
    }

    return (
        <section className='settings-section' aria-labelledby='settings-data-title'>
            <h3 id='settings-data-title'>{t('data.title')}</h3>
            <p className='hint'>{t('data.hint')}</p>
            {!loaded && !error && <p className='hint' role='status'>{t('app.loading')}</p>}
            <p role='status' className='data-export-status'>
                {state === 'working' && t('data.working')}
                {state === 'expired' && t('data.expired')}
                {state === 'failed' && t('data.failed')}
            </p>
            {state === 'ready' && latest && (
                <p>
                    <a className='button-link' href={latest.download_url} download>
                        {t('data.download', {size: formatSize(latest.size)})}
                    </a>
                    <span className='hint'> {t('data.until', {time: formatDateTime(latest.expire_at)})}</span>
                </p>
            )}
            {loaded && state !== 'working' && (
                <button type='button' disabled={busy} onClick={() => void request()}>
                    {state === 'none' ? t('data.request') : t('data.requestAgain')}
                </button>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </section>
    );
}

import {useEffect, useState} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {client, errorMessage, type DataExport} from '../api/client';
import {exportState, formatSize} from '../account/dataExport';
import {formatDateTime, t} from '../i18n/i18n';

const POLL_MS = 5000;

/** An admin's part of the personal data rules (decision 0039): an export of a user's data,
 * which is the admin's to download, and erasing the user for good, which the server allows only
 * with ServiceSettings.EnableAPIUserDeletion and which asks for the username to be typed. */
export function PersonalDataPanel({user, onErased}: {user: UserProfile; onErased: () => void}) {
    const [latest, setLatest] = useState<DataExport | null>(null);
    const [confirm, setConfirm] = useState('');
    const [error, setError] = useState('');
    const [erased, setErased] = useState(false);
    const state = exportState(latest, Date.now());

    useEffect(() => {
        client.getDataExport(user.id).then(setLatest, () => setLatest(null));
    }, [user.id]);

    useEffect(() => {
        if (state !== 'working') {
            return;
        }
        const timer = window.setInterval(() => {
            client.getDataExport(user.id).then(setLatest, () => undefined);
        }, POLL_MS);
        return () => window.clearInterval(timer);
    }, [state, user.id]);

    function requestExport() {
        setError('');
        client.requestDataExport(user.id).then(setLatest, (failure: unknown) => setError(errorMessage(failure)));
    }

    function erase() {
        setError('');
        client.eraseUser(user.id).then(() => { setErased(true); onErased(); }, (failure: unknown) => setError(errorMessage(failure)));
    }

    return (
        <div className='console-personal-data'>
            <h4>{t('console.users.data')}</h4>
            <div className='console-actions'>
                <button type='button' disabled={state === 'working'} onClick={requestExport}>{t('console.users.exportData')}</button>
                {state === 'working' && <span role='status'>{t('console.users.exportWorking')}</span>}
                {state === 'ready' && latest && (
                    <a href={latest.download_url} download>
                        {t('console.users.exportDownload', {size: formatSize(latest.size), time: formatDateTime(latest.expire_at)})}
                    </a>
                )}
                {state === 'failed' && <span className='form-error'>{t('console.users.exportFailed')}</span>}
            </div>
            {erased ? <p role='status'>{t('console.users.erased')}</p> : (
                <div className='console-actions'>
                    <label>
                        {t('console.users.eraseConfirm', {username: user.username})}
                        <input value={confirm} onChange={(event) => setConfirm(event.target.value)} autoComplete='off'/>
                    </label>
                    <button type='button' className='danger' disabled={confirm !== user.username} onClick={erase}>{t('console.users.erase')}</button>
                </div>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </div>
    );
}

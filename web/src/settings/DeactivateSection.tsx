import {useEffect, useState} from 'react';

import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {logout} from '../store/actions';
import {stopRealtime} from '../store/realtime';
import {settingsError} from './errors';
import {deactivateMe, selfDeactivationAllowed} from './sessions';

/** Deactivating one's own account, where the server allows it, after a confirmation. */
export function DeactivateSection() {
    const [allowed, setAllowed] = useState(false);
    const [confirming, setConfirming] = useState(false);
    const [error, setError] = useState('');

    useEffect(() => {
        selfDeactivationAllowed().then(setAllowed, () => setAllowed(false));
    }, []);

    if (!allowed) {
        return null;
    }

    async function deactivate() {
        setError('');
        try {
            await deactivateMe();
        } catch (failure) {
            setError(settingsError(failure));
            return;
        }
        stopRealtime();
        await logout();
        navigate('/login');
    }

    return (
        <section className='settings-section' aria-labelledby='settings-deactivate-title'>
            <h3 id='settings-deactivate-title'>{t('deactivate.title')}</h3>
            <p className='hint'>{t('deactivate.hint')}</p>
            {!confirming && <button type='button' className='danger' onClick={() => setConfirming(true)}>{t('deactivate.button')}</button>}
            {confirming && (
                <div role='alertdialog' aria-labelledby='settings-deactivate-confirm' className='settings-confirm'>
                    <p id='settings-deactivate-confirm'>{t('deactivate.confirm')}</p>
                    <button type='button' onClick={() => setConfirming(false)}>{t('dialog.cancel')}</button>
                    <button type='button' className='danger' onClick={() => void deactivate()}>{t('deactivate.confirmButton')}</button>
                </div>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </section>
    );
}

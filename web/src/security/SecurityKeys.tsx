import {useState, type FormEvent} from 'react';

import {errorMessage, type SecurityKey} from '../api/client';
import {formatDateTime, t} from '../i18n/i18n';
import {ActionList, useListActions} from '../settings/ActionList';
import {refreshMe} from './actions';
import {RecoveryCodes} from './TwoFactor';
import {addKey, isSupported, listKeys, removeKey} from './webauthn';

/** Security keys and passkeys: each with its name, when it was added and last used; add one
 * (the browser asks for the key), or remove one with the current password. */
export function SecurityKeys({onEnrolled}: {onEnrolled?: () => void}) {
    const {items: keys, busy, error, setError, act} = useListActions(listKeys, describeFailure, refreshMe);
    const [name, setName] = useState('');
    const [codes, setCodes] = useState<string[] | null>(null);
    const [removing, setRemoving] = useState<SecurityKey | null>(null);
    const [password, setPassword] = useState('');

    function add(event: FormEvent) {
        event.preventDefault();
        void act(async () => {
            const recovery = await addKey(name.trim());
            setName('');
            if (recovery.length > 0) {
                setCodes(recovery);
            }
        });
    }

    function remove(event: FormEvent) {
        event.preventDefault();
        const key = removing;
        if (!key) {
            return;
        }
        void act(async () => {
            await removeKey(key.id, {password});
            setRemoving(null);
            setPassword('');
        });
    }

    if (codes) {
        return <RecoveryCodes codes={codes} onDone={() => { setCodes(null); onEnrolled?.(); }}/>;
    }
    return (
        <section className='mfa-settings' aria-labelledby='keys-title'>
            <h3 id='keys-title'>{t('keys.title')}</h3>
            <p className='hint'>{t('keys.intro')}</p>
            {keys && keys.length > 0 && (
                <ActionList label={t('keys.title')} className='key-list' itemClassName='key' busy={busy}
                    items={keys.map((key) => ({
                        id: key.id,
                        name: key.name,
                        detail: <>
                            {t('keys.added', {time: formatDateTime(key.create_at)})}
                            {' · '}
                            {key.last_used_at ? t('keys.lastUsed', {time: formatDateTime(key.last_used_at)}) : t('keys.neverUsed')}
                        </>,
                        action: {
                            text: t('keys.remove'),
                            label: t('keys.removeNamed', {name: key.name}),
                            onClick: () => { setRemoving(key); setPassword(''); setError(''); },
                        },
                    }))}/>
            )}
            {removing && (
                <form className='form' onSubmit={remove} aria-label={t('keys.removeNamed', {name: removing.name})}>
                    <label htmlFor='key-remove-password'>{t('keys.password')}</label>
                    <input id='key-remove-password' type='password' autoComplete='current-password' required
                        value={password} onChange={(e) => setPassword(e.target.value)}/>
                    <div className='mfa-actions'>
                        <button type='submit' className='danger' disabled={busy}>{t('keys.removeNamed', {name: removing.name})}</button>
                        <button type='button' onClick={() => setRemoving(null)}>{t('keys.cancel')}</button>
                    </div>
                </form>
            )}
            {isSupported() ? (
                <form className='form' onSubmit={add}>
                    <label htmlFor='key-name'>{t('keys.name')}</label>
                    <input id='key-name' required maxLength={64} value={name} onChange={(e) => setName(e.target.value)}/>
                    <button type='submit' disabled={busy}>{t('keys.add')}</button>
                </form>
            ) : <p className='hint'>{t('keys.unsupported')}</p>}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </section>
    );
}

function describeFailure(failure: unknown): string {
    // The browser's own refusal (the person closed its dialog, or the key timed out).
    return failure instanceof DOMException ? t('keys.cancelled') : errorMessage(failure);
}

import {useState, type FormEvent} from 'react';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {activate, deactivate, finishEnrolment, generateSecret, newRecoveryCodes, type Secret} from './actions';
import './security.css';

/** The ten recovery codes, shown once, with a way to keep them. */
export function RecoveryCodes({codes, onDone}: {codes: string[]; onDone: () => void}) {
    const [copied, setCopied] = useState(false);
    const text = codes.join('\n') + '\n';
    const download = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
    return (
        <section className='mfa-codes' aria-labelledby='mfa-codes-title'>
            <h3 id='mfa-codes-title'>{t('mfa.recoveryCodes')}</h3>
            <p className='hint'>{t('mfa.recoveryHint')}</p>
            <ul className='mfa-code-list' aria-label={t('mfa.recoveryCodes')}>
                {codes.map((code) => <li key={code}><code>{code}</code></li>)}
            </ul>
            <div className='mfa-actions'>
                <button type='button' onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
                    {copied ? t('mfa.copied') : t('mfa.copy')}
                </button>
                <a className='button' href={download} download='recovery-codes.txt'>{t('mfa.download')}</a>
                <button type='button' className='primary' onClick={onDone}>{t('mfa.done')}</button>
            </div>
        </section>
    );
}

/** Enrolment: a new secret as a QR code and as text, a code to confirm, then the codes. */
export function Enrol({onDone}: {onDone: () => void}) {
    const [secret, setSecret] = useState<Secret | null>(null);
    const [code, setCode] = useState('');
    const [codes, setCodes] = useState<string[] | null>(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function attempt(work: () => Promise<void>) {
        setBusy(true);
        setError('');
        try {
            await work();
        } catch (failure) {
            setError(errorMessage(failure));
        }
        setBusy(false);
    }

    if (codes) {
        return <RecoveryCodes codes={codes} onDone={() => { finishEnrolment(); onDone(); }}/>;
    }
    if (!secret) {
        return (
            <div>
                <p>{t('mfa.intro')}</p>
                {error && <p className='form-error' role='alert'>{error}</p>}
                <button type='button' className='primary' disabled={busy}
                    onClick={() => void attempt(async () => setSecret(await generateSecret()))}>{t('mfa.start')}</button>
            </div>
        );
    }
    function submit(event: FormEvent) {
        event.preventDefault();
        void attempt(async () => setCodes(await activate(code.trim())));
    }
    return (
        <form className='form mfa-enrol' onSubmit={submit}>
            <p>{t('mfa.scan')}</p>
            <img className='mfa-qr' src={`data:image/png;base64,${secret.qr_code}`} alt={t('mfa.qr')} width={200} height={200}/>
            <p>{t('mfa.secret')}: <code className='mfa-secret' data-testid='mfa-secret'>{secret.secret}</code></p>
            <label htmlFor='mfa-code'>{t('mfa.code')}</label>
            <input id='mfa-code' inputMode='numeric' autoComplete='one-time-code' required value={code} onChange={(e) => setCode(e.target.value)}/>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <button type='submit' className='primary' disabled={busy}>{t('mfa.activate')}</button>
        </form>
    );
}

/** The settings' two-factor section: turn it on, off, or get new recovery codes. */
export function TwoFactorSettings() {
    const active = useAppState((state) => Boolean((state.me as {mfa_active?: boolean} | null)?.mfa_active));
    const [code, setCode] = useState('');
    const [codes, setCodes] = useState<string[] | null>(null);
    const [error, setError] = useState('');

    async function attempt(work: () => Promise<void>) {
        setError('');
        try {
            await work();
        } catch (failure) {
            setError(errorMessage(failure));
        }
    }

    if (codes) {
        return <RecoveryCodes codes={codes} onDone={() => setCodes(null)}/>;
    }
    return (
        <section className='mfa-settings' aria-labelledby='mfa-title'>
            <h3 id='mfa-title'>{t('mfa.title')}</h3>
            {!active && <><p>{t('mfa.isOff')}</p><Enrol onDone={() => undefined}/></>}
            {active && (
                <>
                    <p>{t('mfa.isOn')}</p>
                    <form className='form' onSubmit={(e) => { e.preventDefault(); void attempt(async () => { setCodes(await newRecoveryCodes(code.trim())); setCode(''); }); }}>
                        <label htmlFor='mfa-regenerate-code'>{t('mfa.code')}</label>
                        <input id='mfa-regenerate-code' inputMode='numeric' autoComplete='one-time-code' required value={code} onChange={(e) => setCode(e.target.value)}/>
                        <button type='submit'>{t('mfa.newCodes')}</button>
                    </form>
                    <button type='button' className='danger' onClick={() => void attempt(deactivate)}>{t('mfa.deactivate')}</button>
                </>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </section>
    );
}

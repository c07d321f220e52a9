import {useState} from 'react';

import {t} from '../i18n/i18n';
import {Markdown} from '../markdown/Markdown';
import {answerTerms} from '../store/actions';
import {useAppState} from '../store/state';
import './terms.css';

/** Shown instead of the app until the user answers the terms of service the server requires. */
export function TermsScreen() {
    const terms = useAppState((state) => state.terms);
    const siteName = useAppState((state) => state.siteName);
    const [busy, setBusy] = useState(false);
    const [failed, setFailed] = useState(false);

    async function answer(accepted: boolean) {
        if (!terms) {
            return;
        }
        setBusy(true);
        setFailed(false);
        try {
            await answerTerms(terms.id, accepted);
        } catch {
            setFailed(true);
        } finally {
            setBusy(false);
        }
    }

    return (
        <main className='centered-page terms-page'>
            <div className='form terms-form'>
                <h1>{t('terms.title')}</h1>
                <p>{t('terms.intro', {site: siteName})}</p>
                <section className='terms-text' aria-label={t('terms.title')} tabIndex={0}>
                    <Markdown text={terms?.text ?? ''}/>
                </section>
                {failed && <p className='error' role='alert'>{t('terms.failed')}</p>}
                <button type='button' className='primary' disabled={busy || !terms} onClick={() => void answer(true)}>
                    {t('terms.accept')}
                </button>
                <button type='button' disabled={busy || !terms} onClick={() => void answer(false)}>
                    {t('terms.decline')}
                </button>
            </div>
        </main>
    );
}

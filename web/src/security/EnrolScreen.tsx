import {t} from '../i18n/i18n';
import {logout, signedIn} from '../store/actions';
import {store} from '../store/state';
import {SecurityKeys} from './SecurityKeys';
import {Enrol} from './TwoFactor';

/** Shown instead of the app while the server requires two-factor authentication of this user. */
export function EnrolScreen() {
    async function done() {
        const me = store.get().me;
        if (me) {
            await signedIn(me);
        }
    }
    return (
        <main className='centered-page'>
            <div className='form'>
                <h1>{t('mfa.enrolTitle')}</h1>
                <p className='notice' role='status'>{t('mfa.enforced')}</p>
                <Enrol onDone={() => void done()}/>
                <SecurityKeys onEnrolled={() => void done()}/>
                <button type='button' onClick={() => void logout()}>{t('mfa.signOut')}</button>
            </div>
        </main>
    );
}

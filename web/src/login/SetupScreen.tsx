import {useState} from 'react';

import {useFormSubmit} from '../account/formSubmit';
import {client} from '../api/client';
import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {login} from '../store/actions';

/** The one-time link the server prints when it has no users yet: it makes the first admin. */
export function SetupScreen({token}: {token: string}) {
    const [username, setUsername] = useState('');
    const [email, setEmail] = useState('');
    const [password, setPassword] = useState('');
    const {submit, busy, error} = useFormSubmit(async () => {
        const user = {username: username.trim().toLowerCase(), email: email.trim(), password};
        await client.createFirstAdmin(token, user);
        await login(user.username, password);
        navigate('/', {replace: true});
    }, {leavesPage: true});

    return (
        <main className='centered-page'>
            <form className='form' onSubmit={submit} aria-labelledby='setup-title'>
                <h1 id='setup-title'>{t('setup.title')}</h1>
                <p>{t('setup.intro')}</p>
                <label htmlFor='setup-username'>{t('setup.username')}</label>
                <input id='setup-username' autoComplete='username' required value={username} onChange={(e) => setUsername(e.target.value)}/>
                <label htmlFor='setup-email'>{t('setup.email')}</label>
                <input id='setup-email' type='email' autoComplete='email' required value={email} onChange={(e) => setEmail(e.target.value)}/>
                <label htmlFor='setup-password'>{t('setup.password')}</label>
                <input id='setup-password' type='password' minLength={8} autoComplete='new-password' required
                    value={password} onChange={(e) => setPassword(e.target.value)}/>
                {error && <p className='form-error' role='alert'>{error}</p>}
                <button type='submit' className='primary' disabled={busy}>{t('setup.submit')}</button>
            </form>
        </main>
    );
}

import {useState, type FormEvent} from 'react';

import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {channelPath, navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {createChannel, urlNameFor} from '../store/channelActions';

function randomUrlName(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(13));
    return [...bytes].map((byte) => byte.toString(36).padStart(2, '0').slice(-2)).join('');
}

/** A new public or private channel: the URL name follows the display name until edited. */
export function CreateChannel({team, onClose}: {team: Team; onClose: () => void}) {
    const [displayName, setDisplayName] = useState('');
    const [name, setName] = useState('');
    const [nameEdited, setNameEdited] = useState(false);
    const [purpose, setPurpose] = useState('');
    const [isPrivate, setPrivate] = useState(false);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    // A name in a script with no Latin letters (Arabic, Japanese, ...) gets a random URL name,
    // as in Mattermost; the reader can still type their own.
    const [fallbackName] = useState(randomUrlName);
    const urlName = nameEdited ? name : urlNameFor(displayName) || (displayName.trim() ? fallbackName : '');

    async function submit(event: FormEvent) {
        event.preventDefault();
        if (!displayName.trim()) {
            setError(t('createChannel.nameRequired'));
            return;
        }
        if (!urlName) {
            setError(t('createChannel.urlRequired'));
            return;
        }
        setBusy(true);
        setError('');
        try {
            const channel = await createChannel(team.id, {displayName, name: urlName, purpose, private: isPrivate});
            onClose();
            navigate(channelPath(team.name, channel.name));
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    return (
        <Dialog title={t('createChannel.title')} onClose={onClose}>
            <form onSubmit={(e) => void submit(e)} noValidate>
                <label htmlFor='new-channel-name'>{t('createChannel.displayName')}</label>
                <input id='new-channel-name' autoFocus autoComplete='off' maxLength={64} value={displayName}
                    onChange={(e) => setDisplayName(e.target.value)}/>
                <label htmlFor='new-channel-url'>{t('createChannel.url')}</label>
                <input id='new-channel-url' autoComplete='off' maxLength={64} value={urlName} dir='ltr'
                    aria-describedby='new-channel-url-hint'
                    onChange={(e) => {
                        setNameEdited(true);
                        setName(e.target.value.toLowerCase());
                    }}/>
                <p className='hint' id='new-channel-url-hint'>{`/${team.name}/channels/${urlName}`}</p>
                <label htmlFor='new-channel-purpose'>{t('createChannel.purpose')}</label>
                <textarea id='new-channel-purpose' maxLength={250} value={purpose} onChange={(e) => setPurpose(e.target.value)}/>
                <fieldset className='choice'>
                    <legend>{t('createChannel.privacy')}</legend>
                    <label><input type='radio' name='privacy' checked={!isPrivate} onChange={() => setPrivate(false)}/> {t('createChannel.public')}</label>
                    <label><input type='radio' name='privacy' checked={isPrivate} onChange={() => setPrivate(true)}/> {t('createChannel.private')}</label>
                </fieldset>
                {error && <p className='form-error' role='alert'>{error}</p>}
                <div className='dialog-buttons'>
                    <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                    <button type='submit' className='primary' disabled={busy}>{t('createChannel.submit')}</button>
                </div>
            </form>
        </Dialog>
    );
}

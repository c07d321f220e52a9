import {useEffect, useRef, useState, type FormEvent} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {openGroupChannel, searchUsers} from '../store/actions';
import {useAppState} from '../store/state';
import {Dialog} from '../posts/Dialog';

/** The most people a group message takes besides oneself: Mattermost's groups have 3 to 8 members. */
export const MAX_OTHERS = 7;

/** Find people by name, as in Mattermost: one of them opens the direct channel with them, two or
 * more a group message with them all. */
export function NewDirectMessage({team, onClose}: {team: Team; onClose: () => void}) {
    const me = useAppState((state) => state.me);
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<UserProfile[]>([]);
    const [chosen, setChosen] = useState<UserProfile[]>([]);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const search = useRef<HTMLInputElement>(null);

    useEffect(() => {
        let current = true;
        const timer = setTimeout(() => {
            searchUsers(term.trim().replace(/^@/, ''), team.id).then(
                (users) => current && setResults(users.filter((user) => user.id !== me?.id && user.delete_at === 0)),
                (failure) => current && setError(errorMessage(failure)),
            );
        }, 150);
        return () => {
            current = false;
            clearTimeout(timer);
        };
    }, [term, team.id, me?.id]);

    const full = chosen.length >= MAX_OTHERS;
    const choose = (user: UserProfile) => {
        if (!full) {
            setChosen([...chosen, user]);
            setTerm('');
            // The button clicked leaves the list: the search field is where the next name goes.
            search.current?.focus();
        }
    };

    async function go(event: FormEvent) {
        event.preventDefault();
        if (chosen.length === 0) {
            return;
        }
        if (chosen.length === 1) {
            onClose();
            navigate(`/${team.name}/messages/@${chosen[0].username}`);
            return;
        }
        setBusy(true);
        try {
            const channel = await openGroupChannel(team.id, chosen.map((user) => user.id));
            onClose();
            navigate(`/${team.name}/messages/${channel.name}`);
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    const chosenIds = new Set(chosen.map((user) => user.id));
    const shown = results.filter((user) => !chosenIds.has(user.id));
    return (
        <Dialog title={t('direct.title')} onClose={onClose}>
            <form onSubmit={(e) => void go(e)}>
                {chosen.length > 0 && (
                    <ul className='chosen-people' aria-label={t('direct.chosen')}>
                        {chosen.map((user) => (
                            <li key={user.id} className='chosen-person'>
                                <span>@{user.username}</span>
                                <button type='button' className='icon-button' aria-label={t('direct.remove', {name: user.username})}
                                    onClick={() => setChosen(chosen.filter((other) => other.id !== user.id))}>×</button>
                            </li>
                        ))}
                    </ul>
                )}
                <label htmlFor='direct-search'>{t('direct.search')}</label>
                <input id='direct-search' ref={search} autoFocus autoComplete='off' value={term} disabled={full} onChange={(e) => setTerm(e.target.value)}/>
                <p className='hint'>{full ? t('direct.full', {count: MAX_OTHERS}) : t('direct.hint')}</p>
                {error && <p className='form-error' role='alert'>{error}</p>}
                {!full && (
                    <ul className='user-results'>
                        {shown.map((user) => (
                            <li key={user.id}>
                                <button type='button' onClick={() => choose(user)}>
                                    <strong>@{user.username}</strong>
                                    {(user.first_name || user.last_name) && <span> {`${user.first_name} ${user.last_name}`.trim()}</span>}
                                </button>
                            </li>
                        ))}
                    </ul>
                )}
                {!full && shown.length === 0 && term && <p className='hint'>{t('direct.none')}</p>}
                <div className='dialog-buttons'>
                    <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                    <button type='submit' className='primary' disabled={chosen.length === 0 || busy}>
                        {chosen.length > 1 ? t('direct.startGroup') : t('direct.start')}
                    </button>
                </div>
            </form>
        </Dialog>
    );
}

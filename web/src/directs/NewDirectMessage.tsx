import {useEffect, useState} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {searchUsers} from '../store/actions';
import {useAppState} from '../store/state';
import {Dialog} from '../posts/Dialog';

/** Find someone by name and open the direct channel with them. */
export function NewDirectMessage({team, onClose}: {team: Team; onClose: () => void}) {
    const me = useAppState((state) => state.me);
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<UserProfile[]>([]);
    const [error, setError] = useState('');

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

    function choose(user: UserProfile) {
        onClose();
        navigate(`/${team.name}/messages/@${user.username}`);
    }

    return (
        <Dialog title={t('direct.title')} onClose={onClose}>
            <label htmlFor='direct-search'>{t('direct.search')}</label>
            <input id='direct-search' autoFocus autoComplete='off' value={term} onChange={(e) => setTerm(e.target.value)}/>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <ul className='user-results'>
                {results.map((user) => (
                    <li key={user.id}>
                        <button type='button' onClick={() => choose(user)}>
                            <strong>@{user.username}</strong>
                            {(user.first_name || user.last_name) && <span> {`${user.first_name} ${user.last_name}`.trim()}</span>}
                        </button>
                    </li>
                ))}
            </ul>
            {results.length === 0 && term && <p className='hint'>{t('direct.none')}</p>}
        </Dialog>
    );
}

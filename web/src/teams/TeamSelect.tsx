import {useEffect, useState, type FormEvent} from 'react';

import {errorMessage} from '../api/client';
import {channelPath, followLink, navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {createTeam, logout} from '../store/actions';
import {useAppState} from '../store/state';

const LAST_TEAM = 'villagepump.lastTeam';

export function rememberTeam(name: string): void {
    localStorage.setItem(LAST_TEAM, name);
}

/** A team URL name from its display name: lowercase letters, digits and dashes. */
export function teamNameFrom(displayName: string): string {
    return displayName.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
        .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

export function TeamSelect({automatic}: {automatic: boolean}) {
    const teams = useAppState((state) => state.teams);
    const list = Object.values(teams).sort((a, b) => a.display_name.localeCompare(b.display_name));

    useEffect(() => {
        if (!automatic || list.length === 0) {
            return;
        }
        const last = localStorage.getItem(LAST_TEAM);
        const team = list.find((candidate) => candidate.name === last) ?? list[0];
        navigate(channelPath(team.name, 'town-square'), {replace: true});
    }, [automatic, list]);

    return (
        <main className='centered-page'>
            <h1>{t('teams.title')}</h1>
            {list.length > 0 ? (
                <ul className='team-list'>
                    {list.map((team) => (
                        <li key={team.id}>
                            <a href={channelPath(team.name, 'town-square')} onClick={followLink}>{team.display_name}</a>
                        </li>
                    ))}
                </ul>
            ) : <p>{t('teams.none')}</p>}
            <CreateTeamForm/>
            <p><button type='button' className='link-button' onClick={() => void logout()}>{t('sidebar.logout')}</button></p>
        </main>
    );
}

function CreateTeamForm() {
    const [displayName, setDisplayName] = useState('');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const name = teamNameFrom(displayName);

    async function submit(event: FormEvent) {
        event.preventDefault();
        setBusy(true);
        setError('');
        try {
            const team = await createTeam(name, displayName.trim());
            navigate(channelPath(team.name, 'town-square'));
        } catch (failure) {
            setError(errorMessage(failure));
            setBusy(false);
        }
    }

    return (
        <form className='form' onSubmit={submit} aria-labelledby='create-team-title'>
            <h2 id='create-team-title'>{t('teams.create')}</h2>
            <label htmlFor='team-display-name'>{t('teams.displayName')}</label>
            <input id='team-display-name' required maxLength={64} value={displayName} onChange={(e) => setDisplayName(e.target.value)}/>
            {name && <p className='hint'>{t('teams.url', {url: `${window.location.host}/${name}`})}</p>}
            {error && <p className='form-error' role='alert'>{error}</p>}
            <button type='submit' className='primary' disabled={busy || name.length < 2}>{t('teams.createSubmit')}</button>
        </form>
    );
}

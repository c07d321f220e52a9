import {useEffect, useId, useMemo, useState, type KeyboardEvent} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {navigate} from '../app/router';
import {channelHref} from '../channels/links';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {searchUsers} from '../store/actions';
import {store, useAppState} from '../store/state';
import {switcherCandidates} from './candidates';
import {rankCandidates, type Candidate} from './rank';

/**
 * Ctrl/Cmd+K: type a few letters of a channel or a person, arrows to choose, Enter to go.
 * It opens on what the store already holds; people are asked of the server as one types.
 */
export function ChannelSwitcher({team, onClose}: {team: Team; onClose: () => void}) {
    const listId = useId();
    const [term, setTerm] = useState('');
    const [people, setPeople] = useState<UserProfile[]>([]);
    const [active, setActive] = useState(0);
    const channels = useAppState((state) => state.channels);
    const members = useAppState((state) => state.members);
    const users = useAppState((state) => state.users);

    useEffect(() => {
        const wanted = term.trim().replace(/^@/, '');
        if (!wanted) {
            setPeople([]);
            return;
        }
        let current = true;
        const timer = setTimeout(() => {
            searchUsers(wanted, team.id).then((found) => current && setPeople(found), () => undefined);
        }, 120);
        return () => {
            current = false;
            clearTimeout(timer);
        };
    }, [term, team.id]);

    const results = useMemo(() => {
        const state = store.get();
        const known = term.trim() ? [...people, ...Object.values(users)] : [];
        return rankCandidates(term.replace(/^[@~#]/, ''), switcherCandidates(state, team.id, known), 15);
        // The store's channels, members and users are what the candidates are made of.
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [term, people, channels, members, users, team.id]);

    useEffect(() => setActive(0), [term]);

    function choose(candidate: Candidate | undefined) {
        if (!candidate) {
            return;
        }
        onClose();
        if (candidate.kind === 'user') {
            navigate(`/${team.name}/messages/@${candidate.title}`);
        } else {
            navigate(channelHref(store.get(), team, candidate.id));
        }
    }

    function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
        if (event.key === 'ArrowDown' || (event.key === 'Tab' && !event.shiftKey && results.length > 0)) {
            event.preventDefault();
            setActive((active + 1) % Math.max(1, results.length));
        } else if (event.key === 'ArrowUp' || (event.key === 'Tab' && event.shiftKey && results.length > 0)) {
            event.preventDefault();
            setActive((active - 1 + results.length) % Math.max(1, results.length));
        } else if (event.key === 'Enter') {
            event.preventDefault();
            choose(results[active]);
        }
    }

    const optionId = (index: number) => `${listId}-${index}`;
    return (
        <Dialog title={t('switcher.title')} onClose={onClose}>
            <input className='switcher-input' autoFocus autoComplete='off' role='combobox' aria-expanded='true'
                aria-label={t('switcher.search')} placeholder={t('switcher.search')} aria-controls={listId}
                aria-activedescendant={results[active] ? optionId(active) : undefined}
                value={term} onChange={(e) => setTerm(e.target.value)} onKeyDown={onKeyDown}/>
            <ul className='switcher-results' role='listbox' id={listId} aria-label={t('switcher.results')}>
                {results.map((candidate, index) => (
                    <li key={`${candidate.kind}:${candidate.id}`} id={optionId(index)} role='option' aria-selected={index === active}
                        className={['switcher-result', index === active ? 'active' : '', candidate.unread ? 'unread' : ''].filter(Boolean).join(' ')}
                        onMouseMove={() => setActive(index)} onClick={() => choose(candidate)}>
                        <span className='switcher-kind' aria-hidden='true'>{prefixOf(candidate)}</span>
                        <span className='switcher-title'>{candidate.title}</span>
                        {candidate.kind === 'user' && <span className='hint'>{t('switcher.startDirect')}</span>}
                        {candidate.mentions > 0 && <span className='badge'>{candidate.mentions}</span>}
                    </li>
                ))}
            </ul>
            {results.length === 0 && <p className='hint'>{t('switcher.none')}</p>}
            <p className='hint switcher-help'>{t('switcher.help')}</p>
        </Dialog>
    );
}

function prefixOf(candidate: Candidate): string {
    if (candidate.kind === 'user') {
        return '@';
    }
    const channel = store.get().channels[candidate.id];
    return channel?.type === 'O' ? '#' : channel?.type === 'P' ? '🔒' : '@';
}

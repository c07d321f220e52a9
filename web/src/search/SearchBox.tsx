import {useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {t} from '../i18n/i18n';
import {openPanel, togglePanel, usePanel} from '../lists/panel';
import {useAppState} from '../store/state';
import {recentSearches, rememberSearch} from './recent';
import {activeFilter, applySuggestion, channelSuggestions, dateSuggestions, directSuggestions, mentionTerms} from './suggest';

import './search.css';

interface Option {
    key: string;
    label: string;
    detail?: string;
    pick: () => void;
}

const LISTBOX_ID = 'search-suggestions';
const HINT_ID = 'search-hint';

/** The header's message search: a combobox that suggests filters' values as one types. */
export function SearchBox({team}: {team: Team}) {
    const me = useAppState((state) => state.me);
    const channels = useAppState((state) => state.channels);
    const members = useAppState((state) => state.members);
    const knownUsers = useAppState((state) => state.users);
    const [value, setValue] = useState('');
    const [cursor, setCursor] = useState(0);
    const [open, setOpen] = useState(false);
    const [active, setActive] = useState(-1);
    const [users, setUsers] = useState<UserProfile[]>([]);
    const [recent, setRecent] = useState<string[]>([]);
    const input = useRef<HTMLInputElement>(null);
    const nextCursor = useRef<number | null>(null);
    const filter = activeFilter(value, cursor);

    // Ctrl+Shift+F (⌘⇧F on a Mac) puts the cursor in the box from anywhere.
    useEffect(() => {
        function onKey(event: globalThis.KeyboardEvent) {
            if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'f') {
                event.preventDefault();
                input.current?.focus();
            }
        }
        window.addEventListener('keydown', onKey);
        return () => window.removeEventListener('keydown', onKey);
    }, []);

    useEffect(() => {
        setRecent(me ? recentSearches(me.id) : []);
    }, [me]);

    const userPrefix = filter?.filter === 'from' ? filter.prefix : null;
    useEffect(() => {
        if (userPrefix === null) {
            setUsers([]);
            return;
        }
        let current = true;
        const timer = window.setTimeout(() => {
            client.autocompleteUsers(userPrefix, team.id, '', {limit: 8}).then(
                (found) => current && setUsers([...found.users, ...(found.out_of_channel ?? [])].slice(0, 8)),
                () => current && setUsers([]),
            );
        }, 120);
        return () => {
            current = false;
            window.clearTimeout(timer);
        };
    }, [userPrefix, team.id]);

    useLayoutEffect(() => {
        if (nextCursor.current !== null && input.current) {
            input.current.setSelectionRange(nextCursor.current, nextCursor.current);
            nextCursor.current = null;
        }
    });

    function search(terms: string) {
        const trimmed = terms.trim();
        if (!trimmed) {
            return;
        }
        if (me) {
            setRecent(rememberSearch(me.id, trimmed));
        }
        setOpen(false);
        setActive(-1);
        openPanel({kind: 'search', channelId: '', terms: trimmed});
    }

    function complete(completion: string) {
        if (!filter) {
            return;
        }
        const next = applySuggestion(value, filter, completion);
        setValue(next.value);
        setCursor(next.cursor);
        nextCursor.current = next.cursor;
        setActive(-1);
        input.current?.focus();
    }

    const options: Option[] = (() => {
        if (!filter) {
            return value.trim() === ''
                ? recent.map((terms) => ({key: `recent:${terms}`, label: terms, pick: () => {
                    setValue(terms);
                    search(terms);
                }}))
                : [];
        }
        switch (filter.filter) {
        case 'from':
            return users.map((user) => ({
                key: `user:${user.id}`,
                label: `@${user.username}`,
                detail: [user.first_name, user.last_name].filter(Boolean).join(' ') || user.nickname || undefined,
                pick: () => complete(user.username),
            }));
        case 'in': {
            const mine = Object.values(channels).filter((channel) => members[channel.id]);
            // "in:@name" means a direct message; a bare prefix may be either.
            const named = filter.prefix.startsWith('@') ? [] : channelSuggestions(mine, team.id, filter.prefix).map((channel) => ({
                key: `channel:${channel.id}`,
                label: channel.display_name,
                detail: `~${channel.name}`,
                pick: () => complete(channel.name),
            }));
            const directs = directSuggestions(mine, knownUsers, me?.id ?? '', filter.prefix).map((username) => ({
                key: `direct:${username}`,
                label: `@${username}`,
                detail: t('search.directMessage'),
                pick: () => complete(`@${username}`),
            }));
            return [...named, ...directs].slice(0, 8);
        }
        default:
            return dateSuggestions(filter.prefix).map((date) => ({key: `date:${date}`, label: date, pick: () => complete(date)}));
        }
    })();

    const dateHint = filter && (filter.filter === 'on' || filter.filter === 'before' || filter.filter === 'after');
    const showList = open && (options.length > 0 || Boolean(dateHint));
    const activeOption = showList && active >= 0 && active < options.length ? options[active] : null;

    function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
        switch (event.key) {
        case 'ArrowDown':
            event.preventDefault();
            setOpen(true);
            setActive((index) => (options.length === 0 ? -1 : (index + 1) % options.length));
            break;
        case 'ArrowUp':
            event.preventDefault();
            setOpen(true);
            setActive((index) => (options.length === 0 ? -1 : index <= 0 ? options.length - 1 : index - 1));
            break;
        case 'Enter':
            event.preventDefault();
            if (activeOption) {
                activeOption.pick();
            } else {
                search(value);
            }
            break;
        case 'Tab':
            if (activeOption && filter) {
                event.preventDefault();
                activeOption.pick();
            }
            break;
        case 'Escape':
            if (showList) {
                event.preventDefault();
                event.stopPropagation();
                setOpen(false);
                setActive(-1);
            } else if (value) {
                event.preventDefault();
                setValue('');
                setCursor(0);
            }
            break;
        }
    }

    const trackCursor = () => setCursor(input.current?.selectionStart ?? value.length);
    const listLabel = filter ? t('search.suggestions') : t('search.recent');

    return (
        <div className='search-box'>
            <form role='search' onSubmit={(event) => {
                event.preventDefault();
                search(value);
            }}>
                <input ref={input} type='text' role='combobox' autoComplete='off' spellCheck={false} dir='auto'
                    aria-label={t('search.label')} placeholder={t('search.placeholder')}
                    aria-expanded={showList} aria-controls={LISTBOX_ID} aria-autocomplete='list'
                    aria-activedescendant={activeOption ? `search-option-${activeOption.key}` : undefined}
                    aria-describedby={dateHint ? HINT_ID : undefined}
                    value={value}
                    onChange={(event) => {
                        setValue(event.target.value);
                        setCursor(event.target.selectionStart ?? event.target.value.length);
                        setOpen(true);
                        setActive(-1);
                    }}
                    onFocus={() => setOpen(true)}
                    onBlur={() => {
                        setOpen(false);
                        setActive(-1);
                    }}
                    onClick={trackCursor} onKeyUp={(event) => {
                        if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') {
                            trackCursor();
                        }
                    }}
                    onKeyDown={onKeyDown}/>
            </form>
            <div className='search-popup' hidden={!showList}>
                {dateHint && <p className='hint' id={HINT_ID}>{t('search.dateHint')}</p>}
                <ul id={LISTBOX_ID} role='listbox' aria-label={listLabel}>
                    {showList && options.map((option, i) => (
                        <li key={option.key} id={`search-option-${option.key}`} role='option' aria-selected={i === active}
                            className={i === active ? 'search-option active' : 'search-option'}
                            onMouseDown={(event) => event.preventDefault()} onClick={option.pick}
                            onMouseEnter={() => setActive(i)}>
                            <span className='option-label' dir='auto'>{option.label}</span>
                            {option.detail && <span className='option-detail' dir='auto'>{option.detail}</span>}
                        </li>
                    ))}
                </ul>
            </div>
        </div>
    );
}

/** The header's "@" button: searches for the messages that mention the user. */
export function MentionsButton() {
    const me = useAppState((state) => state.me);
    const panel = usePanel();
    if (!me) {
        return null;
    }
    return (
        <button type='button' className='header-button mentions-button' aria-pressed={panel?.kind === 'mentions'}
            aria-label={t('search.mentions')} title={t('search.mentions')}
            onClick={() => togglePanel({kind: 'mentions', channelId: '', terms: mentionTerms(me)})}>
            <span aria-hidden='true'>@</span>
        </button>
    );
}

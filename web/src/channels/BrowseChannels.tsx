import {useEffect, useMemo, useState} from 'react';

import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {channelPath, navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {browseChannels, joinChannel} from '../store/channelActions';
import {useAppState} from '../store/state';
import {matchScore} from '../switcher/rank';

/** The team's public channels (or its archived ones): search, open, join. */
export function BrowseChannels({team, onClose}: {team: Team; onClose: () => void}) {
    const members = useAppState((state) => state.members);
    const [archived, setArchived] = useState(false);
    const [channels, setChannels] = useState<Channel[] | null>(null);
    const [term, setTerm] = useState('');
    const [error, setError] = useState('');

    useEffect(() => {
        let current = true;
        setChannels(null);
        browseChannels(team.id, archived).then(
            (found) => current && setChannels(found),
            (failure) => current && setError(errorMessage(failure)),
        );
        return () => {
            current = false;
        };
    }, [team.id, archived]);

    const shown = useMemo(() => (channels ?? [])
        .filter((channel) => !term.trim() || Math.max(matchScore(term, channel.display_name), matchScore(term, channel.name), matchScore(term, channel.purpose)) >= 400)
        .sort((a, b) => a.display_name.localeCompare(b.display_name)), [channels, term]);

    function open(channel: Channel) {
        onClose();
        navigate(channelPath(team.name, channel.name));
    }

    async function join(channel: Channel) {
        try {
            await joinChannel(team.id, channel);
            open(channel);
        } catch (failure) {
            setError(errorMessage(failure));
        }
    }

    return (
        <Dialog title={t('browse.title')} onClose={onClose}>
            <label htmlFor='browse-search'>{t('browse.search')}</label>
            <input id='browse-search' type='search' autoFocus autoComplete='off' value={term} onChange={(e) => setTerm(e.target.value)}/>
            <div className='browse-tabs' role='group' aria-label={t('browse.which')}>
                <button type='button' aria-pressed={!archived} onClick={() => setArchived(false)}>{t('browse.public')}</button>
                <button type='button' aria-pressed={archived} onClick={() => setArchived(true)}>{t('browse.archived')}</button>
            </div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {channels === null && !error && <p className='hint' role='status'>{t('app.loading')}</p>}
            <ul className='browse-results' aria-label={t('browse.results')}>
                {shown.map((channel) => {
                    const joined = Boolean(members[channel.id]);
                    return (
                        <li key={channel.id} className='browse-result'>
                            <div className='browse-info'>
                                <strong>{channel.display_name}</strong>
                                {channel.purpose && <span className='hint' dir='auto'>{channel.purpose}</span>}
                            </div>
                            {joined || archived
                                ? <button type='button' onClick={() => open(channel)} aria-label={t('browse.viewNamed', {channel: channel.display_name})}>{t('browse.view')}</button>
                                : <button type='button' className='primary' onClick={() => void join(channel)} aria-label={t('browse.joinNamed', {channel: channel.display_name})}>{t('browse.join')}</button>}
                        </li>
                    );
                })}
            </ul>
            {channels !== null && shown.length === 0 && <p className='hint'>{archived ? t('browse.noArchived') : t('browse.none')}</p>}
        </Dialog>
    );
}

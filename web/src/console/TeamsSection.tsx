import {useEffect, useMemo, useState} from 'react';

import type {Channel as ServerChannel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {MembersPanel, type MembersApi} from './MembersPanel';

const PER_PAGE = 100;

/** Teams and their channels: archive and restore, public or private, move a channel to another
 * team, and members. */
export default function TeamsSection() {
    const [teams, setTeams] = useState<Team[]>([]);
    const [channels, setChannels] = useState<ServerChannel[]>([]);
    const [filter, setFilter] = useState('');
    const [page, setPage] = useState(0);
    const [members, setMembers] = useState<{title: string; api: MembersApi} | null>(null);
    const [moving, setMoving] = useState<ServerChannel | null>(null);
    const [error, setError] = useState('');
    const [status, setStatus] = useState('');
    const [version, setVersion] = useState(0);

    useEffect(() => {
        client.getTeams(0, 200).then((found) => {
            const live = Array.isArray(found) ? found : found.teams;
            // An archived team is no longer listed; one archived here stays, to be restored.
            setTeams((known) => [...live, ...known.filter((team) => team.delete_at && !live.some((other) => other.id === team.id))]);
        }, (failure: unknown) => setError(errorMessage(failure)));
        client.getAllChannels(page, PER_PAGE, undefined, false, false, true, undefined, undefined, undefined).then(
            (found) => setChannels(found), (failure: unknown) => setError(errorMessage(failure)));
    }, [page, version]);

    const run = (work: Promise<unknown>) => {
        setError('');
        setStatus('');
        work.then(() => { setStatus(t('console.users.done')); setVersion(version + 1); }, (failure: unknown) => setError(errorMessage(failure)));
    };
    const teamName = useMemo(() => Object.fromEntries(teams.map((team) => [team.id, team.display_name])), [teams]);
    const shown = channels.filter((channel) => `${channel.display_name} ${channel.name}`.toLowerCase().includes(filter.toLowerCase()));
    const teamMembers = (team: Team): MembersApi => ({
        list: () => client.getTeamMembers(team.id, 0, 200),
        add: (userId) => client.addToTeam(team.id, userId),
        remove: (userId) => client.removeFromTeam(team.id, userId),
        setAdmin: (userId, admin) => client.updateTeamMemberSchemeRoles(team.id, userId, true, admin),
    });
    const channelMembers = (channel: ServerChannel): MembersApi => ({
        list: () => client.getChannelMembers(channel.id, 0, 200),
        add: (userId) => client.addToChannel(userId, channel.id),
        remove: (userId) => client.removeFromChannel(userId, channel.id),
        setAdmin: (userId, admin) => client.updateChannelMemberSchemeRoles(channel.id, userId, true, admin),
    });

    return (
        <div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {status && <p role='status' className='console-status'>{status}</p>}
            {members && <MembersPanel title={members.title} api={members.api} onClose={() => setMembers(null)}/>}
            {moving && <MoveChannel channel={moving} teams={teams.filter((team) => !team.delete_at && team.id !== moving.team_id)}
                onMove={(teamId, force) => { setMoving(null); run(client.moveChannel(moving.id, teamId, force)); }} onCancel={() => setMoving(null)}/>}
            <h3>{t('console.teams.teams')}</h3>
            <table className='console-table'>
                <thead><tr><th scope='col'>{t('console.teams.name')}</th><th scope='col'>{t('console.teams.kind')}</th><th scope='col'>{t('console.actions')}</th></tr></thead>
                <tbody>
                    {teams.map((team) => (
                        <tr key={team.id}>
                            <td>{team.display_name} <span className='hint'>{team.name}</span>{team.delete_at ? ` · ${t('console.teams.archived')}` : ''}</td>
                            <td>{team.type === 'O' ? t('console.teams.open') : t('console.teams.inviteOnly')}</td>
                            <td className='console-actions'>
                                {team.delete_at ? (
                                    <button type='button' onClick={() => run(client.unarchiveTeam(team.id).then(() => setTeams(teams.filter((other) => other.id !== team.id))))}>{t('console.teams.restore')}</button>
                                ) : (
                                    <>
                                        <button type='button' onClick={() => run(client.deleteTeam(team.id).then(() => setTeams(teams.map((other) => other.id === team.id ? {...other, delete_at: Date.now()} : other))))}>{t('console.teams.archive')}</button>
                                        <button type='button' onClick={() => run(client.updateTeamPrivacy(team.id, team.type === 'O' ? 'I' : 'O'))}>
                                            {team.type === 'O' ? t('console.teams.makeInviteOnly') : t('console.teams.makeOpen')}
                                        </button>
                                        <button type='button' onClick={() => setMembers({title: t('console.members.of', {name: team.display_name}), api: teamMembers(team)})}>{t('console.members.title')}</button>
                                    </>
                                )}
                            </td>
                        </tr>
                    ))}
                </tbody>
            </table>
            <h3>{t('console.teams.channels')}</h3>
            <div className='console-toolbar'>
                <label>
                    {t('console.teams.filter')}
                    <input type='search' value={filter} onChange={(event) => setFilter(event.target.value)}/>
                </label>
            </div>
            <table className='console-table'>
                <thead><tr><th scope='col'>{t('console.teams.name')}</th><th scope='col'>{t('console.teams.team')}</th><th scope='col'>{t('console.teams.kind')}</th><th scope='col'>{t('console.actions')}</th></tr></thead>
                <tbody>
                    {shown.map((channel) => (
                        <tr key={channel.id}>
                            <td>{channel.display_name} <span className='hint'>{channel.name}</span>{channel.delete_at ? ` · ${t('console.teams.archived')}` : ''}</td>
                            <td>{teamName[channel.team_id] ?? channel.team_id}</td>
                            <td>{channel.type === 'O' ? t('console.teams.public') : t('console.teams.private')}</td>
                            <td className='console-actions'>
                                {channel.delete_at ? (
                                    <button type='button' onClick={() => run(client.unarchiveChannel(channel.id))}>{t('console.teams.restore')}</button>
                                ) : (
                                    <>
                                        <button type='button' onClick={() => run(client.deleteChannel(channel.id))}>{t('console.teams.archive')}</button>
                                        <button type='button' onClick={() => run(client.updateChannelPrivacy(channel.id, channel.type === 'O' ? 'P' : 'O'))}>
                                            {channel.type === 'O' ? t('console.teams.makePrivate') : t('console.teams.makePublic')}
                                        </button>
                                        <button type='button' onClick={() => setMoving(channel)}>{t('console.teams.move')}</button>
                                        <button type='button' onClick={() => setMembers({title: t('console.members.of', {name: channel.display_name}), api: channelMembers(channel)})}>{t('console.members.title')}</button>
                                    </>
                                )}
                            </td>
                        </tr>
                    ))}
                </tbody>
            </table>
            <div className='console-toolbar'>
                <button type='button' disabled={page === 0} onClick={() => setPage(page - 1)}>{t('console.previous')}</button>
                <button type='button' disabled={channels.length < PER_PAGE} onClick={() => setPage(page + 1)}>{t('console.next')}</button>
            </div>
        </div>
    );
}

function MoveChannel({channel, teams, onMove, onCancel}: {channel: ServerChannel; teams: Team[]; onMove: (teamId: string, force: boolean) => void; onCancel: () => void}) {
    const [teamId, setTeamId] = useState(teams[0]?.id ?? '');
    const [force, setForce] = useState(false);
    return (
        <section className='console-panel' aria-label={t('console.teams.moveTitle', {name: channel.display_name})}>
            <h3>{t('console.teams.moveTitle', {name: channel.display_name})}</h3>
            <div className='console-toolbar'>
                <label>
                    {t('console.teams.team')}
                    <select value={teamId} onChange={(event) => setTeamId(event.target.value)}>
                        {teams.map((team) => <option key={team.id} value={team.id}>{team.display_name}</option>)}
                    </select>
                </label>
                <label>
                    <span><input type='checkbox' checked={force} onChange={(event) => setForce(event.target.checked)}/> {t('console.teams.force')}</span>
                </label>
                <button type='button' className='primary' disabled={!teamId} onClick={() => onMove(teamId, force)}>{t('console.teams.move')}</button>
                <button type='button' onClick={onCancel}>{t('console.close')}</button>
            </div>
            <p className='hint'>{t('console.teams.forceHelp')}</p>
        </section>
    );
}

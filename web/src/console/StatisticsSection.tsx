import {useEffect, useState} from 'react';

import type {Team} from '@mattermost/types/teams';

import {client, errorMessage} from '../api/client';
import {t, type MessageId} from '../i18n/i18n';
import {LineChart} from './LineChart';
import {fillDays, type Row} from './series';

// Mattermost's names in GET /analytics/old?name=standard, in the order they are shown.
const COUNTS = [
    'unique_user_count',
    'daily_active_users',
    'monthly_active_users',
    'inactive_user_count',
    'post_count',
    'channel_open_count',
    'channel_private_count',
    'team_count',
    'total_websocket_connections',
] as const;
const DAYS = 31;

interface Statistics {
    counts: Record<string, number>;
    posts: Row[];
    posters: Row[];
}

/** The server's counts and two charts of the last month: people who posted, and posts, per day;
 * for the whole server or one team. */
export default function StatisticsSection() {
    const [teams, setTeams] = useState<Team[]>([]);
    const [teamId, setTeamId] = useState('');
    const [stats, setStats] = useState<Statistics | null>(null);
    const [error, setError] = useState('');

    useEffect(() => {
        client.getTeams(0, 200).then((found) => setTeams(Array.isArray(found) ? found : found.teams), () => setTeams([]));
    }, []);
    useEffect(() => {
        let current = true;
        const read = (name: string) => client.getAnalytics(name, teamId || undefined) as unknown as Promise<Row[]>;
        Promise.all([read('standard'), read('post_counts_day'), read('user_counts_with_posts_day')]).then(([standard, posts, posters]) => {
            if (current) {
                setStats({counts: Object.fromEntries(standard.map((row) => [row.name, row.value])), posts, posters});
            }
        }, (failure: unknown) => setError(errorMessage(failure)));
        return () => { current = false; };
    }, [teamId]);

    return (
        <div>
            <div className='console-toolbar'>
                <label>
                    {t('console.statistics.team')}
                    <select value={teamId} onChange={(event) => setTeamId(event.target.value)}>
                        <option value=''>{t('console.statistics.allTeams')}</option>
                        {teams.map((team) => <option key={team.id} value={team.id}>{team.display_name}</option>)}
                    </select>
                </label>
            </div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {!stats && !error && <p role='status'>{t('app.loading')}</p>}
            {stats && (
                <>
                    <dl className='console-stats'>
                        {COUNTS.filter((name) => name in stats.counts).map((name) => (
                            <div key={name} data-stat={name}>
                                <dt>{t(`console.statistics.${name}` as MessageId)}</dt>
                                <dd>{stats.counts[name]}</dd>
                            </div>
                        ))}
                    </dl>
                    <LineChart title={t('console.statistics.activeChart')} points={fillDays(stats.posters, DAYS)}/>
                    <LineChart title={t('console.statistics.postsChart')} points={fillDays(stats.posts, DAYS)}/>
                    <p className='hint'>{t('console.statistics.note')}</p>
                </>
            )}
        </div>
    );
}

import {useEffect, useState, type FormEvent} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {client, errorMessage, type AuditEntry, type AuditFilter} from '../api/client';
import {formatDateTime, t} from '../i18n/i18n';

const PER_PAGE = 50;
// The actions the server records (moderation/audit.py), offered as filters.
const ACTIONS = [
    'login', 'login_failed', 'logout', 'mfa_activated', 'mfa_deactivated', 'roles_changed', 'user_deactivated', 'user_activated',
    'password_changed', 'password_reset', 'session_revoked', 'all_sessions_revoked', 'access_token_created', 'access_token_revoked',
    'access_token_disabled', 'config_changed', 'terms_of_service_created', 'terms_of_service_accepted', 'terms_of_service_declined',
    'channel_moved', 'audit_exported', 'data_exported',
];

/** Start (or, with `end`, the last millisecond) of a day picked in a date input, in local time. */
function dayBound(value: string, end = false): number {
    if (!value) {
        return 0;
    }
    const [year, month, day] = value.split('-').map(Number);
    return new Date(year, month - 1, day + (end ? 1 : 0)).getTime() - (end ? 1 : 0);
}

/** The audit log, newest first, filtered by who, what and when, and exported as it is filtered. */
export default function AuditSection() {
    const [username, setUsername] = useState('');
    const [action, setAction] = useState('');
    const [from, setFrom] = useState('');
    const [to, setTo] = useState('');
    const [filter, setFilter] = useState<AuditFilter>({});
    const [page, setPage] = useState(0);
    const [entries, setEntries] = useState<AuditEntry[]>([]);
    const [people, setPeople] = useState<Record<string, UserProfile>>({});
    const [error, setError] = useState('');

    useEffect(() => {
        let current = true;
        client.getAuditLog(filter, page, PER_PAGE).then(async (found) => {
            const ids = [...new Set(found.map((entry) => entry.user_id).filter(Boolean))];
            const profiles = ids.length ? await client.getProfilesByIds(ids) : [];
            if (current) {
                setEntries(found);
                setPeople(Object.fromEntries(profiles.map((profile) => [profile.id, profile])));
            }
        }, (failure: unknown) => setError(errorMessage(failure)));
        return () => { current = false; };
    }, [filter, page]);

    const apply = async (event: FormEvent) => {
        event.preventDefault();
        setError('');
        try {
            const name = username.trim().replace(/^@/, '');
            const userId = name ? (await client.getUserByUsername(name)).id : '';
            setPage(0);
            setFilter({user_id: userId, action, since: dayBound(from), until: dayBound(to, true)});
        } catch (failure) {
            setError(errorMessage(failure));
        }
    };

    return (
        <div>
            <form className='console-toolbar' onSubmit={apply} aria-label={t('console.audit.filters')}>
                <label>{t('console.audit.user')}<input value={username} onChange={(event) => setUsername(event.target.value)}/></label>
                <label>
                    {t('console.audit.action')}
                    <select value={action} onChange={(event) => setAction(event.target.value)}>
                        <option value=''>{t('console.audit.anyAction')}</option>
                        {ACTIONS.map((name) => <option key={name} value={name}>{name}</option>)}
                    </select>
                </label>
                <label>{t('console.audit.from')}<input type='date' value={from} onChange={(event) => setFrom(event.target.value)}/></label>
                <label>{t('console.audit.to')}<input type='date' value={to} onChange={(event) => setTo(event.target.value)}/></label>
                <button type='submit'>{t('console.audit.apply')}</button>
                <a className='button' href={client.auditExportUrl(filter, 'csv')} download>{t('console.audit.exportCsv')}</a>
                <a className='button' href={client.auditExportUrl(filter, 'jsonl')} download>{t('console.audit.exportJsonl')}</a>
            </form>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <table className='console-table'>
                <thead>
                    <tr>
                        <th scope='col'>{t('console.audit.when')}</th><th scope='col'>{t('console.audit.user')}</th><th scope='col'>{t('console.audit.action')}</th>
                        <th scope='col'>{t('console.audit.details')}</th><th scope='col'>{t('console.audit.address')}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.map((entry) => (
                        <tr key={entry.id}>
                            <td>{formatDateTime(entry.create_at)}</td>
                            <td>{entry.user_id ? `@${people[entry.user_id]?.username ?? entry.user_id}` : t('console.audit.system')}</td>
                            <td><code>{entry.action}</code></td>
                            <td><code>{entry.extra_info}</code></td>
                            <td>{entry.ip_address}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {entries.length === 0 && <p className='empty-state'>{t('console.audit.empty')}</p>}
            <div className='console-toolbar'>
                <button type='button' disabled={page === 0} onClick={() => setPage(page - 1)}>{t('console.previous')}</button>
                <button type='button' disabled={entries.length < PER_PAGE} onClick={() => setPage(page + 1)}>{t('console.next')}</button>
            </div>
        </div>
    );
}

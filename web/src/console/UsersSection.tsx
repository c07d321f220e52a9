import {useEffect, useState, type FormEvent} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {PersonalDataPanel} from './PersonalDataPanel';
import {isGuest, rolesFor, serverRoleOf, type ServerRole} from './roles';

const PER_PAGE = 50;

/** Everyone with an account, searched or a page at a time; one opened to manage. */
export default function UsersSection() {
    const [term, setTerm] = useState('');
    const [query, setQuery] = useState('');
    const [page, setPage] = useState(0);
    const [users, setUsers] = useState<UserProfile[]>([]);
    const [openId, setOpenId] = useState('');
    const [error, setError] = useState('');
    const [version, setVersion] = useState(0);

    useEffect(() => {
        let current = true;
        const found = query ?
            client.searchUsers(query, {allow_inactive: true, limit: PER_PAGE}) :
            client.getProfiles(page, PER_PAGE, {include_deleted: true});
        found.then((list) => current && setUsers(list), (failure: unknown) => setError(errorMessage(failure)));
        return () => { current = false; };
    }, [query, page, version]);

    const search = (event: FormEvent) => {
        event.preventDefault();
        setPage(0);
        setQuery(term.trim());
    };
    const opened = users.find((user) => user.id === openId);

    return (
        <div>
            <form className='console-toolbar' onSubmit={search} role='search'>
                <label>
                    {t('console.users.search')}
                    <input type='search' value={term} onChange={(event) => setTerm(event.target.value)}/>
                </label>
                <button type='submit'>{t('console.users.find')}</button>
            </form>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {opened && <UserPanel user={opened} onChanged={() => setVersion(version + 1)} onClose={() => setOpenId('')}/>}
            <table className='console-table'>
                <thead>
                    <tr><th scope='col'>{t('console.users.username')}</th><th scope='col'>{t('console.users.email')}</th><th scope='col'>{t('console.users.role')}</th><th scope='col'>{t('console.users.state')}</th></tr>
                </thead>
                <tbody>
                    {users.map((user) => (
                        <tr key={user.id}>
                            <td>
                                <button type='button' className='link-button' onClick={() => setOpenId(user.id)}>@{user.username}</button>
                                {isGuest(user.roles) && <span className='guest-marker'>{t('console.users.guest')}</span>}
                            </td>
                            <td>{user.email}</td>
                            <td>{t(`console.users.role.${serverRoleOf(user.roles)}`)}</td>
                            <td>{user.delete_at ? t('console.users.deactivated') : t('console.users.active')}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
            {!query && (
                <div className='console-toolbar'>
                    <button type='button' disabled={page === 0} onClick={() => setPage(page - 1)}>{t('console.previous')}</button>
                    <button type='button' disabled={users.length < PER_PAGE} onClick={() => setPage(page + 1)}>{t('console.next')}</button>
                </div>
            )}
        </div>
    );
}

function UserPanel({user, onChanged, onClose}: {user: UserProfile; onChanged: () => void; onClose: () => void}) {
    const [status, setStatus] = useState('');
    const [error, setError] = useState('');
    const guest = isGuest(user.roles);
    const run = (work: Promise<unknown>, done: string) => {
        setStatus('');
        setError('');
        work.then(() => { setStatus(done); onChanged(); }, (failure: unknown) => setError(errorMessage(failure)));
    };
    const role = serverRoleOf(user.roles);

    return (
        <section className='console-panel' aria-label={t('console.users.panel', {username: user.username})}>
            <h3>@{user.username} {guest && <span className='guest-marker'>{t('console.users.guest')}</span>}</h3>
            <p>{user.email} · {user.delete_at ? t('console.users.deactivated') : t('console.users.active')}</p>
            {guest ? (
                <p><button type='button' onClick={() => run(client.promoteGuestToUser(user.id), t('console.users.done'))}>{t('console.users.promote')}</button></p>
            ) : (
                <label className='console-toolbar'>
                    {t('console.users.role')}
                    <select value={role} onChange={(event) => run(client.updateUserRoles(user.id, rolesFor(event.target.value as ServerRole)), t('console.users.done'))}>
                        {(['member', 'moderator', 'admin'] as const).map((choice) => <option key={choice} value={choice}>{t(`console.users.role.${choice}`)}</option>)}
                    </select>
                </label>
            )}
            <div className='console-actions'>
                {user.delete_at ? (
                    <button type='button' onClick={() => run(client.updateUserActive(user.id, true), t('console.users.done'))}>{t('console.users.activate')}</button>
                ) : (
                    <button type='button' onClick={() => run(client.updateUserActive(user.id, false), t('console.users.done'))}>{t('console.users.deactivate')}</button>
                )}
                <button type='button' onClick={() => run(client.sendPasswordResetEmail(user.email), t('console.users.resetSent'))}>{t('console.users.resetPassword')}</button>
                {user.mfa_active && (
                    <button type='button' onClick={() => run(client.updateUserMfa(user.id, false, ''), t('console.users.done'))}>{t('console.users.resetMfa')}</button>
                )}
                <button type='button' onClick={() => run(client.revokeAllSessionsForUser(user.id), t('console.users.done'))}>{t('console.users.revokeSessions')}</button>
                <button type='button' onClick={onClose}>{t('console.close')}</button>
            </div>
            {status && <p role='status'>{status}</p>}
            {error && <p className='form-error' role='alert'>{error}</p>}
            <PersonalDataPanel user={user} onErased={onChanged}/>
        </section>
    );
}

import {useEffect, useState, type FormEvent} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';

interface Membership {
    user_id: string;
    scheme_admin?: boolean;
}

/** A team's or a channel's members: add by username, remove, make admin or not. */
export interface MembersApi {
    list: () => Promise<Membership[]>;
    add: (userId: string) => Promise<unknown>;
    remove: (userId: string) => Promise<unknown>;
    setAdmin: (userId: string, admin: boolean) => Promise<unknown>;
}

export function MembersPanel({title, api, onClose}: {title: string; api: MembersApi; onClose: () => void}) {
    const [members, setMembers] = useState<Membership[]>([]);
    const [people, setPeople] = useState<Record<string, UserProfile>>({});
    const [username, setUsername] = useState('');
    const [error, setError] = useState('');
    const [version, setVersion] = useState(0);

    useEffect(() => {
        api.list().then(async (found) => {
            setMembers(found);
            const profiles = found.length ? await client.getProfilesByIds(found.map((member) => member.user_id)) : [];
            setPeople(Object.fromEntries(profiles.map((profile) => [profile.id, profile])));
        }, (failure: unknown) => setError(errorMessage(failure)));
    }, [api, version]);

    const run = (work: Promise<unknown>) => {
        setError('');
        work.then(() => setVersion(version + 1), (failure: unknown) => setError(errorMessage(failure)));
    };
    const add = (event: FormEvent) => {
        event.preventDefault();
        run(client.getUserByUsername(username.trim().replace(/^@/, '')).then((user) => api.add(user.id)).then(() => setUsername('')));
    };

    return (
        <section className='console-panel' aria-label={title}>
            <h3>{title}</h3>
            <form className='console-toolbar' onSubmit={add}>
                <label>
                    {t('console.members.username')}
                    <input value={username} onChange={(event) => setUsername(event.target.value)}/>
                </label>
                <button type='submit' disabled={!username.trim()}>{t('console.members.add')}</button>
                <button type='button' onClick={onClose}>{t('console.close')}</button>
            </form>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <table className='console-table'>
                <thead><tr><th scope='col'>{t('console.users.username')}</th><th scope='col'>{t('console.members.admin')}</th><th scope='col'>{t('console.actions')}</th></tr></thead>
                <tbody>
                    {members.map((member) => {
                        const name = people[member.user_id]?.username ?? member.user_id;
                        return (
                            <tr key={member.user_id}>
                                <td>@{name}</td>
                                <td>
                                    <input type='checkbox' checked={Boolean(member.scheme_admin)} aria-label={t('console.members.makeAdmin', {name})}
                                        onChange={(event) => run(api.setAdmin(member.user_id, event.target.checked))}/>
                                </td>
                                <td><button type='button' onClick={() => run(api.remove(member.user_id))}>{t('console.members.remove', {name})}</button></td>
                            </tr>
                        );
                    })}
                </tbody>
            </table>
        </section>
    );
}

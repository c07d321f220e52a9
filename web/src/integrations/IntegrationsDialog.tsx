import {useEffect, useMemo, useState, type FormEvent} from 'react';

import type {Bot} from '@mattermost/types/bots';
import type {Command, IncomingWebhook, OutgoingWebhook} from '@mattermost/types/integrations';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {useAppState} from '../store/state';
import './integrations.css';

/** The team's webhooks and custom slash commands and the server's bots, listed and made through Client4, for team and
 * system admins, without the System Console. */
export default function IntegrationsDialog({onClose}: {onClose: () => void}) {
    const teamId = useAppState((state) => state.view.teamId);
    const allChannels = useAppState((state) => state.channels);
    const channels = useMemo(() => Object.values(allChannels)
        .filter((channel) => channel.team_id === teamId && channel.type === 'O' && !channel.delete_at), [allChannels, teamId]);
    const isAdmin = useAppState((state) => (state.me?.roles ?? '').split(' ').includes('system_admin'));
    const [incoming, setIncoming] = useState<IncomingWebhook[]>([]);
    const [outgoing, setOutgoing] = useState<OutgoingWebhook[]>([]);
    const [bots, setBots] = useState<Bot[]>([]);
    const [commands, setCommands] = useState<Command[]>([]);
    const [error, setError] = useState('');

    const reload = async () => {
        try {
            setIncoming(await client.getIncomingWebhooks(teamId, 0, 200) as IncomingWebhook[]);
            setOutgoing(await client.getOutgoingWebhooks('', teamId, 0, 200));
            // Managing commands is a team admin's right: for others the section stays empty.
            setCommands(await client.getCustomTeamCommands(teamId).catch(() => []));
            setBots(isAdmin ? await client.getBotsIncludeDeleted(0, 200) : []);
            setError('');
        } catch (failure) {
            setError(errorMessage(failure));
        }
    };
    useEffect(() => { void reload(); }, [teamId]); // eslint-disable-line react-hooks/exhaustive-deps

    const run = async (action: () => Promise<unknown>) => {
        try {
            await action();
            await reload();
        } catch (failure) {
            setError(errorMessage(failure));
        }
    };
    const channelName = (id: string) => channels.find((channel) => channel.id === id)?.display_name ?? id;

    return (
        <Dialog title={t('integrations.title')} onClose={onClose}>
            <div className='integrations'>
                {error && <p className='form-error' role='alert'>{error}</p>}
                <section aria-labelledby='integrations-incoming'>
                    <h3 id='integrations-incoming'>{t('integrations.incoming')}</h3>
                    <ul>
                        {incoming.map((hook) => (
                            <li key={hook.id}>
                                <strong>{hook.display_name || channelName(hook.channel_id)}</strong> → {channelName(hook.channel_id)}
                                <code className='integration-secret'>{`${window.location.origin}/hooks/${hook.id}`}</code>
                                <button type='button' className='link-button' onClick={() => run(() => client.removeIncomingWebhook(hook.id))}>{t('integrations.delete')}</button>
                            </li>
                        ))}
                    </ul>
                    <IncomingForm channels={channels} onCreate={(hook) => run(() => client.createIncomingWebhook(hook))}/>
                </section>
                <section aria-labelledby='integrations-outgoing'>
                    <h3 id='integrations-outgoing'>{t('integrations.outgoing')}</h3>
                    <ul>
                        {outgoing.map((hook) => (
                            <li key={hook.id}>
                                <strong>{hook.display_name || hook.trigger_words.join(', ')}</strong> {hook.callback_urls.join(' ')}
                                <code className='integration-secret'>{hook.token}</code>
                                <button type='button' className='link-button' onClick={() => run(() => client.regenOutgoingHookToken(hook.id))}>{t('integrations.regenerate')}</button>
                                <button type='button' className='link-button' onClick={() => run(() => client.removeOutgoingWebhook(hook.id))}>{t('integrations.delete')}</button>
                            </li>
                        ))}
                    </ul>
                    <OutgoingForm onCreate={(words, url) => run(() => client.createOutgoingWebhook({
                        team_id: teamId, trigger_words: words, callback_urls: [url], display_name: words[0] ?? '',
                        trigger_when: 0, content_type: 'application/x-www-form-urlencoded',
                    } as OutgoingWebhook))}/>
                </section>
                <section aria-labelledby='integrations-commands'>
                    <h3 id='integrations-commands'>{t('integrations.commands')}</h3>
                    <ul>
                        {commands.map((command) => (
                            <li key={command.id}>
                                <strong>/{command.trigger}</strong> {command.method === 'G' ? 'GET' : 'POST'} {command.url}
                                <code className='integration-secret'>{command.token}</code>
                                <button type='button' className='link-button' onClick={() => run(() => client.regenCommandToken(command.id))}>{t('integrations.regenerate')}</button>
                                <button type='button' className='link-button' onClick={() => run(() => client.deleteCommand(command.id))}>{t('integrations.delete')}</button>
                            </li>
                        ))}
                    </ul>
                    <CommandForm onCreate={(trigger, url, method) => run(() => client.addCommand({
                        team_id: teamId, trigger, url, method, display_name: trigger, auto_complete: true,
                    } as Command))}/>
                </section>
                {isAdmin && (
                    <section aria-labelledby='integrations-bots'>
                        <h3 id='integrations-bots'>{t('integrations.bots')}</h3>
                        <ul>
                            {bots.map((bot) => (
                                <li key={bot.user_id}>
                                    <strong>@{bot.username}</strong> {bot.display_name} {bot.delete_at ? t('integrations.disabled') : ''}
                                    <button type='button' className='link-button'
                                        onClick={() => run(() => (bot.delete_at ? client.enableBot(bot.user_id) : client.disableBot(bot.user_id)))}>
                                        {bot.delete_at ? t('integrations.enable') : t('integrations.disable')}
                                    </button>
                                </li>
                            ))}
                        </ul>
                        <BotForm onCreate={(username, displayName) => run(() => client.createBot({username, display_name: displayName}))}/>
                    </section>
                )}
            </div>
        </Dialog>
    );
}

function IncomingForm({channels, onCreate}: {channels: {id: string; display_name: string}[]; onCreate: (hook: {channel_id: string; display_name: string}) => void}) {
    const [channelId, setChannelId] = useState('');
    const [name, setName] = useState('');
    const submit = (event: FormEvent) => {
        event.preventDefault();
        onCreate({channel_id: channelId || channels[0]?.id || '', display_name: name});
        setName('');
    };
    return (
        <form className='integration-form' onSubmit={submit}>
            <label>{t('integrations.channel')}
                <select value={channelId} onChange={(e) => setChannelId(e.target.value)}>
                    {channels.map((channel) => <option key={channel.id} value={channel.id}>{channel.display_name}</option>)}
                </select>
            </label>
            <label>{t('integrations.name')} <input value={name} maxLength={64} onChange={(e) => setName(e.target.value)}/></label>
            <button type='submit' className='button'>{t('integrations.addIncoming')}</button>
        </form>
    );
}

function OutgoingForm({onCreate}: {onCreate: (words: string[], url: string) => void}) {
    const [words, setWords] = useState('');
    const [url, setUrl] = useState('');
    const submit = (event: FormEvent) => {
        event.preventDefault();
        onCreate(words.split(/[\s,]+/).filter(Boolean), url.trim());
        setWords('');
        setUrl('');
    };
    return (
        <form className='integration-form' onSubmit={submit}>
            <label>{t('integrations.triggerWords')} <input value={words} required onChange={(e) => setWords(e.target.value)}/></label>
            <label>{t('integrations.callbackUrl')} <input type='url' value={url} required onChange={(e) => setUrl(e.target.value)}/></label>
            <button type='submit' className='button'>{t('integrations.addOutgoing')}</button>
        </form>
    );
}

function CommandForm({onCreate}: {onCreate: (trigger: string, url: string, method: 'P' | 'G') => void}) {
    const [trigger, setTrigger] = useState('');
    const [url, setUrl] = useState('');
    const [method, setMethod] = useState<'P' | 'G'>('P');
    const submit = (event: FormEvent) => {
        event.preventDefault();
        onCreate(trigger.trim().replace(/^\//, '').toLowerCase(), url.trim(), method);
        setTrigger('');
        setUrl('');
    };
    return (
        <form className='integration-form' onSubmit={submit}>
            <label>{t('integrations.trigger')} <input value={trigger} required maxLength={128} onChange={(e) => setTrigger(e.target.value)}/></label>
            <label>{t('integrations.requestUrl')} <input type='url' value={url} required onChange={(e) => setUrl(e.target.value)}/></label>
            <label>{t('integrations.method')}
                <select value={method} onChange={(e) => setMethod(e.target.value as 'P' | 'G')}>
                    <option value='P'>POST</option>
                    <option value='G'>GET</option>
                </select>
            </label>
            <button type='submit' className='button'>{t('integrations.addCommand')}</button>
        </form>
    );
}

function BotForm({onCreate}: {onCreate: (username: string, displayName: string) => void}) {
    const [username, setUsername] = useState('');
    const [displayName, setDisplayName] = useState('');
    const submit = (event: FormEvent) => {
        event.preventDefault();
        onCreate(username.trim().toLowerCase(), displayName);
        setUsername('');
        setDisplayName('');
    };
    return (
        <form className='integration-form' onSubmit={submit}>
            <label>{t('integrations.username')} <input value={username} required onChange={(e) => setUsername(e.target.value)}/></label>
            <label>{t('integrations.name')} <input value={displayName} onChange={(e) => setDisplayName(e.target.value)}/></label>
            <button type='submit' className='button'>{t('integrations.addBot')}</button>
        </form>
    );
}

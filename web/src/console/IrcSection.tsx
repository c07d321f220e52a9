import {useEffect, useState, type FormEvent} from 'react';

import type {ChannelWithTeamData} from '@mattermost/types/channels';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {
    channelLabel, draftOf, draftProblem, emptyDraft, findChannels, irc, isIrcChannel, networkBody, readChannelPage,
    SASL_MECHANISMS, type IrcMapping, type IrcNetwork, type NetworkDraft,
} from './ircBridge';

/** The built-in IRC bridge: its networks (whether a server process holds each one's connection)
 * and which chat channel is relayed to which IRC channel (docs/bridges.md). */
export default function IrcSection() {
    const [networks, setNetworks] = useState<IrcNetwork[]>([]);
    const [mappings, setMappings] = useState<IrcMapping[]>([]);
    // null: no form open; 'new': adding one; otherwise the network being edited.
    const [editing, setEditing] = useState<IrcNetwork | 'new' | null>(null);
    const [removing, setRemoving] = useState<IrcNetwork | null>(null);
    const [error, setError] = useState('');
    const [status, setStatus] = useState('');
    const [version, setVersion] = useState(0);

    useEffect(() => {
        Promise.all([irc.networks(), irc.mappings()]).then(([found, mapped]) => {
            setNetworks(found);
            setMappings(mapped);
        }, (failure: unknown) => setError(errorMessage(failure)));
    }, [version]);

    const run = (work: Promise<unknown>, done: string) => {
        setError('');
        setStatus('');
        return work.then(() => { setStatus(done); setVersion((v) => v + 1); }, (failure: unknown) => {
            setError(errorMessage(failure));
            throw failure;
        });
    };
    const networkName = (id: string) => networks.find((network) => network.id === id)?.name ?? id;

    return (
        <div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {status && <p role='status' className='console-status'>{status}</p>}
            <p className='hint'>{t('console.irc.intro')}</p>
            <h3>{t('console.irc.networks')}</h3>
            {networks.length === 0 ? <p>{t('console.irc.noNetworks')}</p> : (
                <table className='console-table'>
                    <thead>
                        <tr>
                            <th scope='col'>{t('console.irc.network')}</th><th scope='col'>{t('console.irc.nick')}</th>
                            <th scope='col'>{t('console.irc.sasl')}</th><th scope='col'>{t('console.irc.connection')}</th>
                            <th scope='col'>{t('console.actions')}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {networks.map((network) => (
                            <tr key={network.id}>
                                <td>
                                    {network.name} <span className='hint'>{network.host}:{network.port}</span>
                                    {' · '}{network.tls ? (network.tls_verify ? t('console.irc.tls') : t('console.irc.tlsUnverified')) : t('console.irc.plainText')}
                                </td>
                                <td>{network.nick}</td>
                                <td>{saslSummary(network)}</td>
                                <td>{network.held ? t('console.irc.held') : t('console.irc.notHeld')}</td>
                                <td className='console-actions'>
                                    <button type='button' onClick={() => setEditing(network)} aria-label={t('console.irc.editNamed', {name: network.name})}>{t('console.irc.edit')}</button>
                                    <button type='button' onClick={() => setRemoving(network)} aria-label={t('console.irc.removeNamed', {name: network.name})}>{t('console.irc.remove')}</button>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {removing && (
                <section className='console-panel' aria-label={t('console.irc.removeTitle', {name: removing.name})}>
                    <p>{t('console.irc.removeConfirm', {name: removing.name, count: mappings.filter((m) => m.network_id === removing.id).length})}</p>
                    <div className='console-toolbar'>
                        <button type='button' className='primary' onClick={() => { setRemoving(null); run(irc.removeNetwork(removing.id), t('console.irc.removed')).catch(() => undefined); }}>
                            {t('console.irc.remove')}
                        </button>
                        <button type='button' onClick={() => setRemoving(null)}>{t('console.close')}</button>
                    </div>
                </section>
            )}
            {editing ? (
                <NetworkForm key={editing === 'new' ? 'new' : editing.id} network={editing === 'new' ? undefined : editing}
                    onSave={(body) => run(editing === 'new' ? irc.addNetwork(body) : irc.editNetwork(editing.id, body), t('console.irc.saved')).then(() => setEditing(null))}
                    onCancel={() => setEditing(null)}/>
            ) : (
                <div className='console-toolbar'>
                    <button type='button' onClick={() => setEditing('new')}>{t('console.irc.addNetwork')}</button>
                </div>
            )}
            <h3>{t('console.irc.mappings')}</h3>
            {mappings.length === 0 ? <p>{t('console.irc.noMappings')}</p> : (
                <table className='console-table'>
                    <thead>
                        <tr>
                            <th scope='col'>{t('console.irc.chatChannel')}</th><th scope='col'>{t('console.irc.network')}</th>
                            <th scope='col'>{t('console.irc.ircChannel')}</th><th scope='col'>{t('console.irc.joins')}</th>
                            <th scope='col'>{t('console.actions')}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {mappings.map((mapping) => (
                            <tr key={mapping.id}>
                                <td>{mapping.channel_name}{mapping.channel_type === 'P' ? ` · ${t('console.teams.private')}` : ''}</td>
                                <td>{networkName(mapping.network_id)}</td>
                                <td>{mapping.irc_channel}</td>
                                <td>{mapping.relay_joins ? t('console.settings.on') : t('console.settings.off')}</td>
                                <td className='console-actions'>
                                    <button type='button' aria-label={t('console.irc.unmapNamed', {channel: mapping.irc_channel, network: networkName(mapping.network_id)})}
                                        onClick={() => { run(irc.removeMapping(mapping.id), t('console.irc.unmapped')).catch(() => undefined); }}>
                                        {t('console.irc.unmap')}
                                    </button>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
            {networks.length > 0 && (
                <MappingForm networks={networks} onMap={(body) => run(irc.addMapping(body), t('console.irc.mapped'))}/>
            )}
        </div>
    );
}

function saslSummary(network: IrcNetwork): string {
    if (network.sasl_mechanism === 'PLAIN') {
        return t(network.has_sasl_password ? 'console.irc.saslPlain' : 'console.irc.saslPlainNoPassword', {username: network.sasl_username});
    }
    return network.sasl_mechanism === 'EXTERNAL' ? t('console.irc.saslExternal') : t('console.irc.saslNone');
}

function NetworkForm({network, onSave, onCancel}: {network?: IrcNetwork; onSave: (body: Record<string, unknown>) => Promise<unknown>; onCancel: () => void}) {
    const [draft, setDraft] = useState<NetworkDraft>(network ? draftOf(network) : emptyDraft());
    const [problem, setProblem] = useState('');
    const [saving, setSaving] = useState(false);
    const set = <K extends keyof NetworkDraft>(name: K, value: NetworkDraft[K]) => setDraft({...draft, [name]: value});
    const title = network ? t('console.irc.editTitle', {name: network.name}) : t('console.irc.addTitle');

    const save = (event: FormEvent) => {
        event.preventDefault();
        const wrong = draftProblem(draft, network);
        setProblem(wrong ? t(wrong) : '');
        if (wrong) {
            return;
        }
        setSaving(true);
        onSave(networkBody(draft, network)).catch(() => setSaving(false));
    };

    return (
        <form className='console-panel' aria-label={title} onSubmit={save} noValidate>
            <h3>{title}</h3>
            {problem && <p className='form-error' role='alert'>{problem}</p>}
            <div className='console-toolbar'>
                <label>{t('console.irc.name')}<input value={draft.name} onChange={(e) => set('name', e.target.value)} required/></label>
                <label>{t('console.irc.host')}<input value={draft.host} onChange={(e) => set('host', e.target.value)} required/></label>
                <label>{t('console.irc.port')}<input type='number' min={1} max={65535} value={draft.port} onChange={(e) => set('port', e.target.value)} required/></label>
                <label>{t('console.irc.nick')}<input value={draft.nick} onChange={(e) => set('nick', e.target.value)} required/></label>
            </div>
            <div className='console-toolbar'>
                <label><span><input type='checkbox' checked={draft.tls} onChange={(e) => set('tls', e.target.checked)}/> {t('console.irc.useTls')}</span></label>
                <label><span><input type='checkbox' checked={draft.tls_verify} disabled={!draft.tls} onChange={(e) => set('tls_verify', e.target.checked)}/> {t('console.irc.verifyTls')}</span></label>
            </div>
            <div className='console-toolbar'>
                <label>
                    {t('console.irc.saslMechanism')}
                    <select aria-label={t('console.irc.saslMechanism')} value={draft.sasl_mechanism} onChange={(e) => set('sasl_mechanism', e.target.value as NetworkDraft['sasl_mechanism'])}>
                        {SASL_MECHANISMS.map((mechanism) => <option key={mechanism} value={mechanism}>{mechanism || t('console.irc.saslNone')}</option>)}
                    </select>
                </label>
                {draft.sasl_mechanism === 'PLAIN' && (
                    <>
                        <label>{t('console.irc.saslUsername')}<input value={draft.sasl_username} autoComplete='off' onChange={(e) => set('sasl_username', e.target.value)}/></label>
                        <label>
                            {t('console.irc.saslPassword')}
                            <input type='password' value={draft.sasl_password} autoComplete='new-password'
                                placeholder={network?.has_sasl_password ? t('console.irc.passwordKept') : ''}
                                onChange={(e) => set('sasl_password', e.target.value)}/>
                        </label>
                    </>
                )}
                {draft.sasl_mechanism === 'EXTERNAL' && (
                    <>
                        <label>{t('console.irc.clientCert')}<input value={draft.client_cert_path} onChange={(e) => set('client_cert_path', e.target.value)}/></label>
                        <label>{t('console.irc.clientKey')}<input value={draft.client_key_path} onChange={(e) => set('client_key_path', e.target.value)}/></label>
                    </>
                )}
            </div>
            {draft.sasl_mechanism === 'PLAIN' && network?.has_sasl_password && <p className='hint'>{t('console.irc.passwordHint')}</p>}
            {draft.sasl_mechanism === 'EXTERNAL' && <p className='hint'>{t('console.irc.externalHint')}</p>}
            <div className='console-toolbar'>
                <button type='submit' className='primary' disabled={saving}>{network ? t('console.irc.save') : t('console.irc.add')}</button>
                <button type='button' onClick={onCancel}>{t('console.close')}</button>
            </div>
        </form>
    );
}

function MappingForm({networks, onMap}: {networks: IrcNetwork[]; onMap: (body: {network_id: string; channel_id: string; irc_channel: string; relay_joins: boolean}) => Promise<unknown>}) {
    const [networkId, setNetworkId] = useState(networks[0]?.id ?? '');
    const [term, setTerm] = useState('');
    const [found, setFound] = useState<ChannelWithTeamData[] | null>(null);
    const [searching, setSearching] = useState(false);
    const [channelId, setChannelId] = useState('');
    const [ircChannel, setIrcChannel] = useState('');
    const [relayJoins, setRelayJoins] = useState(false);
    const [problem, setProblem] = useState('');
    const network = networks.some((candidate) => candidate.id === networkId) ? networkId : networks[0]?.id ?? '';

    const search = (event: FormEvent) => {
        event.preventDefault();
        setSearching(true);
        findChannels(term, readChannelPage).then((channels) => {
            setFound(channels);
            setChannelId(channels[0]?.id ?? '');
        }, (failure: unknown) => setProblem(errorMessage(failure))).finally(() => setSearching(false));
    };
    const map = (event: FormEvent) => {
        event.preventDefault();
        const wrong = !channelId ? t('console.irc.problem.channel') : !isIrcChannel(ircChannel) ? t('console.irc.problem.ircChannel') : '';
        setProblem(wrong);
        if (!wrong) {
            onMap({network_id: network, channel_id: channelId, irc_channel: ircChannel.trim(), relay_joins: relayJoins}).then(() => setIrcChannel(''), () => undefined);
        }
    };

    return (
        <section className='console-panel' aria-label={t('console.irc.mapTitle')}>
            <h3>{t('console.irc.mapTitle')}</h3>
            {problem && <p className='form-error' role='alert'>{problem}</p>}
            <form className='console-toolbar' role='search' onSubmit={search}>
                <label>{t('console.irc.findChannel')}<input type='search' value={term} onChange={(e) => setTerm(e.target.value)}/></label>
                <button type='submit' disabled={searching}>{t('console.users.find')}</button>
            </form>
            {found && found.length === 0 && <p role='status'>{t('console.irc.noChannels')}</p>}
            <form className='console-toolbar' onSubmit={map} noValidate>
                <label>
                    {t('console.irc.chatChannel')}
                    <select aria-label={t('console.irc.chatChannel')} value={channelId} onChange={(e) => setChannelId(e.target.value)} disabled={!found?.length}>
                        {(found ?? []).map((channel) => (
                            <option key={channel.id} value={channel.id}>
                                {channelLabel(channel)}{channel.type === 'P' ? ` (${t('console.teams.private')})` : ''}
                            </option>
                        ))}
                    </select>
                </label>
                <label>
                    {t('console.irc.network')}
                    <select aria-label={t('console.irc.network')} value={network} onChange={(e) => setNetworkId(e.target.value)}>
                        {networks.map((candidate) => <option key={candidate.id} value={candidate.id}>{candidate.name}</option>)}
                    </select>
                </label>
                <label>{t('console.irc.ircChannel')}<input value={ircChannel} placeholder='#channel' onChange={(e) => setIrcChannel(e.target.value)}/></label>
                <label><span><input type='checkbox' checked={relayJoins} onChange={(e) => setRelayJoins(e.target.checked)}/> {t('console.irc.relayJoins')}</span></label>
                <button type='submit' className='primary'>{t('console.irc.map')}</button>
            </form>
        </section>
    );
}

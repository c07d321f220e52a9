// The built-in IRC bridge as the console sees it: the server's networks and mappings
// (/api/v4/villagepump/bridges/irc, docs/bridges.md), the network form's state, and the search
// for a channel to map. The SASL password is write-only: the server says only whether one is set.
import type {ChannelWithTeamData} from '@mattermost/types/channels';

import {client} from '../api/client';
import type {MessageId} from '../i18n/i18n';

export type SaslMechanism = '' | 'PLAIN' | 'EXTERNAL';
export const SASL_MECHANISMS: SaslMechanism[] = ['', 'PLAIN', 'EXTERNAL'];

export interface IrcNetwork {
    id: string;
    name: string;
    host: string;
    port: number;
    tls: boolean;
    tls_verify: boolean;
    nick: string;
    sasl_mechanism: SaslMechanism;
    sasl_username: string;
    client_cert_path: string;
    client_key_path: string;
    has_sasl_password: boolean;
    /** Whether a server process holds the network's connection now. */
    held: boolean;
    update_at: number;
}

export interface IrcMapping {
    id: string;
    network_id: string;
    channel_id: string;
    irc_channel: string;
    relay_joins: boolean;
    channel_name?: string;
    team_id?: string;
    channel_type?: string;
}

/** The network form: every field as typed; the port as text until it is sent. */
export interface NetworkDraft {
    name: string;
    host: string;
    port: string;
    tls: boolean;
    tls_verify: boolean;
    nick: string;
    sasl_mechanism: SaslMechanism;
    sasl_username: string;
    /** Empty while editing: the stored password stays. */
    sasl_password: string;
    client_cert_path: string;
    client_key_path: string;
}

export function emptyDraft(): NetworkDraft {
    return {
        name: '', host: '', port: '6697', tls: true, tls_verify: true, nick: '', sasl_mechanism: '',
        sasl_username: '', sasl_password: '', client_cert_path: '', client_key_path: '',
    };
}

export function draftOf(network: IrcNetwork): NetworkDraft {
    return {
        name: network.name, host: network.host, port: String(network.port), tls: network.tls,
        tls_verify: network.tls_verify, nick: network.nick, sasl_mechanism: network.sasl_mechanism,
        sasl_username: network.sasl_username, sasl_password: '', client_cert_path: network.client_cert_path,
        client_key_path: network.client_key_path,
    };
}

/** What is wrong with the form before it is sent, as a message id (the server checks again). */
export function draftProblem(draft: NetworkDraft, editing?: IrcNetwork): MessageId | null {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(draft.name.trim())) {
        return 'console.irc.problem.name';
    }
    if (!draft.host.trim() || /\s/.test(draft.host.trim())) {
        return 'console.irc.problem.host';
    }
    const port = Number(draft.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        return 'console.irc.problem.port';
    }
    if (!/^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]{0,29}$/.test(draft.nick)) {
        return 'console.irc.problem.nick';
    }
    if (draft.sasl_mechanism === 'PLAIN') {
        const keepsPassword = editing?.has_sasl_password && editing.sasl_mechanism === 'PLAIN';
        if (!draft.sasl_username || !(draft.sasl_password || keepsPassword)) {
            return 'console.irc.problem.plain';
        }
    }
    if (draft.sasl_mechanism === 'EXTERNAL' && !(draft.tls && draft.client_cert_path)) {
        return 'console.irc.problem.external';
    }
    return null;
}

/** The body of the POST (a new network) or PATCH (an edit). SASL credentials that no longer
 * apply are cleared; an edit that leaves the password empty does not send it, so it stays. */
export function networkBody(draft: NetworkDraft, editing?: IrcNetwork): Record<string, unknown> {
    const body: Record<string, unknown> = {
        name: draft.name.trim(), host: draft.host.trim(), port: Number(draft.port), tls: draft.tls,
        tls_verify: draft.tls_verify, nick: draft.nick, sasl_mechanism: draft.sasl_mechanism,
        sasl_username: draft.sasl_mechanism === 'PLAIN' ? draft.sasl_username : '',
        client_cert_path: draft.client_cert_path, client_key_path: draft.client_key_path,
    };
    if (draft.sasl_mechanism !== 'PLAIN') {
        body.sasl_password = '';
    } else if (draft.sasl_password || !editing) {
        body.sasl_password = draft.sasl_password;
    }
    return body;
}

/** `#channel` or `&channel`: anything after but space, comma, colon, BEL or NUL (RFC 2812). */
export function isIrcChannel(name: string): boolean {
    return /^[#&][^\s,\x07\x00:]{1,199}$/.test(name.trim());
}

/** Channels an admin may map: public and private ones that are not archived. */
export function mappable(channel: ChannelWithTeamData): boolean {
    return (channel.type === 'O' || channel.type === 'P') && !channel.delete_at;
}

export function channelLabel(channel: ChannelWithTeamData): string {
    return `${channel.team_display_name} / ${channel.display_name}`;
}

export type ChannelPage = (page: number, perPage: number) => Promise<ChannelWithTeamData[]>;

const PER_PAGE = 200;
const MAX_PAGES = 50;

/** Up to `limit` mappable channels whose name, display name or `team/channel` holds `term`.
 * The server has no channel search for admins (Mattermost's POST /channels/search), so this
 * reads /channels a page at a time until it has enough or the list ends. */
export async function findChannels(term: string, readPage: ChannelPage, limit = 25): Promise<ChannelWithTeamData[]> {
    const wanted = term.trim().toLowerCase();
    const found: ChannelWithTeamData[] = [];
    for (let page = 0; page < MAX_PAGES && found.length < limit; page++) {
        const channels = await readPage(page, PER_PAGE);
        for (const channel of channels) {
            const names = `${channel.display_name}\n${channel.name}\n${channel.team_name}/${channel.name}`.toLowerCase();
            if (mappable(channel) && names.includes(wanted) && found.length < limit) {
                found.push(channel);
            }
        }
        if (channels.length < PER_PAGE) {
            break;
        }
    }
    return found;
}

export const readChannelPage: ChannelPage = (page, perPage) =>
    client.getAllChannels(page, perPage, undefined, false, false, false, false, undefined, undefined);

export const irc = {
    networks: () => client.ircBridge<IrcNetwork[]>('/networks', 'get'),
    addNetwork: (body: Record<string, unknown>) => client.ircBridge<IrcNetwork>('/networks', 'post', body),
    editNetwork: (id: string, body: Record<string, unknown>) => client.ircBridge<IrcNetwork>(`/networks/${id}`, 'PATCH', body),
    removeNetwork: (id: string) => client.ircBridge<unknown>(`/networks/${id}`, 'delete'),
    mappings: () => client.ircBridge<IrcMapping[]>('/mappings', 'get'),
    addMapping: (body: {network_id: string; channel_id: string; irc_channel: string; relay_joins: boolean}) =>
        client.ircBridge<IrcMapping>('/mappings', 'post', body),
    removeMapping: (id: string) => client.ircBridge<unknown>(`/mappings/${id}`, 'delete'),
};

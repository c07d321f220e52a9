import type {ChannelWithTeamData} from '@mattermost/types/channels';
import {describe, expect, it, vi} from 'vitest';

import {draftOf, draftProblem, emptyDraft, findChannels, isIrcChannel, networkBody, type IrcNetwork, type NetworkDraft} from './ircBridge';

const libera: IrcNetwork = {
    id: 'n'.repeat(26), name: 'libera', host: 'irc.libera.chat', port: 6697, tls: true, tls_verify: true,
    nick: 'wikichat', sasl_mechanism: 'PLAIN', sasl_username: 'wikichat', client_cert_path: '', client_key_path: '',
    has_sasl_password: true, held: true, update_at: 1,
};

const draft = (fields: Partial<NetworkDraft>): NetworkDraft => ({...emptyDraft(), name: 'oftc', host: 'irc.oftc.net', nick: 'wikichat', ...fields});

function channel(name: string, fields: Partial<ChannelWithTeamData> = {}): ChannelWithTeamData {
    return {
        id: name.padEnd(26, 'x'), name, display_name: name.toUpperCase(), type: 'O', delete_at: 0,
        team_id: 't'.repeat(26), team_name: 'wikimedia', team_display_name: 'Wikimedia', team_update_at: 0, ...fields,
    } as ChannelWithTeamData;
}

describe('the IRC network form', () => {
    it('refuses what the server would refuse, before sending it', () => {
        expect(draftProblem(emptyDraft())).toBe('console.irc.problem.name');
        expect(draftProblem(draft({host: 'irc oftc'}))).toBe('console.irc.problem.host');
        expect(draftProblem(draft({port: '70000'}))).toBe('console.irc.problem.port');
        expect(draftProblem(draft({port: '66.5'}))).toBe('console.irc.problem.port');
        expect(draftProblem(draft({nick: '9lives'}))).toBe('console.irc.problem.nick');
        expect(draftProblem(draft({sasl_mechanism: 'PLAIN', sasl_username: 'me'}))).toBe('console.irc.problem.plain');
        expect(draftProblem(draft({sasl_mechanism: 'EXTERNAL', tls: false, client_cert_path: '/etc/c.pem'}))).toBe('console.irc.problem.external');
        expect(draftProblem(draft({sasl_mechanism: 'PLAIN', sasl_username: 'me', sasl_password: 'pw'}))).toBeNull();
    });

    it('never shows the stored password, and an edit that leaves it empty keeps it', () => {
        const editing = draftOf(libera);
        expect(editing.sasl_password).toBe('');
        expect(editing.port).toBe('6697');
        expect(draftProblem(editing, libera)).toBeNull();
        const body = networkBody({...editing, nick: 'wikibridge'}, libera);
        expect(body).not.toHaveProperty('sasl_password');
        expect(body).toMatchObject({nick: 'wikibridge', port: 6697, sasl_mechanism: 'PLAIN', sasl_username: 'wikichat'});
        expect(networkBody({...editing, sasl_password: 'new one'}, libera).sasl_password).toBe('new one');
        // Without a stored password, the edit must give one.
        expect(draftProblem(editing, {...libera, has_sasl_password: false})).toBe('console.irc.problem.plain');
    });

    it('clears SASL credentials that no longer apply', () => {
        const body = networkBody({...draftOf(libera), sasl_mechanism: ''}, libera);
        expect(body).toMatchObject({sasl_mechanism: '', sasl_username: '', sasl_password: ''});
        expect(networkBody(draft({sasl_mechanism: 'PLAIN', sasl_username: 'me', sasl_password: 'pw'}))).toMatchObject({sasl_password: 'pw'});
    });

    it('knows an IRC channel name', () => {
        expect(isIrcChannel('#wikidata')).toBe(true);
        expect(isIrcChannel('&local')).toBe(true);
        expect(isIrcChannel('wikidata')).toBe(false);
        expect(isIrcChannel('#a b')).toBe(false);
        expect(isIrcChannel('#a,b')).toBe(false);
        expect(isIrcChannel('#')).toBe(false);
    });
});

describe('finding a channel to bridge', () => {
    it('reads pages until it has enough, keeping only live public and private channels', async () => {
        const filler = Array.from({length: 200}, (_, i) => channel(`other-${i}`, {team_name: 'elsinore'}));
        const pages = [
            filler,
            [channel('wiki-dm', {type: 'D'}), channel('wiki-old', {delete_at: 5}), channel('wikidata'), channel('wiki-secret', {type: 'P'})],
        ];
        const readPage = vi.fn((page: number) => Promise.resolve(pages[page] ?? []));
        const found = await findChannels('WIKI', readPage);
        expect(found.map((c) => c.name)).toEqual(['wikidata', 'wiki-secret']);
        // The second page was short: the list ended there.
        expect(readPage).toHaveBeenCalledTimes(2);
    });

    it('matches team/channel and stops at the limit', async () => {
        const page = Array.from({length: 200}, (_, i) => channel(`chan-${i}`));
        const readPage = vi.fn(() => Promise.resolve(page));
        expect((await findChannels('wikimedia/chan-1', readPage, 3)).map((c) => c.name)).toEqual(['chan-1', 'chan-10', 'chan-11']);
        expect(readPage).toHaveBeenCalledTimes(1);
    });
});

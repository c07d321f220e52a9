import {describe, expect, it} from 'vitest';

import type {UserProfile} from '@mattermost/types/users';

import {makeChannel, makeMember, stateWith} from '../test/fixtures';
import {switcherCandidates} from './candidates';
import {matchScore, rankCandidates, type Candidate} from './rank';

function candidate(title: string, fields: Partial<Candidate> = {}): Candidate {
    return {id: title, kind: 'channel', title, aliases: [], unread: false, mentions: 0, recency: 0, ...fields};
}

describe('the switcher\'s matching', () => {
    it('ranks whole, prefix, word-start, substring and scattered matches in that order', () => {
        const scores = ['Town Square', 'Town', 'Old Town', 'Downtown', 'Tiny owls in the world'].map((text) => matchScore('town', text));
        expect(scores[1]).toBeGreaterThan(scores[0]);
        expect(scores[0]).toBeGreaterThan(scores[2]);
        expect(scores[2]).toBeGreaterThan(scores[3]);
        expect(scores[3]).toBeGreaterThan(scores[4]);
        expect(scores[4]).toBeGreaterThan(0);
        expect(matchScore('tsq', 'town-square')).toBeGreaterThan(0);
        expect(matchScore('xyz', 'town-square')).toBe(0);
    });

    it('ignores case and accents', () => {
        expect(matchScore('cafe', 'Café Talk')).toBeGreaterThan(matchScore('cafe', 'Chat about faces'));
    });

    it('puts unread channels first when nothing is typed, then the most recent', () => {
        const ranked = rankCandidates('', [
            candidate('old'),
            candidate('recent', {recency: 50}),
            candidate('unread', {unread: true}),
            candidate('mentioned', {unread: true, mentions: 2}),
        ]);
        expect(ranked.map((c) => c.title)).toEqual(['mentioned', 'unread', 'recent', 'old']);
    });

    it('prefers the better match over unread, and unread among equal matches', () => {
        const ranked = rankCandidates('ham', [
            candidate('Shambles', {unread: true}),
            candidate('hamlet-fans'),
            candidate('hamlet-chat', {unread: true}),
            candidate('Ophelia'),
        ]);
        expect(ranked.map((c) => c.title)).toEqual(['hamlet-chat', 'hamlet-fans', 'Shambles']);
    });

    it('finds people by username or full name, after channels that match as well', () => {
        const ranked = rankCandidates('oph', [
            candidate('ophelia', {kind: 'user', aliases: ['Ophelia Polonius']}),
            candidate('Ophelia\'s garden'),
            candidate('poloniusfan', {kind: 'user', aliases: ['Ophelia Fan']}),
        ]);
        expect(ranked.map((c) => c.title)).toEqual(['Ophelia\'s garden', 'ophelia', 'poloniusfan']);
    });
});

describe('what the switcher offers', () => {
    it('the user\'s channels in this team and their direct messages, and people without one yet', () => {
        const state = stateWith({
            channels: {
                town: makeChannel(),
                other: makeChannel({id: 'other', name: 'elsewhere', team_id: 'norway'}),
                notjoined: makeChannel({id: 'notjoined', name: 'not-joined'}),
                gone: makeChannel({id: 'gone', name: 'gone', delete_at: 5}),
                dm: makeChannel({id: 'dm', name: 'hamlet__othello', type: 'D', team_id: '', display_name: ''}),
            },
            members: {
                town: makeMember(),
                other: makeMember({channel_id: 'other'}),
                gone: makeMember({channel_id: 'gone'}),
                dm: makeMember({channel_id: 'dm', mention_count_root: 1}),
            },
            users: {othello: {id: 'othello', username: 'othello', first_name: 'Othello', last_name: 'Moor', nickname: ''} as UserProfile},
        });
        const people = [
            {id: 'othello', username: 'othello', first_name: '', last_name: '', nickname: '', delete_at: 0},
            {id: 'iago', username: 'iago', first_name: 'Iago', last_name: '', nickname: '', delete_at: 0},
            {id: 'hamlet', username: 'hamlet', first_name: '', last_name: '', nickname: '', delete_at: 0},
        ] as UserProfile[];
        const candidates = switcherCandidates(state, 'denmark', people);
        expect(candidates.map((c) => `${c.kind}:${c.title}`).sort()).toEqual(['channel:Town Square', 'channel:othello', 'user:iago']);
        const dm = candidates.find((c) => c.id === 'dm')!;
        expect(dm.mentions).toBe(1);
        expect(rankCandidates('moor', candidates).map((c) => c.id)).toEqual(['dm']);
    });
});

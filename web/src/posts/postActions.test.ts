import {describe, expect, it} from 'vitest';

import {makeChannel, makeMember, stateWith} from '../test/fixtures';
import {applyUnread, permalink} from './postActions';
import {quickReactions} from './PostActions';
import {applySavedPreferences} from './saved';

describe('message actions', () => {
    it('builds Mattermost\'s permalink', () => {
        expect(permalink('https://chat.example', 'denmark', 'p1')).toBe('https://chat.example/denmark/pl/p1');
    });

    it('marking unread puts the counts back and moves the new-messages line', () => {
        const channel = makeChannel();
        const state = stateWith({channels: {[channel.id]: channel}, members: {[channel.id]: makeMember({channel_id: channel.id, msg_count: 5, msg_count_root: 5})}});
        const channelId = channel.id;
        const next = applyUnread(state, {channel_id: channelId, msg_count: 1, msg_count_root: 1, mention_count: 0, mention_count_root: 0, last_viewed_at: 1234});
        expect(next.members[channelId]).toMatchObject({msg_count: 1, msg_count_root: 1, last_viewed_at: 1234});
        expect(next.readMarks[channelId]).toBe(1234);
        expect(applyUnread(state, {channel_id: 'unknown', last_viewed_at: 1})).toBe(state);
    });

    it('keeps the saved set from flagged_post preferences', () => {
        const saved = applySavedPreferences(new Set(), [
            {user_id: 'u', category: 'flagged_post', name: 'p1', value: 'true'},
            {user_id: 'u', category: 'display_settings', name: 'p2', value: 'true'},
        ]);
        expect([...saved]).toEqual(['p1']);
        expect([...applySavedPreferences(saved, [{user_id: 'u', category: 'flagged_post', name: 'p1', value: 'true'}], true)]).toEqual([]);
    });

    it('offers the reader\'s most used reactions first, then common ones', () => {
        expect(quickReactions([])).toEqual(['+1', 'heart', 'smile', 'tada', 'eyes', 'white_check_mark']);
        expect(quickReactions(['avocado', 'heart'])).toEqual(['avocado', 'heart', '+1', 'smile', 'tada', 'eyes']);
    });
});

import {describe, expect, it} from 'vitest';

import {isFromWebhook, postAuthorName} from './IntegrationBadge';

describe('webhook posts', () => {
    it('show the name a webhook gave only when the server marked the post as a webhook\'s', () => {
        const marked = {props: {from_webhook: 'true', override_username: 'ci-bot'}};
        expect(isFromWebhook(marked)).toBe(true);
        expect(postAuthorName(marked, 'iago')).toBe('ci-bot');
        // A name without the server's mark is ignored: the post shows its real author.
        expect(postAuthorName({props: {override_username: 'sysadmin'}}, 'hamlet')).toBe('hamlet');
        expect(postAuthorName({props: {from_webhook: 'true'}}, 'iago')).toBe('iago');
        expect(isFromWebhook({props: {}})).toBe(false);
    });
});

import {describe, expect, it} from 'vitest';

import type {DataExport} from '../api/client';
import {dismissalKey, exportState, formatSize} from './dataExport';

function exported(status: DataExport['status'], expireAt = 0): DataExport {
    return {id: 'e', user_id: 'u', status, create_at: 0, finish_at: 0, expire_at: expireAt, size: 0, download_url: ''};
}

describe('personal data export', () => {
    it('shows the latest export as working, ready, expired or failed', () => {
        expect(exportState(null, 10)).toBe('none');
        expect(exportState(exported('pending'), 10)).toBe('working');
        expect(exportState(exported('in_progress'), 10)).toBe('working');
        expect(exportState(exported('ready', 20), 10)).toBe('ready');
        // A link past its time is expired before the server's clean-up has run.
        expect(exportState(exported('ready', 20), 20)).toBe('expired');
        expect(exportState(exported('expired'), 10)).toBe('expired');
        expect(exportState(exported('error'), 10)).toBe('failed');
    });

    it('writes sizes in the largest unit that fits', () => {
        expect(formatSize(512)).toBe('512 B');
        expect(formatSize(2048)).toBe('2.0 KB');
        expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB');
    });

    it('dismisses the warning for one day per user', () => {
        const day = 86_400_000;
        expect(dismissalKey('u', 3 * day + 5)).toBe(dismissalKey('u', 3 * day + 999));
        expect(dismissalKey('u', 3 * day)).not.toBe(dismissalKey('u', 4 * day));
        expect(dismissalKey('u', 0)).not.toBe(dismissalKey('v', 0));
    });
});

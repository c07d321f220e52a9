import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {describe, expect, it, vi} from 'vitest';

import type {Post} from '@mattermost/types/posts';

import ReportDialog from './ReportDialog';
import {ReportQueue} from './ReportQueue';
import {isModerator, reasonLabel, type Report} from './reports';

const sent: unknown[] = [];
const report: Report = {
    id: 'r1', create_at: 1, update_at: 1, reporter_id: 'u1', post_id: 'p2', channel_id: 'c1', reported_user_id: 'u2',
    reason: 'harassment', comment: 'again', status: 'open', closed_at: 0, closed_by: '', note: '',
    snapshot: {
        post: {id: 'p2', user_id: 'u2', username: 'othello', message: 'you villain', type: '', create_at: 2, edit_at: 0, root_id: '', file_names: []},
        before: [{id: 'p1', user_id: 'u1', username: 'hamlet', message: 'hello', type: '', create_at: 1, edit_at: 0, root_id: '', file_names: []}],
        after: [],
        channel: {id: 'c1', team_id: '', type: 'D', name: 'u1__u2', display_name: 'hamlet, othello'},
    },
};
vi.mock('../api/client', () => ({
    client: {
        getReportReasons: () => Promise.resolve(['spam', 'harassment', 'rudeness']),
        createReport: (...args: unknown[]) => { sent.push(args); return Promise.resolve({}); },
        getReports: () => Promise.resolve([report]),
        closeReport: (...args: unknown[]) => { sent.push(args); return Promise.resolve({...report, status: 'resolved'}); },
        getProfilesByIds: () => Promise.resolve([]),
    },
    socket: {addMessageListener: () => undefined, removeMessageListener: () => undefined},
    errorMessage: (error: unknown) => String(error),
}));

describe('reports', () => {
    it('names the default reasons and keeps an admin\'s own as written', () => {
        expect(reasonLabel('code_of_conduct')).toBe('Code of conduct violation');
        expect(reasonLabel('rudeness')).toBe('rudeness');
        expect(isModerator('system_user system_moderator')).toBe(true);
        expect(isModerator('system_user')).toBe(false);
    });

    it('sends a report with the chosen reason and comment', async () => {
        sent.length = 0;
        await act(async () => {
            render(<ReportDialog post={{id: 'p2', user_id: 'u2', message: 'you villain'} as Post} onClose={() => {}}/>);
        });
        fireEvent.change(screen.getByLabelText('Reason'), {target: {value: 'harassment'}});
        fireEvent.change(screen.getByLabelText('Comment (optional)'), {target: {value: 'again'}});
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Send report'}));
        });
        expect(sent).toEqual([['p2', 'harassment', 'again']]);
        expect(screen.getByRole('status').textContent).toContain('Thank you');
    });

    it('shows the snapshot with the reported message marked, and resolves with a note', async () => {
        sent.length = 0;
        await act(async () => {
            render(<ReportQueue/>);
        });
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: /Harassment: @othello/}));
        });
        expect(document.querySelector('[aria-current="true"]')?.textContent).toContain('you villain');
        fireEvent.change(screen.getByLabelText('Note'), {target: {value: 'warned'}});
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Resolve'}));
        });
        expect(sent).toEqual([['r1', 'resolve', 'warned']]);
    });
});

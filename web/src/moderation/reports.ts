// Reports of posts to the moderators: the server's own objects (Mattermost has none), under
// /api/v4/villagepump/reports.
import {t, type MessageId} from '../i18n/i18n';

export interface ReportedPost {
    id: string;
    user_id: string;
    username: string;
    message: string;
    type: string;
    create_at: number;
    edit_at: number;
    root_id: string;
    file_names: string[];
}

export interface Report {
    id: string;
    create_at: number;
    update_at: number;
    reporter_id: string;
    post_id: string;
    channel_id: string;
    reported_user_id: string;
    reason: string;
    comment: string;
    status: 'open' | 'resolved' | 'dismissed';
    closed_at: number;
    closed_by: string;
    note: string;
    /** The copy taken when the report was filed: later edits and deletes do not change it. */
    snapshot: {
        post: ReportedPost;
        before: ReportedPost[];
        after: ReportedPost[];
        channel: {id: string; team_id: string; type: string; name: string; display_name: string};
    };
}

export type ReportFilter = 'open' | 'resolved' | 'dismissed' | 'all';

export const REPORT_CREATED = 'custom_villagepump_report_created';
export const REPORT_UPDATED = 'custom_villagepump_report_updated';

// The server's default reasons, translated; reasons an admin added show as they were written.
const KNOWN_REASONS: Record<string, MessageId> = {
    spam: 'report.reason.spam',
    harassment: 'report.reason.harassment',
    code_of_conduct: 'report.reason.codeOfConduct',
    other: 'report.reason.other',
};

export function reasonLabel(reason: string): string {
    const key = KNOWN_REASONS[reason];
    return key ? t(key) : reason;
}

export function isModerator(roles: string | undefined): boolean {
    const held = (roles ?? '').split(' ');
    return held.includes('system_moderator') || held.includes('system_admin');
}

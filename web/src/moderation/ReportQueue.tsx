import {useCallback, useEffect, useState} from 'react';

import type {WebSocketMessage} from '@mattermost/client';

import {client, errorMessage, socket} from '../api/client';
import {formatDateTime, t, type MessageId} from '../i18n/i18n';
import {loadUsers} from '../store/actions';
import {useAppState} from '../store/state';
import {REPORT_CREATED, REPORT_UPDATED, reasonLabel, type Report, type ReportFilter, type ReportedPost} from './reports';
import './moderation.css';

const PAGE = 60;
const FILTERS: ReportFilter[] = ['open', 'resolved', 'dismissed', 'all'];
const FILTER_LABELS: Record<ReportFilter, MessageId> = {
    open: 'reports.filter.open',
    resolved: 'reports.filter.resolved',
    dismissed: 'reports.filter.dismissed',
    all: 'reports.filter.all',
};

function channelLabel(report: Report): string {
    const channel = report.snapshot.channel;
    return channel.type === 'O' || channel.type === 'P' ? `~${channel.display_name || channel.name}` : channel.display_name;
}

/** The moderators' queue: reports listed by status, each read from its own snapshot (never from
 * the conversation, which the moderator may not be in), and resolved or dismissed with a note.
 * Updates live from the moderators' events. The System Console mounts it (console/sections.ts). */
export function ReportQueue() {
    const [filter, setFilter] = useState<ReportFilter>('open');
    const [reports, setReports] = useState<Report[]>([]);
    const [more, setMore] = useState(false);
    const [selectedId, setSelectedId] = useState('');
    const [error, setError] = useState('');

    const load = useCallback(async (pages: number) => {
        try {
            const found = await client.getReports(filter, 0, PAGE * pages);
            setReports(found);
            setMore(found.length === PAGE * pages);
            setError('');
        } catch (failure) {
            setError(errorMessage(failure));
        }
    }, [filter]);
    const [pages, setPages] = useState(1);

    useEffect(() => { void load(pages); }, [load, pages]);
    useEffect(() => {
        const listener = (message: WebSocketMessage) => {
            const event = message.event as string;
            if (event === REPORT_CREATED || event === REPORT_UPDATED) {
                void load(pages);
            }
        };
        socket.addMessageListener(listener);
        return () => socket.removeMessageListener(listener);
    }, [load, pages]);

    const selected = reports.find((report) => report.id === selectedId);
    const closed = (report: Report) => {
        setReports((current) => current.map((one) => (one.id === report.id ? report : one)));
        void load(pages);
    };

    return (
        <div className='report-queue'>
            <label className='report-filter'>{t('reports.filter')}
                <select value={filter} onChange={(e) => { setFilter(e.target.value as ReportFilter); setPages(1); }}>
                    {FILTERS.map((name) => <option key={name} value={name}>{t(FILTER_LABELS[name])}</option>)}
                </select>
            </label>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='report-panes'>
                <div>
                    {reports.length === 0 ? <p className='hint'>{t('reports.none')}</p> : (
                        <ul className='report-list' aria-label={t('reports.list')}>
                            {reports.map((report) => (
                                <li key={report.id}>
                                    <button type='button' className={report.id === selectedId ? 'report-item selected' : 'report-item'}
                                        aria-pressed={report.id === selectedId} onClick={() => setSelectedId(report.id)}>
                                        {t('reports.item', {
                                            reason: reasonLabel(report.reason),
                                            author: report.snapshot.post.username,
                                            channel: channelLabel(report),
                                            time: formatDateTime(report.create_at),
                                        })}
                                    </button>
                                </li>
                            ))}
                        </ul>
                    )}
                    {more && <button type='button' className='link-button' onClick={() => setPages(pages + 1)}>{t('reports.more')}</button>}
                </div>
                {selected ? <ReportDetails key={selected.id} report={selected} onClosed={closed}/> : <p className='hint'>{t('reports.pick')}</p>}
            </div>
        </div>
    );
}

function ReportDetails({report, onClosed}: {report: Report; onClosed: (report: Report) => void}) {
    const users = useAppState((state) => state.users);
    const [note, setNote] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const nameOf = (id: string) => (users[id] ? `@${users[id].username}` : id);
    const {snapshot} = report;
    useEffect(() => {
        loadUsers([report.reporter_id, report.closed_by]).catch(() => undefined);
    }, [report.reporter_id, report.closed_by]);

    const close = async (verb: 'resolve' | 'dismiss') => {
        setBusy(true);
        try {
            onClosed(await client.closeReport(report.id, verb, note));
            setError('');
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setBusy(false);
        }
    };

    return (
        <section className='report-details' aria-label={t('reports.reported')}>
            <p>{reasonLabel(report.reason)} · {channelLabel(report)} · {t('reports.reporter', {name: nameOf(report.reporter_id)})}</p>
            {report.comment && (
                <>
                    <h3>{t('reports.reporterComment')}</h3>
                    <p className='report-comment'>{report.comment}</p>
                </>
            )}
            <h3>{t('reports.context')}</h3>
            {/* It scrolls, so it takes the keyboard's focus to be scrolled without a mouse. */}
            <ol className='report-snapshot' tabIndex={0} aria-label={t('reports.context')}>
                {snapshot.before.map((post) => <SnapshotPost key={post.id} post={post}/>)}
                <SnapshotPost post={snapshot.post} reported/>
                {snapshot.after.map((post) => <SnapshotPost key={post.id} post={post}/>)}
            </ol>
            <p>{t('reports.status', {status: t(FILTER_LABELS[report.status])})}</p>
            {report.status === 'open' ? (
                <>
                    <label className='report-note'>{t('reports.note')}
                        <textarea value={note} maxLength={4000} rows={2} onChange={(e) => setNote(e.target.value)}/>
                    </label>
                    {error && <p className='form-error' role='alert'>{error}</p>}
                    <div className='dialog-buttons'>
                        <button type='button' disabled={busy} onClick={() => void close('dismiss')}>{t('reports.dismiss')}</button>
                        <button type='button' className='primary' disabled={busy} onClick={() => void close('resolve')}>{t('reports.resolve')}</button>
                    </div>
                </>
            ) : (
                <>
                    <p className='hint'>{t('reports.closedBy', {name: nameOf(report.closed_by), time: formatDateTime(report.closed_at)})}</p>
                    {report.note && <p className='report-comment'>{report.note}</p>}
                </>
            )}
        </section>
    );
}

function SnapshotPost({post, reported = false}: {post: ReportedPost; reported?: boolean}) {
    return (
        <li className={reported ? 'report-post reported' : 'report-post'} aria-current={reported ? 'true' : undefined}>
            {reported && <span className='visually-hidden'>{t('reports.reported')}: </span>}
            <strong>@{post.username}</strong> <span className='hint'>{formatDateTime(post.create_at)}</span>
            <div className='report-post-message'>{post.message}</div>
            {post.file_names.length > 0 && <div className='hint'>{t('reports.files', {names: post.file_names.join(', ')})}</div>}
        </li>
    );
}

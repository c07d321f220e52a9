import {useEffect, useState, type FormEvent} from 'react';

import type {Post} from '@mattermost/types/posts';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {useAppState} from '../store/state';
import {reasonLabel} from './reports';
import './moderation.css';

const MAX_COMMENT = 4000;

/** "Report message": a reason from the server's list and a comment, sent to the moderators. The
 * author never learns who reported them; the dialog says so. */
export default function ReportDialog({post, onClose}: {post: Post; onClose: () => void}) {
    const author = useAppState((state) => state.users[post.user_id]?.username ?? '');
    const [reasons, setReasons] = useState<string[]>([]);
    const [reason, setReason] = useState('');
    const [comment, setComment] = useState('');
    const [sending, setSending] = useState(false);
    const [sent, setSent] = useState(false);
    const [error, setError] = useState('');

    useEffect(() => {
        client.getReportReasons().then((found) => {
            setReasons(found);
            setReason((current) => current || found[0] || '');
        }).catch((failure) => setError(errorMessage(failure)));
    }, []);

    const submit = async (event: FormEvent) => {
        event.preventDefault();
        setSending(true);
        try {
            await client.createReport(post.id, reason, comment);
            setSent(true);
            setError('');
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setSending(false);
        }
    };

    return (
        <Dialog title={t('report.title')} onClose={onClose}>
            {sent ? (
                <>
                    <p role='status'>{t('report.sent')}</p>
                    <div className='dialog-buttons'>
                        <button type='button' onClick={onClose}>{t('dialog.close')}</button>
                    </div>
                </>
            ) : (
                <form className='report-form' onSubmit={submit}>
                    <p className='hint'>{t('report.hint', {name: author ? `@${author}` : ''})}</p>
                    <blockquote className='report-quote' tabIndex={0}>{post.message}</blockquote>
                    <label>{t('report.reason')}
                        <select value={reason} required onChange={(e) => setReason(e.target.value)}>
                            {reasons.map((name) => <option key={name} value={name}>{reasonLabel(name)}</option>)}
                        </select>
                    </label>
                    <label>{t('report.comment')}
                        <textarea value={comment} maxLength={MAX_COMMENT} rows={3} onChange={(e) => setComment(e.target.value)}/>
                    </label>
                    {error && <p className='form-error' role='alert'>{error}</p>}
                    <div className='dialog-buttons'>
                        <button type='button' onClick={onClose}>{t('dialog.cancel')}</button>
                        <button type='submit' className='primary' disabled={sending || !reason}>{t('report.submit')}</button>
                    </div>
                </form>
            )}
        </Dialog>
    );
}

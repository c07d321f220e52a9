import {useState} from 'react';

import type {Post} from '@mattermost/types/posts';

import {errorMessage} from '../api/client';
import {deferred} from '../app/deferred';
import {Emoji} from '../emoji/Emoji';
import {LazyEmojiPicker} from '../emoji/PickerButton';
import {recentOrder, useEmojiPreferences} from '../emoji/recent';
import {t} from '../i18n/i18n';
import {isRemovedByModerator, useModeratorPostItems} from '../moderation/moderatorItems';
import {QUICK_REACTIONS} from '../markdown/emoji';
import {deletePost, toggleReaction} from '../store/actions';
import {store} from '../store/state';
import {Dialog} from './Dialog';
import {Icon} from './icons';
import {copyLink, markUnread, reactWith, setPinned} from './postActions';
import {PostMenu, type MenuItem} from './PostMenu';
import {setSaved} from './saved';

// Opened rarely: loads when first asked for.
const ReportDialog = deferred(() => import('../moderation/ReportDialog').then((m) => m.default), {prefetch: false});

const QUICK_COUNT = 6;

/** The reactions offered in one click: the reader's most used, topped up with common ones. */
export function quickReactions(recent: string[]): string[] {
    return [...new Set([...recent, ...QUICK_REACTIONS])].slice(0, QUICK_COUNT);
}

interface Props {
    post: Post;
    mine: boolean;
    saved: boolean;
    /** On a phone: the menu opened by a long press, shown as a sheet. */
    menuOpen: boolean;
    setMenuOpen: (open: boolean) => void;
    sheet: boolean;
    onError: (message: string) => void;
    openThread: () => void;
    /** Where the menu's "Copy link" reports that it copied. */
    onCopied: () => void;
}

/** The toolbar a post shows on hover or focus, its "more" menu, and the dialogs they open. */
export function PostActions({post, mine, saved, menuOpen, setMenuOpen, sheet, onError, openThread, onCopied}: Props) {
    const [quickOpen, setQuickOpen] = useState(false);
    const [picking, setPicking] = useState(false);
    const [confirmingDelete, setConfirmingDelete] = useState(false);
    const [reporting, setReporting] = useState(false);
    const {recent} = useEmojiPreferences();
    const run = (work: Promise<unknown>) => void work.catch((failure) => onError(errorMessage(failure)));
    const react = (emoji: string) => run(toggleReaction(post, emoji));
    const edit = () => store.update((state) => ({...state, editingPostId: post.id}));
    const [moderatorItems, moderatorDialog] = useModeratorPostItems(post);
    // A message a moderator removed cannot be edited back (the server refuses it too).
    const editable = mine && !isRemovedByModerator(post);

    const items: MenuItem[] = [
        {id: 'reply', label: t('post.reply'), run: openThread},
        {id: 'react', label: t('post.react'), run: () => setPicking(true)},
        ...(editable ? [{id: 'edit', label: t('post.edit'), run: edit}] : []),
        {id: 'pin', label: post.is_pinned ? t('post.unpin') : t('post.pin'), run: () => run(setPinned(post, !post.is_pinned))},
        {id: 'save', label: saved ? t('post.unsave') : t('post.saveForLater'), run: () => run(setSaved(post.id, !saved))},
        {id: 'link', label: t('post.copyLink'), run: () => run(copyLink(post).then(onCopied))},
        {id: 'unread', label: t('post.markUnread'), run: () => run(markUnread(post))},
        ...(mine ? [{id: 'delete', label: t('post.delete'), run: () => setConfirmingDelete(true), danger: true}] : []),
        ...(mine ? [] : [{id: 'report', label: t('post.report'), run: () => setReporting(true)}]),
        ...moderatorItems,
    ];

    return (
        <>
            <div className='post-actions' role='toolbar' aria-label={t('post.actions')}>
                <button type='button' aria-label={t('post.react')} title={t('post.react')} aria-expanded={quickOpen}
                    onClick={() => setQuickOpen(!quickOpen)}><Icon name='react'/></button>
                <button type='button' aria-label={t('post.reply')} title={t('post.reply')} onClick={openThread}><Icon name='reply'/></button>
                {editable && (
                    <button type='button' aria-label={t('post.edit')} title={t('post.edit')} onClick={edit}><Icon name='edit'/></button>
                )}
                {mine && (
                    <button type='button' aria-label={t('post.delete')} title={t('post.delete')} onClick={() => setConfirmingDelete(true)}><Icon name='delete'/></button>
                )}
                <button type='button' aria-label={t('post.more')} title={t('post.more')} aria-haspopup='menu' aria-expanded={menuOpen}
                    onClick={() => setMenuOpen(!menuOpen)}><Icon name='more'/></button>
                {quickOpen && (
                    <div className='reaction-picker' role='group' aria-label={t('post.react')}>
                        {quickReactions(recentOrder(recent)).map((emoji) => (
                            <button key={emoji} type='button' aria-label={t('post.reactWith', {emoji})} onClick={() => {
                                setQuickOpen(false);
                                react(emoji);
                            }}><Emoji name={emoji}/></button>
                        ))}
                        <button type='button' className='more-emoji' aria-label={t('emoji.more')} title={t('emoji.more')} onClick={() => {
                            setQuickOpen(false);
                            setPicking(true);
                        }}>+</button>
                    </div>
                )}
                {menuOpen && !sheet && <PostMenu items={items} sheet={false} onClose={() => setMenuOpen(false)}/>}
            </div>
            {menuOpen && sheet && <PostMenu items={items} sheet onClose={() => setMenuOpen(false)}/>}
            {picking && (
                <LazyEmojiPicker title={t('post.react')} onClose={() => setPicking(false)} onPick={(name) => {
                    setPicking(false);
                    run(reactWith(post, name));
                }}/>
            )}
            {reporting && (
                <ReportDialog post={post} onClose={() => setReporting(false)}/>
            )}
            {moderatorDialog}
            {confirmingDelete && (
                <Dialog title={t('post.deleteTitle')} onClose={() => setConfirmingDelete(false)}>
                    <p>{t('post.deleteConfirm')}</p>
                    <div className='dialog-buttons'>
                        <button type='button' onClick={() => setConfirmingDelete(false)}>{t('dialog.cancel')}</button>
                        <button type='button' className='danger' onClick={() => {
                            setConfirmingDelete(false);
                            run(deletePost(post));
                        }}>{t('post.deleteSubmit')}</button>
                    </div>
                </Dialog>
            )}
        </>
    );
}

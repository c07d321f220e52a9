import {useEffect, useState} from 'react';

import type {FileInfo} from '@mattermost/types/files';
import type {Team} from '@mattermost/types/teams';

import {client, errorMessage} from '../api/client';
import {deferred} from '../app/deferred';
import {navigate} from '../app/router';
import {formatDateTime, t} from '../i18n/i18n';
import {channelPostsOf} from '../store/posts';
import {useAppState, type State} from '../store/state';
import {downloadUrl} from './Attachments';
import {loadChannelFiles} from './channelFiles';
import {formatSize, KIND_ICON, kindOf} from './kinds';
import './files.css';

const ImageViewer = deferred(() => import('./ImageViewer').then((m) => m.default));

interface Listed {
    files: FileInfo[];
    hasMore: boolean;
    page: number;
}

/** The right-hand panel's list of the files shared in a channel, newest first. */
export function ChannelFiles({channelId, team}: {channelId: string; team: Team}) {
    const [listed, setListed] = useState<Listed | null>(null);
    const [error, setError] = useState('');
    const [loadingMore, setLoadingMore] = useState(false);
    const [viewing, setViewing] = useState<number | null>(null);
    // A message with files posted (or deleted) while the list is open lists them again.
    const postsWithFiles = useAppState((state) => postsWithFilesIn(state, channelId));

    useEffect(() => {
        let current = true;
        loadChannelFiles(team.id, channelId, [], 0).then(
            (found) => current && setListed({...found, page: 0}),
            (failure) => current && setError(errorMessage(failure)),
        );
        return () => {
            current = false;
        };
    }, [team.id, channelId, postsWithFiles]);

    async function loadMore() {
        if (!listed) {
            return;
        }
        setLoadingMore(true);
        try {
            const next = await loadChannelFiles(team.id, channelId, listed.files, listed.page + 1);
            setListed({...next, page: listed.page + 1});
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setLoadingMore(false);
        }
    }

    if (error) {
        return <p className='form-error' role='alert'>{error}</p>;
    }
    if (listed === null) {
        return <p className='hint panel-status' role='status'>{t('app.loading')}</p>;
    }
    if (listed.files.length === 0) {
        return <p className='empty-state'>{t('lists.noFiles')}</p>;
    }
    const images = listed.files.filter((file) => kindOf(file.mime_type, file.extension) === 'image' && file.width > 0 && file.height > 0);
    return (
        <>
            <ol className='file-results' aria-label={t('lists.files')}>
                {listed.files.map((file) => (
                    <FileResult key={file.id} file={file} team={team} imageIndex={images.indexOf(file)} onOpen={setViewing}/>
                ))}
                {listed.hasMore && (
                    <li className='load-more'>
                        <button type='button' onClick={() => void loadMore()} disabled={loadingMore}>
                            {loadingMore ? t('app.loading') : t('lists.moreFiles')}
                        </button>
                    </li>
                )}
            </ol>
            {viewing !== null && (
                <ImageViewer images={images} start={viewing} onClose={() => setViewing(null)}/>
            )}
        </>
    );
}

function postsWithFilesIn(state: State, channelId: string): string {
    return channelPostsOf(state, channelId).order.filter((id) => state.posts[id]?.file_ids?.length).join(',');
}

function FileResult({file, team, imageIndex, onOpen}: {file: FileInfo; team: Team; imageIndex: number; onOpen: (index: number) => void}) {
    const author = useAppState((state) => state.users[file.user_id]);
    const kind = kindOf(file.mime_type, file.extension);
    return (
        <li className='file-result' data-file-id={file.id}>
            {imageIndex >= 0
                ? (
                    <button type='button' className='file-thumbnail' onClick={() => onOpen(imageIndex)}
                        aria-label={t('files.open', {name: file.name})} title={file.name}>
                        <img src={client.getFileThumbnailUrl(file.id, 0)} alt='' width={48} height={48} loading='lazy' decoding='async'/>
                    </button>
                )
                : <span className='file-thumbnail attachment-icon' aria-hidden='true'>{KIND_ICON[kind]}</span>}
            <div className='file-result-details'>
                <span className='attachment-name' title={file.name} dir='auto'>{file.name}</span>
                <span className='hint file-result-meta'>
                    <span className='attachment-size'>{formatSize(file.size)}</span>
                    {' · '}<span className='file-result-author'>{author?.username ?? '…'}</span>
                    {' · '}<time dateTime={new Date(file.create_at).toISOString()}>{formatDateTime(file.create_at)}</time>
                </span>
            </div>
            <div className='file-result-actions'>
                <a href={downloadUrl(file)} download={file.name}
                    aria-label={t('files.download', {name: file.name})}>{t('files.downloadShort')}</a>
                {file.post_id && (
                    <button type='button' className='link-button' onClick={() => navigate(`/${team.name}/pl/${file.post_id}`)}
                        aria-label={t('files.jumpTo', {name: file.name})}>{t('lists.jump')}</button>
                )}
            </div>
        </li>
    );
}

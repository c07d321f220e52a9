import {useState} from 'react';

import type {FileInfo} from '@mattermost/types/files';

import {client} from '../api/client';
import {deferred} from '../app/deferred';
import {t} from '../i18n/i18n';
import {formatSize, KIND_ICON, kindOf} from './kinds';
import './files.css';

const ImageViewer = deferred(() => import('./ImageViewer').then((m) => m.default));

/** The box a thumbnail fits in; its size is set before the image loads, so nothing jumps. */
const THUMB_WIDTH = 320;
const THUMB_HEIGHT = 240;

export function fitWithin(width: number, height: number, maxWidth = THUMB_WIDTH, maxHeight = THUMB_HEIGHT): {width: number; height: number} {
    if (!(width > 0) || !(height > 0)) {
        return {width: maxWidth, height: maxHeight};
    }
    const scale = Math.min(1, maxWidth / width, maxHeight / height);
    return {width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale))};
}

export function downloadUrl(file: FileInfo): string {
    return `${client.getFileUrl(file.id, 0)}?download=1`;
}

/** Images as thumbnails (a click opens the viewer), video and audio inline, anything else a card. */
export function Attachments({files}: {files: FileInfo[]}) {
    const [viewing, setViewing] = useState<number | null>(null);
    const kinds = files.map((file) => kindOf(file.mime_type, file.extension));
    const images = files.filter((file, i) => kinds[i] === 'image' && file.width > 0 && file.height > 0);
    return (
        <div className='attachments'>
            {files.map((file, i) => {
                const kind = kinds[i];
                const imageIndex = images.indexOf(file);
                if (imageIndex >= 0) {
                    const size = fitWithin(file.width, file.height);
                    const src = file.has_preview_image ? client.getFilePreviewUrl(file.id, 0) : client.getFileUrl(file.id, 0);
                    return (
                        <button key={file.id} type='button' className='attachment-image' onClick={() => setViewing(imageIndex)}
                            aria-label={t('files.open', {name: file.name})} title={file.name}>
                            <img src={src} alt={file.name} width={size.width} height={size.height} loading='lazy' decoding='async'/>
                        </button>
                    );
                }
                if (kind === 'video') {
                    return (
                        <figure key={file.id} className='attachment-media'>
                            <video controls preload='metadata' src={client.getFileUrl(file.id, 0)} aria-label={file.name}/>
                            <figcaption><FileLink file={file}/></figcaption>
                        </figure>
                    );
                }
                if (kind === 'audio') {
                    return (
                        <figure key={file.id} className='attachment-media'>
                            <audio controls preload='metadata' src={client.getFileUrl(file.id, 0)} aria-label={file.name}/>
                            <figcaption><FileLink file={file}/></figcaption>
                        </figure>
                    );
                }
                return (
                    <div key={file.id} className='attachment-card' data-kind={kind}>
                        <span className='attachment-icon' aria-hidden='true'>{KIND_ICON[kind]}</span>
                        <span className='attachment-details'>
                            <span className='attachment-name' title={file.name}>{file.name}</span>
                            <span className='attachment-size'>{formatSize(file.size)}</span>
                        </span>
                        <a className='attachment-download' href={downloadUrl(file)} download={file.name}
                            aria-label={t('files.download', {name: file.name})}>{t('files.downloadShort')}</a>
                    </div>
                );
            })}
            {viewing !== null && (
                <ImageViewer images={images} start={viewing} onClose={() => setViewing(null)}/>
            )}
        </div>
    );
}

function FileLink({file}: {file: FileInfo}) {
    return (
        <>
            <span className='attachment-name'>{file.name}</span>{' '}
            <span className='attachment-size'>{formatSize(file.size)}</span>{' '}
            <a href={downloadUrl(file)} download={file.name} aria-label={t('files.download', {name: file.name})}>{t('files.downloadShort')}</a>
        </>
    );
}

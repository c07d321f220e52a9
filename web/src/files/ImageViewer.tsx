// The full-screen image viewer, loaded only when someone opens an image.
import {useEffect, useRef, useState} from 'react';

import type {FileInfo} from '@mattermost/types/files';

import {client} from '../api/client';
import {t} from '../i18n/i18n';
import {downloadUrl} from './Attachments';
import {formatSize} from './kinds';

interface Props {
    images: FileInfo[];
    start: number;
    onClose: () => void;
}

/** Arrows step through the post's images, Escape closes, the image or Z toggles actual size. */
export default function ImageViewer({images, start, onClose}: Props) {
    const [index, setIndex] = useState(start);
    const [zoomed, setZoomed] = useState(false);
    const closeButton = useRef<HTMLButtonElement>(null);
    const close = useRef(onClose);
    close.current = onClose;
    const image = images[index];
    const many = images.length > 1;

    const step = (by: number) => {
        setZoomed(false);
        setIndex((i) => (i + by + images.length) % images.length);
    };
    const stepRef = useRef(step);
    stepRef.current = step;

    useEffect(() => {
        const previous = document.activeElement as HTMLElement | null;
        closeButton.current?.focus();
        const onKey = (event: KeyboardEvent) => {
            if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                close.current();
            } else if (event.key === 'ArrowRight') {
                stepRef.current(1);
            } else if (event.key === 'ArrowLeft') {
                stepRef.current(-1);
            } else if (event.key === 'z' || event.key === 'Z') {
                setZoomed((z) => !z);
            }
        };
        document.addEventListener('keydown', onKey, true);
        return () => {
            document.removeEventListener('keydown', onKey, true);
            previous?.focus?.();
        };
    }, []);

    if (!image) {
        return null;
    }
    return (
        <div className='image-viewer' role='dialog' aria-modal='true' aria-label={t('files.viewer', {name: image.name})}
            onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
            <header className='image-viewer-bar'>
                <span className='image-viewer-title'>
                    {image.name} <span className='attachment-size'>{formatSize(image.size)}</span>
                    {many && <span className='image-viewer-count'> {t('files.position', {index: index + 1, count: images.length})}</span>}
                </span>
                <button type='button' onClick={() => setZoomed(!zoomed)} aria-pressed={zoomed}>{t('files.zoom')}</button>
                <a className='button-link' href={downloadUrl(image)} download={image.name}>{t('files.downloadShort')}</a>
                <button ref={closeButton} type='button' className='icon-button' onClick={onClose} aria-label={t('dialog.close')}>×</button>
            </header>
            <div className={`image-viewer-stage${zoomed ? ' zoomed' : ''}`} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
                <img src={client.getFileUrl(image.id, 0)} alt={image.name} width={image.width} height={image.height}
                    onClick={() => setZoomed(!zoomed)}/>
            </div>
            {many && (
                <>
                    <button type='button' className='image-viewer-nav previous' onClick={() => step(-1)} aria-label={t('files.previous')}>‹</button>
                    <button type='button' className='image-viewer-nav next' onClick={() => step(1)} aria-label={t('files.next')}>›</button>
                </>
            )}
        </div>
    );
}

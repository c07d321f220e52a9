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

/** Which way an arrow key steps: toward where the next image's button sits, which is the
 *  left in a right-to-left layout (the buttons stand at the inline start and end). */
export function arrowStep(key: string, rtl: boolean): -1 | 0 | 1 {
    if (key === 'ArrowRight') {
        return rtl ? -1 : 1;
    }
    if (key === 'ArrowLeft') {
        return rtl ? 1 : -1;
    }
    return 0;
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
            } else if (arrowStep(event.key, isRtl()) !== 0) {
                stepRef.current(arrowStep(event.key, isRtl()));
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
    const rtl = isRtl();
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
                    <button type='button' className='image-viewer-nav previous' onClick={() => step(-1)} aria-label={t('files.previous')}>{rtl ? '›' : '‹'}</button>
                    <button type='button' className='image-viewer-nav next' onClick={() => step(1)} aria-label={t('files.next')}>{rtl ? '‹' : '›'}</button>
                </>
            )}
        </div>
    );
}

function isRtl(): boolean {
    return document.documentElement.dir === 'rtl';
}

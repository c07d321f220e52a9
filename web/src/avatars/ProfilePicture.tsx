// A user's profile picture in account settings: choose a photo, place it in a square (drag to move,
// slider to zoom), upload exactly what the square shows, or go back to the generated picture.
// The server crops again to 128x128 and strips the photo's metadata; the new picture reaches every
// client through the user_updated event (its last_picture_update changes the image URL).
import {useEffect, useRef, useState, type KeyboardEvent, type PointerEvent} from 'react';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {MAX_ZOOM, MIN_ZOOM, clampOffset, placement, sourceSquare, zoomedOffset, type Offset, type Size} from './crop';

import './avatars.css';

// What the square shows on screen, and the size of the picture uploaded (the server makes 128x128).
const VIEWPORT = 256;
const UPLOAD_SIZE = 512;
const ACCEPTED = 'image/png,image/jpeg,image/gif,image/webp,image/bmp';
const KEY_STEP = 8;

interface Props {
    userId: string;
    lastPictureUpdate: number;
}

interface Chosen {
    url: string;
    image: HTMLImageElement;
    size: Size;
}

export function ProfilePicture({userId, lastPictureUpdate}: Props) {
    const [chosen, setChosen] = useState<Chosen | null>(null);
    const [zoom, setZoom] = useState(MIN_ZOOM);
    const [offset, setOffset] = useState<Offset>({x: 0, y: 0});
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const drag = useRef<{pointer: number; start: Offset; x: number; y: number} | null>(null);
    const input = useRef<HTMLInputElement>(null);

    useEffect(() => () => {
        if (chosen) {
            URL.revokeObjectURL(chosen.url);
        }
    }, [chosen]);

    const choose = (file: File | undefined) => {
        setError('');
        if (!file) {
            return;
        }
        const url = URL.createObjectURL(file);
        const image = new Image();
        image.onload = () => {
            setChosen({url, image, size: {width: image.naturalWidth, height: image.naturalHeight}});
            setZoom(MIN_ZOOM);
            setOffset({x: 0, y: 0});
        };
        image.onerror = () => {
            URL.revokeObjectURL(url);
            setError(t('avatar.notAPicture'));
        };
        image.src = url;
    };

    const cancel = () => {
        setChosen(null);
        if (input.current) {
            input.current.value = '';
        }
    };

    const run = async (work: () => Promise<unknown>) => {
        setBusy(true);
        setError('');
        try {
            await work();
            cancel();
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setBusy(false);
        }
    };

    const save = () => chosen && run(async () => {
        const blob = await cropToBlob(chosen, zoom, offset);
        await client.uploadProfileImage(userId, new File([blob], 'profile.png', {type: 'image/png'}));
    });

    const remove = () => run(() => client.setDefaultProfileImage(userId));

    const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
        event.currentTarget.setPointerCapture?.(event.pointerId);
        drag.current = {pointer: event.pointerId, start: offset, x: event.clientX, y: event.clientY};
    };
    const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
        const from = drag.current;
        if (!chosen || !from || from.pointer !== event.pointerId) {
            return;
        }
        const moved = {x: from.start.x + event.clientX - from.x, y: from.start.y + event.clientY - from.y};
        setOffset(clampOffset(chosen.size, VIEWPORT, zoom, moved));
    };
    const onPointerUp = () => {
        drag.current = null;
    };
    const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
        const steps: Record<string, Offset> = {
            ArrowLeft: {x: -KEY_STEP, y: 0},
            ArrowRight: {x: KEY_STEP, y: 0},
            ArrowUp: {x: 0, y: -KEY_STEP},
            ArrowDown: {x: 0, y: KEY_STEP},
        };
        const step = steps[event.key];
        if (chosen && step) {
            event.preventDefault();
            setOffset(clampOffset(chosen.size, VIEWPORT, zoom, {x: offset.x + step.x, y: offset.y + step.y}));
        }
    };
    const onZoom = (next: number) => {
        if (chosen) {
            setOffset(zoomedOffset(chosen.size, VIEWPORT, zoom, next, offset));
        }
        setZoom(next);
    };

    const drawn = chosen ? placement(chosen.size, VIEWPORT, zoom, offset) : null;
    return (
        <section className='profile-picture' aria-label={t('avatar.title')}>
            {chosen && drawn ? (
                <>
                    <div
                        className='crop-viewport'
                        style={{width: VIEWPORT, height: VIEWPORT}}
                        role='img'
                        aria-label={t('avatar.cropHint')}
                        tabIndex={0}
                        onPointerDown={onPointerDown}
                        onPointerMove={onPointerMove}
                        onPointerUp={onPointerUp}
                        onPointerCancel={onPointerUp}
                        onKeyDown={onKeyDown}
                    >
                        <img src={chosen.url} alt='' draggable={false}
                            style={{left: drawn.left, top: drawn.top, width: drawn.width, height: drawn.height}}/>
                    </div>
                    <label className='crop-zoom'>
                        {t('avatar.zoom')}
                        <input type='range' min={MIN_ZOOM} max={MAX_ZOOM} step={0.01} value={zoom}
                            onChange={(event) => onZoom(Number(event.target.value))}/>
                    </label>
                    <div className='profile-picture-actions'>
                        <button type='button' className='primary' disabled={busy} onClick={save}>{t('avatar.save')}</button>
                        <button type='button' disabled={busy} onClick={cancel}>{t('dialog.cancel')}</button>
                    </div>
                </>
            ) : (
                <>
                    <img className='avatar profile-picture-current' alt={t('avatar.current')} width={128} height={128}
                        src={client.getProfilePictureUrl(userId, lastPictureUpdate)}/>
                    <div className='profile-picture-actions'>
                        <label className='profile-picture-choose'>
                            {t('avatar.choose')}
                            <input ref={input} type='file' accept={ACCEPTED} disabled={busy}
                                onChange={(event) => choose(event.target.files?.[0])}/>
                        </label>
                        {lastPictureUpdate > 0 && (
                            <button type='button' disabled={busy} onClick={remove}>{t('avatar.remove')}</button>
                        )}
                    </div>
                </>
            )}
            {error && <p className='error' role='alert'>{error}</p>}
        </section>
    );
}

/** Draws the square the viewport shows onto a canvas, as a PNG to upload. */
function cropToBlob(chosen: Chosen, zoom: number, offset: Offset): Promise<Blob> {
    const square = sourceSquare(chosen.size, VIEWPORT, zoom, offset);
    const canvas = document.createElement('canvas');
    const size = Math.min(UPLOAD_SIZE, Math.max(1, Math.round(square.size)));
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d');
    if (!context) {
        return Promise.reject(new Error(t('avatar.notAPicture')));
    }
    context.imageSmoothingQuality = 'high';
    context.drawImage(chosen.image, square.x, square.y, square.size, square.size, 0, 0, size, size);
    return new Promise((resolve, reject) => {
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(t('avatar.notAPicture')))), 'image/png');
    });
}

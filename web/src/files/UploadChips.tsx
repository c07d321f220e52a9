import {useRef} from 'react';

import {t} from '../i18n/i18n';
import {formatSize} from './kinds';
import {percentOf, type Upload} from './queue';
import './files.css';

/** The paperclip: a hidden multiple-file input behind an icon button. */
export function AttachButton({onFiles, disabled}: {onFiles: (files: File[]) => void; disabled?: boolean}) {
    const input = useRef<HTMLInputElement>(null);
    return (
        <>
            <button type='button' className='icon-button attach-button' aria-label={t('files.attach')} title={t('files.attach')}
                disabled={disabled} onClick={() => input.current?.click()}>📎</button>
            <input ref={input} type='file' multiple hidden aria-hidden='true' tabIndex={-1} className='attach-input'
                onChange={(event) => {
                    const files = [...(event.target.files ?? [])];
                    event.target.value = '';
                    if (files.length > 0) {
                        onFiles(files);
                    }
                }}/>
        </>
    );
}

/** One chip per file being attached: name, size, progress, and a button to cancel or remove. */
export function UploadChips({uploads, onRemove}: {uploads: Upload[]; onRemove: (clientId: string) => void}) {
    if (uploads.length === 0) {
        return null;
    }
    return (
        <ul className='upload-chips' aria-label={t('files.attachments')}>
            {uploads.map((upload) => (
                <li key={upload.clientId} className={`upload-chip ${upload.status}`} data-status={upload.status}>
                    <span className='upload-name' title={upload.name}>{upload.name}</span>
                    <span className='upload-size'>{formatSize(upload.size)}</span>
                    {upload.status === 'uploading' && (
                        <progress max={100} value={percentOf(upload)} aria-label={t('files.progress', {name: upload.name})}/>
                    )}
                    {upload.status === 'done' && <span className='upload-ready'>{t('files.ready')}</span>}
                    {upload.status === 'failed' && <span className='upload-error' role='alert'>{upload.error}</span>}
                    <button type='button' className='icon-button upload-remove' onClick={() => onRemove(upload.clientId)}
                        aria-label={t(upload.status === 'uploading' ? 'files.cancel' : 'files.remove', {name: upload.name})}>×</button>
                </li>
            ))}
        </ul>
    );
}

import {useEffect, useId, useRef, type ReactNode} from 'react';

import {t} from '../i18n/i18n';

/** A modal dialog: Escape or the close button dismisses it, focus returns where it was. */
export function Dialog({title, onClose, children}: {title: string; onClose: () => void; children: ReactNode}) {
    const titleId = useId();
    const box = useRef<HTMLDivElement>(null);
    const close = useRef(onClose);
    close.current = onClose;

    useEffect(() => {
        const previous = document.activeElement as HTMLElement | null;
        if (!box.current?.contains(document.activeElement)) {
            box.current?.querySelector<HTMLElement>('input, button, textarea')?.focus();
        }
        const onKey = (event: KeyboardEvent) => {
            if (event.key === 'Escape') {
                close.current();
            }
        };
        document.addEventListener('keydown', onKey);
        return () => {
            document.removeEventListener('keydown', onKey);
            previous?.focus?.();
        };
    }, []);

    return (
        <div className='dialog-backdrop' onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
            <div className='dialog' role='dialog' aria-modal='true' aria-labelledby={titleId} ref={box}>
                <header className='dialog-header'>
                    <h2 id={titleId}>{title}</h2>
                    <button type='button' className='icon-button' onClick={onClose} aria-label={t('dialog.close')}>×</button>
                </header>
                {children}
            </div>
        </div>
    );
}

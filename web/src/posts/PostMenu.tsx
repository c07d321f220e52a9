import {useEffect, useRef, type KeyboardEvent} from 'react';

import {t} from '../i18n/i18n';

export interface MenuItem {
    id: string;
    label: string;
    run: () => void;
    danger?: boolean;
}

/**
 * A menu of the message's actions: arrows move, Enter runs, Escape or a click outside closes and
 * gives the focus back to the button that opened it. On a phone it rises as a sheet.
 */
export function PostMenu({items, onClose, sheet}: {items: MenuItem[]; onClose: () => void; sheet: boolean}) {
    const menu = useRef<HTMLUListElement>(null);
    const close = useRef(onClose);
    close.current = onClose;

    useEffect(() => {
        const opener = document.activeElement as HTMLElement | null;
        menu.current?.querySelector<HTMLButtonElement>('[role=menuitem]')?.focus();
        const outside = (event: PointerEvent) => {
            if (!menu.current?.contains(event.target as Node)) {
                close.current();
            }
        };
        document.addEventListener('pointerdown', outside);
        return () => {
            document.removeEventListener('pointerdown', outside);
            if (opener?.isConnected) {
                opener.focus();
            }
        };
    }, []);

    function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
        const all = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]') ?? [])];
        const at = all.indexOf(document.activeElement as HTMLButtonElement);
        const go = (index: number) => all[(index + all.length) % all.length]?.focus();
        switch (event.key) {
        case 'ArrowDown': go(at + 1); break;
        case 'ArrowUp': go(at - 1); break;
        case 'Home': go(0); break;
        case 'End': go(all.length - 1); break;
        case 'Escape': close.current(); break;
        case 'Tab': close.current(); return;
        default: return;
        }
        event.preventDefault();
        event.stopPropagation();
    }

    return (
        <>
            {sheet && <div className='menu-backdrop' aria-hidden='true'/>}
            <ul className={sheet ? 'post-menu sheet' : 'post-menu'} role='menu' aria-label={t('post.actions')} ref={menu} onKeyDown={onKeyDown}>
                {items.map((item) => (
                    <li key={item.id} role='none'>
                        <button type='button' role='menuitem' className={item.danger ? 'danger-text' : undefined} onClick={() => {
                            close.current();
                            item.run();
                        }}>{item.label}</button>
                    </li>
                ))}
            </ul>
        </>
    );
}

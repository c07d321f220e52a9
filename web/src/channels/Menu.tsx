import {useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode} from 'react';

export interface MenuItem {
    label: string;
    onSelect: () => void;
    danger?: boolean;
}

interface Props {
    /** The button's accessible name ("Channel options for Town Square"). */
    label: string;
    /** What the button shows. */
    children: ReactNode;
    items: MenuItem[];
    className?: string;
}

/**
 * A button with a pop-up menu: arrow keys move through it, Enter chooses, Escape or a click
 * elsewhere closes it and focus goes back to the button.
 */
export function Menu({label, children, items, className = ''}: Props) {
    const [open, setOpen] = useState(false);
    const menuId = useId();
    const button = useRef<HTMLButtonElement>(null);
    const menu = useRef<HTMLUListElement>(null);

    useEffect(() => {
        if (!open) {
            return;
        }
        menu.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
        const onPointer = (event: PointerEvent) => {
            if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) {
                setOpen(false);
            }
        };
        document.addEventListener('pointerdown', onPointer);
        return () => document.removeEventListener('pointerdown', onPointer);
    }, [open]);

    function close() {
        setOpen(false);
        button.current?.focus();
    }

    function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
        const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
        const at = entries.indexOf(document.activeElement as HTMLElement);
        if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            close();
        } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            entries[(at + step + entries.length) % entries.length]?.focus();
        } else if (event.key === 'Home' || event.key === 'End') {
            event.preventDefault();
            entries[event.key === 'Home' ? 0 : entries.length - 1]?.focus();
        } else if (event.key === 'Tab') {
            setOpen(false);
        }
    }

    return (
        <span className={`menu-anchor ${className}`}>
            <button type='button' ref={button} className='menu-button' aria-label={label} title={label}
                aria-haspopup='menu' aria-expanded={open} aria-controls={open ? menuId : undefined}
                onClick={() => setOpen(!open)}>{children}</button>
            {open && (
                <ul className='menu' role='menu' id={menuId} ref={menu} aria-label={label} onKeyDown={onKeyDown}>
                    {items.map((item) => (
                        <li key={item.label} role='none'>
                            <button type='button' role='menuitem' tabIndex={-1} className={item.danger ? 'danger-text' : undefined}
                                onClick={() => {
                                    close();
                                    item.onSelect();
                                }}>{item.label}</button>
                        </li>
                    ))}
                </ul>
            )}
        </span>
    );
}

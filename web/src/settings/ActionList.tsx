import {useEffect, useState, type ReactNode} from 'react';

/** What a list of the account's things (sessions, security keys) needs: the items, loaded on
 * mount; `act` runs a change with every button disabled, then loads the list again. */
export interface ListActions<T> {
    items: T[] | null;
    busy: boolean;
    error: string;
    setError: (error: string) => void;
    act: (work: () => Promise<void>) => Promise<void>;
}

export function useListActions<T>(
    load: () => Promise<T[]>,
    describe: (failure: unknown) => string,
    afterChange?: () => Promise<void>,
): ListActions<T> {
    const [items, setItems] = useState<T[] | null>(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    const reload = () => load().then(setItems, (failure) => setError(describe(failure)));
    useEffect(() => {
        void reload();
    }, []);

    async function act(work: () => Promise<void>) {
        setBusy(true);
        setError('');
        try {
            await work();
            await reload();
            await afterChange?.();
        } catch (failure) {
            setError(describe(failure));
        } finally {
            setBusy(false);
        }
    }

    return {items, busy, error, setError, act};
}

export interface ListedItem {
    id: string;
    name: string;
    /** Beside the name, e.g. "This device". */
    badge?: ReactNode;
    detail: ReactNode;
    /** The item's one button; none when it cannot be acted on. */
    action?: {text: string; label: string; onClick: () => void};
}

/** One row an item: its name and a line of detail, with its button at the end. */
export function ActionList({label, className, itemClassName, items, busy}: {
    label: string;
    className: string;
    itemClassName: string;
    items: ListedItem[];
    busy: boolean;
}) {
    return (
        <ul className={className} aria-label={label}>
            {items.map((item) => (
                <li key={item.id} className={itemClassName}>
                    <div>
                        <strong>{item.name}</strong>
                        {item.badge}
                        <p className='hint'>{item.detail}</p>
                    </div>
                    {item.action && (
                        <button type='button' className='link-button' disabled={busy}
                            aria-label={item.action.label} onClick={item.action.onClick}>{item.action.text}</button>
                    )}
                </li>
            ))}
        </ul>
    );
}

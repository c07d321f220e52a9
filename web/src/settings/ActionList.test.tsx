import {act as flush, fireEvent, render, screen, waitFor} from '@testing-library/react';
import {describe, expect, it, vi} from 'vitest';

import {ActionList, useListActions} from './ActionList';

interface Thing {
    id: string;
    name: string;
}

function Things({load, change, afterChange}: {
    load: () => Promise<Thing[]>;
    change: (thing: Thing) => Promise<void>;
    afterChange?: () => Promise<void>;
}) {
    const {items, busy, error, act} = useListActions(load, (failure) => `failed: ${String(failure)}`, afterChange);
    return (
        <>
            {items && (
                <ActionList label='Things' className='things' itemClassName='thing' busy={busy}
                    items={items.map((thing) => ({
                        id: thing.id,
                        name: thing.name,
                        badge: thing.id === 'mine' && <span>mine</span>,
                        detail: `detail of ${thing.name}`,
                        action: thing.id === 'mine' ? undefined : {
                            text: 'Drop', label: `Drop ${thing.name}`, onClick: () => void act(() => change(thing)),
                        },
                    }))}/>
            )}
            {error && <p role='alert'>{error}</p>}
        </>
    );
}

describe('ActionList', () => {
    it('lists each item with its detail, and a button only where it can be acted on', async () => {
        const load = () => Promise.resolve([{id: 'mine', name: 'Laptop'}, {id: 'other', name: 'Phone'}]);
        render(<Things load={load} change={() => Promise.resolve()}/>);
        const list = await screen.findByRole('list', {name: 'Things'});
        expect(list.className).toBe('things');
        const rows = screen.getAllByRole('listitem');
        expect(rows.map((row) => row.textContent)).toEqual(['Laptopminedetail of Laptop', 'Phonedetail of PhoneDrop']);
        expect(rows.every((row) => row.className === 'thing')).toBe(true);
        expect(screen.getAllByRole('button').map((button) => button.getAttribute('aria-label'))).toEqual(['Drop Phone']);
    });

    it('disables the buttons during a change, then loads the list again and runs what follows a change', async () => {
        let listed = [{id: 'a', name: 'Phone'}, {id: 'b', name: 'Tablet'}];
        const load = vi.fn(() => Promise.resolve(listed));
        const afterChange = vi.fn(() => Promise.resolve());
        let finish = () => {};
        const change = (thing: Thing) => new Promise<void>((resolve) => {
            finish = () => {
                listed = listed.filter((other) => other.id !== thing.id);
                resolve();
            };
        });
        render(<Things load={load} change={change} afterChange={afterChange}/>);
        fireEvent.click(await screen.findByRole('button', {name: 'Drop Phone'}));
        expect((screen.getByRole('button', {name: 'Drop Tablet'}) as HTMLButtonElement).disabled).toBe(true);
        await flush(async () => finish());
        await waitFor(() => expect((screen.getByRole('button', {name: 'Drop Tablet'}) as HTMLButtonElement).disabled).toBe(false));
        expect(screen.queryByRole('button', {name: 'Drop Phone'})).toBeNull();
        expect(load).toHaveBeenCalledTimes(2);
        expect(afterChange).toHaveBeenCalledTimes(1);
    });

    it('says what failed, whether loading or changing, and the list stays', async () => {
        const failing = () => Promise.reject(new Error('offline'));
        const {unmount} = render(<Things load={failing} change={() => Promise.resolve()}/>);
        expect((await screen.findByRole('alert')).textContent).toBe('failed: Error: offline');
        unmount();

        const afterChange = vi.fn(() => Promise.resolve());
        render(<Things load={() => Promise.resolve([{id: 'a', name: 'Phone'}])} change={() => Promise.reject(new Error('refused'))}
            afterChange={afterChange}/>);
        fireEvent.click(await screen.findByRole('button', {name: 'Drop Phone'}));
        expect((await screen.findByRole('alert')).textContent).toBe('failed: Error: refused');
        expect(screen.getByRole('button', {name: 'Drop Phone'})).toBeTruthy();
        expect(afterChange).not.toHaveBeenCalled();
    });
});

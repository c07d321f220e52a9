import {act, fireEvent, render, screen} from '@testing-library/react';
import {Component, type ReactNode} from 'react';
import {describe, expect, it, vi} from 'vitest';

import {deferred, prefetchDeferred} from './deferred';

function Greeting({name}: {name: string}) {
    return <p>Hello, {name}</p>;
}

/** A load the test settles by hand. */
function controlled<T>() {
    let settle!: {resolve: (value: T) => void; reject: (error: unknown) => void};
    const promise = new Promise<T>((resolve, reject) => {
        settle = {resolve, reject};
    });
    return {promise, ...settle};
}

/** Renders and lets React settle what it can: a suspended part's retry runs inside act. */
async function show(ui: ReactNode): Promise<ReturnType<typeof render>> {
    let shown!: ReturnType<typeof render>;
    await act(async () => {
        shown = render(<>{ui}</>);
    });
    return shown;
}

class Catch extends Component<{children: ReactNode}, {error: string}> {
    override state = {error: ''};

    static getDerivedStateFromError(error: Error) {
        return {error: error.message};
    }

    override render() {
        return this.state.error ? <p>caught: {this.state.error}</p> : this.props.children;
    }
}

describe('a deferred part', () => {
    it('says it is loading, then shows the part with its props', async () => {
        const load = controlled<typeof Greeting>();
        const Part = deferred(() => load.promise, {prefetch: false});
        await show(<Part name='Ophelia'/>);
        expect(screen.getByRole('status').textContent).toBe('Loading…');
        await act(async () => load.resolve(Greeting));
        expect(await screen.findByText('Hello, Ophelia')).toBeTruthy();
        expect(screen.queryByRole('status')).toBeNull();
    });

    it('renders at once, with no loading note, once preloaded', async () => {
        const Part = deferred(() => Promise.resolve(Greeting), {prefetch: false});
        await Part.preload();
        await show(<Part name='Laertes'/>);
        expect(screen.getByText('Hello, Laertes')).toBeTruthy();
        expect(screen.queryByRole('status')).toBeNull();
    });

    it('keeps the loading note in its frame for a pane', async () => {
        const Part = deferred(() => new Promise<typeof Greeting>(() => undefined), {prefetch: false, frame: 'thread-panel'});
        const {container} = await show(<Part name='Horatio'/>);
        expect(container.querySelector('.thread-panel.part-frame [role=status]')).not.toBeNull();
    });

    it('offers to try again when its chunk does not arrive, and loads on the retry', async () => {
        const load = vi.fn<() => Promise<typeof Greeting>>()
            .mockImplementationOnce(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')))
            .mockImplementationOnce(() => Promise.resolve(Greeting));
        const Part = deferred(load, {prefetch: false});
        vi.spyOn(console, 'error').mockImplementation(() => undefined);
        await show(<Part name='Yorick'/>);
        expect((await screen.findByRole('alert')).textContent).toContain('could not be loaded');
        await act(async () => fireEvent.click(screen.getByRole('button', {name: 'Try again'})));
        expect(await screen.findByText('Hello, Yorick')).toBeTruthy();
        expect(load).toHaveBeenCalledTimes(2);
    });

    it('forgets a failed prefetch, so the first render asks again', async () => {
        const load = vi.fn<() => Promise<typeof Greeting>>()
            .mockImplementationOnce(() => Promise.reject(new TypeError('offline')))
            .mockImplementationOnce(() => Promise.resolve(Greeting));
        const Part = deferred(load, {prefetch: false});
        await expect(Part.preload()).rejects.toThrow();
        await show(<Part name='Osric'/>);
        expect(await screen.findByText('Hello, Osric')).toBeTruthy();
    });

    it('lets an error of the part itself go up, as it would without the deferral', async () => {
        function Broken(): ReactNode {
            throw new Error('broken part');
        }
        const Part = deferred(() => Promise.resolve(Broken), {prefetch: false});
        vi.spyOn(console, 'error').mockImplementation(() => undefined);
        await show(<Catch><Part/></Catch>);
        expect(await screen.findByText('caught: broken part')).toBeTruthy();
        expect(screen.queryByRole('button', {name: 'Try again'})).toBeNull();
    });
});

describe('prefetching', () => {
    it('fetches the parts people open in passing, one after another, once, and only those', async () => {
        vi.useFakeTimers();
        try {
            const common = vi.fn(() => Promise.resolve(Greeting));
            const rare = vi.fn(() => Promise.resolve(Greeting));
            deferred(common);
            deferred(rare, {prefetch: false});
            prefetchDeferred();
            prefetchDeferred();
            expect(common).not.toHaveBeenCalled();
            await vi.runAllTimersAsync();
            expect(common).toHaveBeenCalledTimes(1);
            expect(rare).not.toHaveBeenCalled();
        } finally {
            vi.useRealTimers();
        }
    });
});

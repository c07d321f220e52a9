// Parts of the app the first channel does not show (dialogs, side panels, other screens) stay
// out of the first page's script: each is its own chunk, loaded the first time it renders. On a
// phone's network the first page's script is most of the wait before the first message shows
// (bench/README.md, "Under Lighthouse's mobile profile"). Once the first channel has shown, the
// parts people open in passing are fetched while the browser is idle, so opening one later is
// as quick as before, and the service worker keeps them for offline use.
import {Component, Suspense, use, useState, type ComponentType, type ReactNode} from 'react';

import {t} from '../i18n/i18n';

interface Options {
    /** Fetched when the browser is idle after the first channel shows (the default), or only
     * when first rendered: screens a signed-in visit never shows, the System Console. */
    prefetch?: boolean;
    /** The class of an element holding the loading note, for a pane or a page, so that it keeps
     * its place (and on a phone, is the pane shown) while its part loads. Without one, the note
     * floats above the page (a dialog's place), moving nothing. */
    frame?: string;
}

export interface DeferredComponent<P> {
    (props: P): ReactNode;
    /** Starts loading the part now; resolves once it can render without waiting. */
    preload: () => Promise<unknown>;
}

const prefetched: Array<() => Promise<unknown>> = [];

/** A component loaded on first use: `deferred(() => import('./Dialog').then((m) => m.Dialog))`. */
export function deferred<P extends object>(
    load: () => Promise<ComponentType<P>>,
    {prefetch = true, frame}: Options = {},
): DeferredComponent<P> {
    let loaded: ComponentType<P> | null = null;
    let loading: Promise<ComponentType<P>> | null = null;
    // Whether a render waits on `loading`: it is the one to hear of a failure.
    let awaited = false;
    let failed = false;
    const start = () => {
        awaited = false;
        failed = false;
        const attempt: Promise<ComponentType<P>> = load().then((component) => {
            loaded = component;
            return component;
        }, (error: unknown) => {
            // A failed prefetch is forgotten, so the first render asks again (the network may be
            // back); a render that waited shows the failure, with a retry (LoadFailure).
            if (loading === attempt) {
                if (awaited) {
                    failed = true;
                } else {
                    loading = null;
                }
            }
            throw new PartLoadError(error);
        });
        loading = attempt;
        return attempt;
    };
    const preload = () => loading ?? start();
    const retry = () => {
        loading = null;
        failed = false;
    };
    if (prefetch) {
        prefetched.push(preload);
    }
    // Rendered without suspending once loaded, so a prefetched part never flashes a fallback.
    function Loaded(props: P) {
        if (loaded) {
            const Part = loaded;
            return <Part {...props}/>;
        }
        const loadingPart = preload();
        awaited = true;
        const Part = use(loadingPart);
        return <Part {...props}/>;
    }
    function Deferred(props: P) {
        // Opened again after a failure shown: a new attempt.
        useState(() => failed && retry());
        return (
            <LoadFailure retry={retry} frame={frame}>
                <Suspense fallback={<Framed frame={frame}><PartLoading/></Framed>}>
                    <Loaded {...props}/>
                </Suspense>
            </LoadFailure>
        );
    }
    return Object.assign(Deferred, {preload});
}

function Framed({frame, children}: {frame?: string; children: ReactNode}) {
    return frame ? <div className={`${frame} part-frame`}>{children}</div> : children;
}

/** Shown while a part loads; it appears only after a moment (CSS), so a quick load shows nothing. */
function PartLoading() {
    return <span className='part-loading' role='status'>{t('app.loading')}</span>;
}

/** The chunk of a part did not arrive; told apart from an error of the part itself. */
class PartLoadError extends Error {
    constructor(cause: unknown) {
        super('a part of the app could not be loaded', {cause});
    }
}

interface FailureProps {
    children: ReactNode;
    /** Forgets the failed load, so the next render fetches the part again. */
    retry: () => void;
    frame?: string;
}

/** A part whose chunk could not be fetched (offline, or a new build replaced it) says so and
 * offers to try again, instead of taking the whole page down with it. An error of the loaded
 * part itself goes on up, as it would without the deferral. */
class LoadFailure extends Component<FailureProps, {error: unknown}> {
    override state: {error: unknown} = {error: null};

    static getDerivedStateFromError(error: unknown): {error: unknown} {
        return {error};
    }

    override render() {
        if (this.state.error === null) {
            return this.props.children;
        }
        if (!(this.state.error instanceof PartLoadError)) {
            throw this.state.error;
        }
        return (
            <Framed frame={this.props.frame}>
                <p className='part-failed' role='alert'>
                    {t('app.partFailed')}{' '}
                    <button type='button' className='link-button' onClick={() => {
                        this.props.retry();
                        this.setState({error: null});
                    }}>{t('app.retry')}</button>
                </p>
            </Framed>
        );
    }
}

// After the first channel shows, a pause before prefetching: the page's own requests (the
// channel's members, statuses, threads) go first.
const PREFETCH_DELAY_MS = 1000;
let prefetching = false;

/** Fetches every prefetched part, one at a time while the browser is idle. Called once the
 * first channel shows; later calls do nothing. */
export function prefetchDeferred(): void {
    // Someone who asked to save data gets each part only when they open it.
    const saveData = (navigator as Navigator & {connection?: {saveData?: boolean}}).connection?.saveData;
    if (prefetching || saveData) {
        return;
    }
    prefetching = true;
    const queue = [...prefetched];
    const next = () => {
        const preload = queue.shift();
        if (preload) {
            whenIdle(() => void preload().catch(() => undefined).then(next));
        }
    };
    setTimeout(next, PREFETCH_DELAY_MS);
}

function whenIdle(work: () => void): void {
    if ('requestIdleCallback' in window) {
        window.requestIdleCallback(work, {timeout: 5000});
    } else {
        setTimeout(work, 200);
    }
}

// F6 and Shift+F6 move the focus between the screen's regions, as in Mattermost's web app
// (webapp a11y_controller) and desktop programs: sidebar, channel header, messages, composer,
// then the thread panel's replies and composer. Ctrl+F6 does the same where the browser keeps F6
// for its address bar. Tab moves within a region.

interface Region {
    /** The region's element. */
    selector: string;
    /** What in it takes the focus: the first match, else the region itself. */
    focus: string[];
}

export const REGIONS: Region[] = [
    {selector: '.sidebar', focus: ['.channel-link.current', '.channel-link', 'a[href], button']},
    {selector: '.main-pane .channel-header, .main-pane > header, .main-pane .threads-view > header', focus: []},
    {selector: '.main-pane .post-list, .main-pane .threads-list', focus: []},
    {selector: '.main-pane .composer', focus: ['textarea']},
    {selector: '.thread-panel .thread-posts', focus: []},
    {selector: '.thread-panel .composer', focus: ['textarea']},
];

function shown(element: Element): boolean {
    return element.getClientRects().length > 0;
}

function regionElements(root: ParentNode): HTMLElement[] {
    const found: HTMLElement[] = [];
    for (const region of REGIONS) {
        const element = Array.from(root.querySelectorAll<HTMLElement>(region.selector)).find(shown);
        if (element) {
            found.push(element);
        }
    }
    return found;
}

function focusRegion(element: HTMLElement): void {
    const region = REGIONS.find((candidate) => element.matches(candidate.selector));
    for (const selector of region?.focus ?? []) {
        const target = Array.from(element.querySelectorAll<HTMLElement>(selector)).find(shown);
        if (target) {
            target.focus();
            return;
        }
    }
    if (element.tabIndex < 0 && !element.hasAttribute('tabindex')) {
        element.tabIndex = -1;
    }
    element.focus();
}

/** Moves the focus to the next region (or the previous one); false if there is none. */
export function cycleRegions(backwards: boolean, root: ParentNode = document): boolean {
    const regions = regionElements(root);
    if (regions.length === 0) {
        return false;
    }
    const active = document.activeElement;
    const current = regions.findIndex((region) => active && region.contains(active));
    const step = backwards ? -1 : 1;
    const next = current < 0 ? (backwards ? regions.length - 1 : 0) : (current + step + regions.length) % regions.length;
    focusRegion(regions[next]);
    return true;
}

function onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'F6' || event.altKey || event.metaKey || document.querySelector('[role=dialog]')) {
        return;
    }
    if (cycleRegions(event.shiftKey)) {
        event.preventDefault();
    }
}

export function startRegionKeys(): () => void {
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
}

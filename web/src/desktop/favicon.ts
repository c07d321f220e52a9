// The tab's icon carries the unread state, as Mattermost's does: a red badge with the mention
// count, a dot for unread messages without mentions. Drawn as an SVG data URL (the page's CSP
// allows data: images), so no canvas and nothing fetched.
const BASE = '<rect width="32" height="32" rx="7" fill="#1e6b52"/><path d="M9 8h14v4h-5v12h-4V12H9z" fill="#fff"/>';

export function faviconSvg(unread: boolean, mentions: number): string {
    let badge = '';
    if (mentions > 0) {
        const label = mentions > 99 ? '99+' : String(mentions);
        const size = label.length > 2 ? 10 : 13;
        badge = `<circle cx="23" cy="9" r="9" fill="#d6336c" stroke="#fff" stroke-width="1.5"/>` +
            `<text x="23" y="9" dy=".35em" text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="${size}" fill="#fff">${label}</text>`;
    } else if (unread) {
        badge = '<circle cx="26" cy="6" r="5.5" fill="#d6336c" stroke="#fff" stroke-width="1.5"/>';
    }
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${BASE}${badge}</svg>`;
}

export function faviconHref(unread: boolean, mentions: number): string {
    if (!unread && mentions === 0) {
        return '/favicon.svg';
    }
    return `data:image/svg+xml,${encodeURIComponent(faviconSvg(unread, mentions))}`;
}

let current = '';

export function showFavicon(unread: boolean, mentions: number): void {
    const href = faviconHref(unread, mentions);
    if (href === current) {
        return;
    }
    current = href;
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) {
        link = document.createElement('link');
        link.rel = 'icon';
        document.head.appendChild(link);
    }
    link.type = 'image/svg+xml';
    link.href = href;
}

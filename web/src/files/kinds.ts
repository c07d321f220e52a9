// Pure helpers about files: how big they read, and what kind of attachment they show as.

export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'text' | 'code' | 'archive' | 'spreadsheet'
    | 'presentation' | 'document' | 'other';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB": binary steps, one decimal under 10, none above (as people read sizes). */
export function formatSize(bytes: number): string {
    if (!Number.isFinite(bytes) || bytes < 0) {
        return '0 B';
    }
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit += 1;
    }
    if (unit === 0) {
        return `${bytes} B`;
    }
    const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
    // 1023.7 KB rounds to "1024 KB"; say "1 MB" instead.
    if (shown >= 1024 && unit < UNITS.length - 1) {
        return `1 ${UNITS[unit + 1]}`;
    }
    return `${shown} ${UNITS[unit]}`;
}

const BY_EXTENSION: Record<string, FileKind> = {};
function add(kind: FileKind, extensions: string): void {
    for (const extension of extensions.split(' ')) {
        BY_EXTENSION[extension] = kind;
    }
}
add('image', 'png jpg jpeg gif webp bmp avif');
add('video', 'mp4 webm mov m4v ogv');
add('audio', 'mp3 wav ogg oga m4a flac aac opus');
add('pdf', 'pdf');
add('text', 'txt md log csv tsv rtf');
add('code', 'js ts tsx jsx py go rs c h cpp java rb php sh json yaml yml toml xml html css sql');
add('archive', 'zip tar gz tgz bz2 xz 7z rar');
add('spreadsheet', 'xls xlsx ods numbers');
add('presentation', 'ppt pptx odp key');
add('document', 'doc docx odt pages');

/** The extension of a file name, lower case and without the dot ("" when there is none). */
export function extensionOf(name: string): string {
    const dot = name.lastIndexOf('.');
    return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * What an attachment shows as. The MIME type decides media (the browser plays what it was told
 * it is); the extension decides the rest, and covers a missing or generic MIME type. SVG is not
 * an inline image: the server serves it as a download, never rendered.
 */
export function kindOf(mimeType: string | undefined, extension: string | undefined): FileKind {
    const mime = (mimeType ?? '').toLowerCase().split(';')[0].trim();
    const ext = (extension ?? '').toLowerCase().replace(/^\./, '');
    if (mime === 'image/svg+xml' || ext === 'svg') {
        return 'code';
    }
    if (mime.startsWith('image/')) {
        return BY_EXTENSION[ext] === 'image' || !ext ? 'image' : BY_EXTENSION[ext] ?? 'other';
    }
    if (mime.startsWith('video/')) {
        return 'video';
    }
    if (mime.startsWith('audio/')) {
        return 'audio';
    }
    if (mime === 'application/pdf') {
        return 'pdf';
    }
    const byExtension = BY_EXTENSION[ext];
    if (byExtension && (!mime || mime === 'application/octet-stream' || !['image', 'video', 'audio'].includes(byExtension))) {
        return byExtension;
    }
    if (mime.startsWith('text/')) {
        return 'text';
    }
    return 'other';
}

/** A short symbol for a file card's icon, by kind. */
export const KIND_ICON: Record<FileKind, string> = {
    image: '🖼',
    video: '🎞',
    audio: '🎵',
    pdf: '📕',
    text: '📄',
    code: '📜',
    archive: '🗜',
    spreadsheet: '📊',
    presentation: '📽',
    document: '📝',
    other: '📎',
};

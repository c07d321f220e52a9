// Line icons drawn inline, so they need no icon font and look the same on every system.
const PATHS = {
    react: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8.5 14.5s1.3 2 3.5 2 3.5-2 3.5-2M9 9.5h.01M15 9.5h.01',
    reply: 'M10 8V4l-7 7 7 7v-4c5 0 8.5 1.5 11 5-1-5-4-10-11-11z',
    edit: 'M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4',
    delete: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
    lock: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3',
    more: 'M5 12h1M11.5 12h1M18 12h1',
} as const;

export function Icon({name}: {name: keyof typeof PATHS}) {
    return (
        <svg className='icon' viewBox='0 0 24 24' width='18' height='18' aria-hidden='true' focusable='false'
            fill='none' stroke='currentColor' strokeWidth='1.8' strokeLinecap='round' strokeLinejoin='round'>
            <path d={PATHS[name]}/>
        </svg>
    );
}

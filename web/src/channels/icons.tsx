// The channel area's line icons, drawn like posts/icons.tsx (inline, no icon font).
const PATHS = {
    pin: 'M9 4h6l-1 6 3 3H7l3-3zM12 13v7',
    files: 'M7 3h7l5 5v13H7zM14 3v5h5',
    saved: 'M7 4h10v16l-5-4-5 4z',
    members: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM3 20c0-3.3 2.7-6 6-6s6 2.7 6 6M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14c2 .7 3 3 3 6',
    more: 'M5 12h.01M12 12h.01M19 12h.01',
    search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5 20 20',
    plus: 'M12 5v14M5 12h14',
    filter: 'M4 6h16M7 12h10M10 18h4',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({name}: {name: IconName}) {
    return (
        <svg className='icon' viewBox='0 0 24 24' width='18' height='18' aria-hidden='true' focusable='false'
            fill='none' stroke='currentColor' strokeWidth={name === 'more' ? 3 : 1.8} strokeLinecap='round' strokeLinejoin='round'>
            <path d={PATHS[name]}/>
        </svg>
    );
}

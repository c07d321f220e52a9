import {render, screen} from '@testing-library/react';
import {describe, expect, it} from 'vitest';

import {LineChart} from './LineChart';
import {fillDays, niceMax} from './series';

const NOW = Date.UTC(2026, 11, 5, 15, 0);

describe('per-day series', () => {
    it('fills the window oldest first, an empty day as 0', () => {
        const rows = [{name: '2026-12-05', value: 4}, {name: '2026-12-03', value: 2}];
        expect(fillDays(rows, 4, NOW)).toEqual([
            {day: '2026-12-02', value: 0},
            {day: '2026-12-03', value: 2},
            {day: '2026-12-04', value: 0},
            {day: '2026-12-05', value: 4},
        ]);
    });

    it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
        expect([0, 1, 3, 7, 12, 180, 501].map(niceMax)).toEqual([1, 1, 5, 10, 20, 200, 1000]);
    });
});

describe('the line chart', () => {
    const points = [{day: '2026-12-03', value: 2}, {day: '2026-12-04', value: 0}, {day: '2026-12-05', value: 4}];

    it('draws one point per day and names itself for screen readers', () => {
        const {container} = render(<LineChart title='Messages per day' points={points}/>);
        const chart = screen.getByRole('img', {name: 'Messages per day'});
        expect(chart.querySelectorAll('circle')).toHaveLength(3);
        expect(container.querySelector('desc')!.textContent).toBe('Messages per day: 6 over 3 days, at most 4 on one day.');
        // The highest point touches the top of the axis (4 rounds up to 5: below it), the zero day the bottom.
        const path = screen.getByTestId('chart-line').getAttribute('d')!;
        expect(path.startsWith('M40.0,')).toBe(true);
        expect(path.split(' ')).toHaveLength(3);
    });

    it('keeps the numbers in a table beneath', () => {
        render(<LineChart title='Messages per day' points={points}/>);
        const rows = screen.getAllByRole('row', {hidden: true});
        expect(rows.map((row) => row.textContent)).toEqual(['Day (UTC)Count', '2026-12-032', '2026-12-040', '2026-12-054']);
    });
});

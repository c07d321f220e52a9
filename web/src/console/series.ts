// Mattermost's per-day rows ({name: 'YYYY-MM-DD', value}, newest first, empty days left out)
// as a chart's points: every day of the window, oldest first, an empty day as 0.

export interface Row {
    name: string;
    value: number;
}

export interface Point {
    day: string;
    value: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function fillDays(rows: Row[], days: number, now: number = Date.now()): Point[] {
    const values = new Map(rows.map((row) => [row.name, row.value]));
    const today = Math.floor(now / DAY_MS);
    const points: Point[] = [];
    for (let day = today - days + 1; day <= today; day++) {
        const name = new Date(day * DAY_MS).toISOString().slice(0, 10);
        points.push({day: name, value: values.get(name) ?? 0});
    }
    return points;
}

/** A round top for the value axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(largest: number): number {
    if (largest <= 0) {
        return 1;
    }
    const power = 10 ** Math.floor(Math.log10(largest));
    return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= largest)!;
}

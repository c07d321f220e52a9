import {useId} from 'react';

import {t} from '../i18n/i18n';
import {niceMax, type Point} from './series';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = {top: 12, right: 12, bottom: 28, left: 40};

/** A line over days, drawn in SVG in the theme's accent colour; a screen reader hears its
 * summary, and the numbers are in a table beneath it. */
export function LineChart({title, points}: {title: string; points: Point[]}) {
    const captionId = useId();
    const top = niceMax(Math.max(0, ...points.map((point) => point.value)));
    const innerWidth = WIDTH - PAD.left - PAD.right;
    const innerHeight = HEIGHT - PAD.top - PAD.bottom;
    const x = (index: number) => PAD.left + (points.length > 1 ? (index * innerWidth) / (points.length - 1) : innerWidth / 2);
    const y = (value: number) => PAD.top + innerHeight - (value / top) * innerHeight;
    const path = points.map((point, index) => `${index ? 'L' : 'M'}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
    const total = points.reduce((sum, point) => sum + point.value, 0);
    const summary = t('console.chart.summary', {
        title,
        days: points.length,
        total,
        max: Math.max(0, ...points.map((point) => point.value)),
    });
    const labelled = points.length ? [0, Math.floor((points.length - 1) / 2), points.length - 1] : [];

    return (
        <figure className='console-chart'>
            <figcaption id={captionId}>{title}</figcaption>
            <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role='img' aria-labelledby={captionId} aria-describedby={`${captionId}-summary`}>
                <desc id={`${captionId}-summary`}>{summary}</desc>
                {[0, top / 2, top].map((tick) => (
                    <g key={tick}>
                        <line className='axis' x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)}/>
                        <text x={PAD.left - 6} y={y(tick) + 4} textAnchor='end'>{tick}</text>
                    </g>
                ))}
                {labelled.map((index) => (
                    <text key={index} x={x(index)} y={HEIGHT - 8} textAnchor='middle'>{points[index].day.slice(5)}</text>
                ))}
                <path d={path} fill='none' stroke='currentColor' strokeWidth={2} data-testid='chart-line'/>
                {points.map((point, index) => (
                    <circle key={point.day} cx={x(index)} cy={y(point.value)} r={2.5} fill='currentColor'>
                        <title>{`${point.day}: ${point.value}`}</title>
                    </circle>
                ))}
            </svg>
            <details>
                <summary>{t('console.chart.table')}</summary>
                <table className='console-table'>
                    <caption className='visually-hidden'>{title}</caption>
                    <thead><tr><th scope='col'>{t('console.chart.day')}</th><th scope='col'>{t('console.chart.value')}</th></tr></thead>
                    <tbody>
                        {points.map((point) => (
                            <tr key={point.day}><td>{point.day}</td><td>{point.value}</td></tr>
                        ))}
                    </tbody>
                </table>
            </details>
        </figure>
    );
}

import {Fragment, type CSSProperties, type ReactNode} from 'react';

import {Emoji} from '../emoji/Emoji';
import {t} from '../i18n/i18n';
import {ChannelMention} from './ChannelMention';
import {CodeBlock} from './CodeBlock';
import {Hashtag} from './Hashtag';
import {LatexBlock, LatexInline} from './Latex';
import {parseMarkdown, type Block, type CellAlign, type Inline} from './parse';
import {useAppState} from '../store/state';

interface Props {
    text: string;
    /** Usernames that should stand out, the reader's own first among them. */
    highlight?: ReadonlySet<string>;
    /** How to show a run of plain text, e.g. with search words marked; as it is by default. */
    mark?: (text: string) => ReactNode;
}

interface Options {
    highlight?: ReadonlySet<string>;
    mark?: (text: string) => ReactNode;
    /** Inside a link's words, where a hashtag stays text (a button may not sit in a link). */
    inLink?: boolean;
    /** ```latex blocks drawn as formulas (the server's EnableLatex); code blocks otherwise. */
    latexBlocks: boolean;
}

// Mattermost draws code blocks in either language as LaTeX.
const LATEX_LANGUAGES = new Set(['latex', 'tex']);

/** A message's Markdown as React elements: never HTML, so nothing in a message can run. */
export function Markdown({text, highlight, mark}: Props) {
    const latex = useAppState((state) => state.latex);
    const options: Options = {highlight, mark, latexBlocks: latex.blocks};
    return <>{parseMarkdown(text, {inlineLatex: latex.inline}).map((block, i) => renderBlock(block, i, options))}</>;
}

function renderBlock(block: Block, key: number, options: Options): ReactNode {
    switch (block.type) {
    case 'paragraph':
        return <p key={key}>{renderInlines(block.children, options)}</p>;
    case 'heading': {
        const Tag = `h${Math.min(block.level + 2, 6)}` as 'h3';
        return <Tag key={key} className='md-heading'>{renderInlines(block.children, options)}</Tag>;
    }
    case 'code':
        if (options.latexBlocks && LATEX_LANGUAGES.has(block.language.toLowerCase())) {
            return <LatexBlock key={key} text={block.text}/>;
        }
        return <CodeBlock key={key} language={block.language} text={block.text}/>;
    case 'quote':
        return <blockquote key={key}>{block.children.map((child, i) => renderBlock(child, i, options))}</blockquote>;
    case 'list': {
        const items = block.items.map((item, i) => {
            const task = block.tasks?.[i] ?? null;
            return (
                <li key={i} className={task === null ? undefined : 'md-task'}>
                    {task !== null && <input type='checkbox' className='md-task-box' checked={task} disabled readOnly aria-label={t('markdown.task')}/>}
                    {item.map((child, j) => renderBlock(child, j, options))}
                </li>
            );
        });
        return block.ordered ? <ol key={key} start={block.start}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case 'table':
        return (
            <div key={key} className='md-table-wrap'>
                <table className='md-table'>
                    <thead>
                        <tr>{block.header.map((cell, i) => <th key={i} style={alignment(block.align[i])}>{renderInlines(cell, options)}</th>)}</tr>
                    </thead>
                    <tbody>
                        {block.rows.map((row, r) => (
                            <tr key={r}>
                                {block.header.map((_, i) => <td key={i} style={alignment(block.align[i])}>{renderInlines(row[i] ?? [], options)}</td>)}
                            </tr>
                        ))}
                    </tbody>
                </table>
            </div>
        );
    case 'rule':
        return <hr key={key}/>;
    }
}

function alignment(align: CellAlign): CSSProperties | undefined {
    return align ? {textAlign: align} : undefined;
}

function renderInlines(nodes: Inline[], options: Options): ReactNode {
    return nodes.map((node, i) => <Fragment key={i}>{renderInline(node, options)}</Fragment>);
}

function renderInline(node: Inline, options: Options): ReactNode {
    switch (node.type) {
    case 'text':
        return options.mark ? options.mark(node.text) : node.text;
    case 'br':
        return <br/>;
    case 'code':
        return <code className='md-inline-code'>{options.mark ? options.mark(node.text) : node.text}</code>;
    case 'strong':
        return <strong>{renderInlines(node.children, options)}</strong>;
    case 'em':
        return <em>{renderInlines(node.children, options)}</em>;
    case 'del':
        return <del>{renderInlines(node.children, options)}</del>;
    case 'link':
        return (
            <a href={node.href} target='_blank' rel='noopener noreferrer'>
                {renderInlines(node.children, {...options, inLink: true})}
            </a>
        );
    case 'mention': {
        const name = node.name.toLowerCase().replace(/[._-]+$/, '');
        const mine = options.highlight?.has(name);
        const shown = `@${node.name}`;
        return <span className={mine ? 'mention mention-me' : 'mention'}>{options.mark ? options.mark(shown) : shown}</span>;
    }
    case 'channel':
        return <ChannelMention name={node.name} mark={options.mark}/>;
    case 'hashtag':
        return options.inLink ? (options.mark ? options.mark(`#${node.tag}`) : `#${node.tag}`) : <Hashtag tag={node.tag} mark={options.mark}/>;
    case 'emoji':
        return <Emoji name={node.name}/>;
    case 'latex':
        return <LatexInline text={node.text}/>;
    }
}

import {Fragment, type ReactNode} from 'react';

import {Emoji} from '../emoji/Emoji';
import {parseMarkdown, type Block, type Inline} from './parse';

interface Props {
    text: string;
    /** Usernames that should stand out, the reader's own first among them. */
    highlight?: ReadonlySet<string>;
}

/** A message's Markdown as React elements: never HTML, so nothing in a message can run. */
export function Markdown({text, highlight}: Props) {
    return <>{parseMarkdown(text).map((block, i) => renderBlock(block, i, highlight))}</>;
}

function renderBlock(block: Block, key: number, highlight?: ReadonlySet<string>): ReactNode {
    switch (block.type) {
    case 'paragraph':
        return <p key={key}>{renderInlines(block.children, highlight)}</p>;
    case 'heading': {
        const Tag = `h${Math.min(block.level + 2, 6)}` as 'h3';
        return <Tag key={key} className='md-heading'>{renderInlines(block.children, highlight)}</Tag>;
    }
    case 'code':
        return (
            <pre key={key} className='md-code' dir='ltr'>
                <code data-language={block.language || undefined}>{block.text}</code>
            </pre>
        );
    case 'quote':
        return <blockquote key={key}>{block.children.map((child, i) => renderBlock(child, i, highlight))}</blockquote>;
    case 'list': {
        const items = block.items.map((item, i) => (
            <li key={i}>{item.map((child, j) => renderBlock(child, j, highlight))}</li>
        ));
        return block.ordered ? <ol key={key} start={block.start}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case 'rule':
        return <hr key={key}/>;
    }
}

function renderInlines(nodes: Inline[], highlight?: ReadonlySet<string>): ReactNode {
    return nodes.map((node, i) => <Fragment key={i}>{renderInline(node, highlight)}</Fragment>);
}

function renderInline(node: Inline, highlight?: ReadonlySet<string>): ReactNode {
    switch (node.type) {
    case 'text':
        return node.text;
    case 'br':
        return <br/>;
    case 'code':
        return <code className='md-inline-code'>{node.text}</code>;
    case 'strong':
        return <strong>{renderInlines(node.children, highlight)}</strong>;
    case 'em':
        return <em>{renderInlines(node.children, highlight)}</em>;
    case 'del':
        return <del>{renderInlines(node.children, highlight)}</del>;
    case 'link':
        return (
            <a href={node.href} target='_blank' rel='noopener noreferrer'>
                {renderInlines(node.children, highlight)}
            </a>
        );
    case 'mention': {
        const name = node.name.toLowerCase().replace(/[._-]+$/, '');
        const mine = highlight?.has(name);
        return <span className={mine ? 'mention mention-me' : 'mention'}>@{node.name}</span>;
    }
    case 'emoji':
        return <Emoji name={node.name}/>;
    }
}

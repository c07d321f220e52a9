// Drives the server with the official @mattermost/client (Client4 and WebSocketClient) as one
// user's session, with a second user posting, and prints a JSON summary on a line starting
// "SUMMARY " for tests/clients/test_mattermost_client_js.py to check.
//
//   node client_flow.mjs '{"url": "http://127.0.0.1:8065", "team_id": "...",
//                          "user": {"login_id": "...", "password": "..."},
//                          "other": {"login_id": "...", "password": "..."}}'

import mattermostClient from '@mattermost/client';
import WebSocket from 'ws';

const {Client4, WebSocketClient} = mattermostClient;

// WebSocketClient reads WebSocket.OPEN from the global scope, which Node 20 does not provide.
globalThis.WebSocket = WebSocket;

const EVENT_TIMEOUT_MS = 10000;
const config = JSON.parse(process.argv[2]);

async function signIn(credentials) {
    const client = new Client4();
    client.setUrl(config.url);
    const user = await client.login(credentials.login_id, credentials.password);
    return {client, user};
}

class Events {
    constructor() {
        this.seen = [];
        this.waiters = [];
    }

    hear(message) {
        this.seen.push(message);
        this.waiters = this.waiters.filter(({match, resolve}) => {
            if (match(message)) {
                resolve(message);
                return false;
            }
            return true;
        });
    }

    // The first message since `from` (an index into `seen`) that matches.
    waitFor(description, match, from = 0) {
        const earlier = this.seen.slice(from).find(match);
        if (earlier) {
            return Promise.resolve(earlier);
        }
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                const heard = this.seen.map((m) => m.event || `reply:${m.seq_reply}`);
                reject(new Error(`no ${description} within ${EVENT_TIMEOUT_MS}ms; heard ${heard.join(',')}`));
            }, EVENT_TIMEOUT_MS);
            this.waiters.push({match, resolve: (message) => {
                clearTimeout(timer);
                resolve(message);
            }});
        });
    }
}

const postIn = (event, check) => (m) => m.event === event && check(JSON.parse(m.data.post));

async function unreadIn(client, channelId) {
    const [channel, member] = await Promise.all([client.getChannel(channelId), client.getMyChannelMember(channelId)]);
    return {messages: channel.total_msg_count - member.msg_count, mentions: member.mention_count};
}

async function main() {
    const {client, user: me} = await signIn(config.user);
    const {client: other} = await signIn(config.other);
    const summary = {user_id: me.id};

    const teams = await client.getMyTeams();
    summary.team_ids = teams.map((t) => t.id);
    const channels = await client.getMyChannels(config.team_id);
    summary.channel_names = channels.map((c) => c.name).sort();
    const members = await client.getMyChannelMembers(config.team_id);
    summary.member_channel_ids = members.map((m) => m.channel_id).sort();
    const townSquare = channels.find((c) => c.name === 'town-square');
    const offTopic = channels.find((c) => c.name === 'off-topic');

    const events = new Events();
    const socket = new WebSocketClient({newWebSocketFn: (url) => new WebSocket(url)});
    socket.addMessageListener((message) => events.hear(message));
    socket.initialize(client.getWebSocketUrl().replace(/^http/, 'ws'), client.getToken());
    const hello = await events.waitFor('hello', (m) => m.event === 'hello');
    summary.hello = {seq: hello.seq, has_connection_id: Boolean(hello.data.connection_id)};
    summary.pong = await new Promise((resolve) => socket.ping((reply) => resolve(reply.status === 'OK')));

    const post = await client.createPost({channel_id: townSquare.id, message: 'to be, or not to be'});
    await events.waitFor('posted', postIn('posted', (p) => p.id === post.id));
    const reply = await client.createPost({channel_id: townSquare.id, message: 'that is', root_id: post.id});
    await events.waitFor('posted reply', postIn('posted', (p) => p.id === reply.id && p.root_id === post.id));
    const thread = await client.getPostThread(post.id);
    summary.thread_order = thread.order;
    summary.post_ids = {root: post.id, reply: reply.id};

    const reaction = await client.addReaction(me.id, post.id, 'tada');
    summary.reaction = reaction.emoji_name;
    const added = await events.waitFor('reaction_added', (m) => m.event === 'reaction_added');
    summary.reaction_event_post_id = JSON.parse(added.data.reaction).post_id;
    summary.reactions = (await client.getReactionsForPost(post.id)).map((r) => r.emoji_name);

    const edited = await client.patchPost({id: post.id, message: 'to be (edited)'});
    summary.edited = {message: edited.message, edited: edited.edit_at > 0};
    await events.waitFor('post_edited', postIn('post_edited', (p) => p.message === 'to be (edited)'));
    await client.deletePost(reply.id);
    await events.waitFor('post_deleted', postIn('post_deleted', (p) => p.id === reply.id));
    const history = await client.getPosts(townSquare.id);
    summary.history_has_root = history.order.includes(post.id);
    summary.history_has_deleted_reply = history.order.includes(reply.id);

    await client.viewMyChannel(offTopic.id);
    summary.unread_before = await unreadIn(client, offTopic.id);
    const mark = events.seen.length;
    await other.createPost({channel_id: offTopic.id, message: 'a first line'});
    await other.createPost({channel_id: offTopic.id, message: `@${me.username} a second, for you`});
    await events.waitFor('posted mention', postIn('posted', (p) => p.message.startsWith('@')), mark);
    summary.unread_after_posts = await unreadIn(client, offTopic.id);
    const teamUnreads = await client.getMyTeamUnreads();
    summary.team_unread = teamUnreads.find((t) => t.team_id === config.team_id) || null;

    await client.viewMyChannel(offTopic.id);
    await events.waitFor('channel_viewed', (m) => m.event === 'channel_viewed' && m.data.channel_id === offTopic.id);
    summary.unread_after_view = await unreadIn(client, offTopic.id);

    // Files: uploadFile with FormData (two files, their client ids), attach, then read back
    // through getFileUrl and getFileThumbnailUrl as the web app does, with the session token.
    const form = new FormData();
    form.append('channel_id', townSquare.id);
    form.append('client_ids', 'js-notes');
    form.append('files', new Blob(['the rest is silence'], {type: 'text/plain'}), 'notes.txt');
    form.append('client_ids', 'js-sky');
    form.append('files', new Blob([Buffer.from(config.png_base64, 'base64')], {type: 'image/png'}), 'sky.png');
    const uploaded = await client.uploadFile(form);
    const [notes, sky] = uploaded.file_infos;
    summary.upload = {
        client_ids: uploaded.client_ids,
        ids: uploaded.file_infos.map((f) => f.id),
        names: uploaded.file_infos.map((f) => f.name),
        image_size: [sky.width, sky.height],
    };
    const withFiles = await client.createPost({channel_id: townSquare.id, message: 'files', file_ids: summary.upload.ids});
    summary.file_post_files = withFiles.metadata.files.map((f) => f.id);
    const authorised = (extra = {}) => ({headers: {Authorization: `Bearer ${client.getToken()}`, ...extra}});
    const whole = await fetch(client.getFileUrl(notes.id, Date.now()), authorised());
    summary.download = {
        status: whole.status,
        text: await whole.text(),
        inline: (whole.headers.get('content-disposition') || '').startsWith('inline'),
    };
    const part = await fetch(client.getFileUrl(notes.id), authorised({Range: 'bytes=4-7'}));
    summary.range = {status: part.status, text: await part.text(), content_range: part.headers.get('content-range')};
    const thumbnail = await fetch(client.getFileThumbnailUrl(sky.id, Date.now()), authorised());
    await thumbnail.arrayBuffer();
    summary.thumbnail = {status: thumbnail.status, type: thumbnail.headers.get('content-type')};
    const outsider = await fetch(client.getFileUrl(notes.id));
    await outsider.arrayBuffer();
    summary.outsider_download_status = outsider.status;

    summary.events = [...new Set(events.seen.map((m) => m.event).filter(Boolean))].sort();
    socket.close();
    return summary;
}

main().then(
    (summary) => {
        console.log('SUMMARY ' + JSON.stringify(summary));
        process.exit(0);
    },
    (error) => {
        console.error(error && error.stack ? error.stack : error);
        process.exit(1);
    },
);

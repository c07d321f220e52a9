"""Every table, in SQLAlchemy Core. Columns follow Mattermost's names so rows render directly."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _id(name: str = "id", **kwargs: object) -> Column:
    return Column(name, String(26), **kwargs)  # type: ignore[arg-type]


def _ms(name: str, default: int = 0) -> Column:
    return Column(name, BigInteger, nullable=False, default=default, server_default=str(default))


systems = Table(
    "systems",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The settings an administrator changed through /api/v4/config: one row per setting that differs
# from its default, named by Mattermost's Section.Key, its value as JSON in Mattermost's units.
config_values = Table(
    "config_values",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("value", Text, nullable=False),
    Column("update_at", BigInteger, nullable=False),
)

users = Table(
    "users",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    Column("username", String(64), nullable=False, unique=True),
    Column("email", String(128), nullable=False, unique=True),
    Column("email_verified", Boolean, nullable=False, default=False),
    Column("password_hash", Text, nullable=False, default=""),
    Column("nickname", String(64), nullable=False, default=""),
    Column("first_name", String(64), nullable=False, default=""),
    Column("last_name", String(64), nullable=False, default=""),
    Column("position", String(128), nullable=False, default=""),
    # Space-separated role names, as Mattermost sends them ("system_user system_admin").
    Column("roles", String(256), nullable=False, default="system_user"),
    Column("locale", String(8), nullable=False, default="en"),
    Column("timezone", JSON, nullable=False, default=dict),
    Column("notify_props", JSON, nullable=False, default=dict),
    Column("props", JSON, nullable=False, default=dict),
    _ms("last_password_update"),
    _ms("last_picture_update"),
    Column("is_bot", Boolean, nullable=False, default=False),
    Column("auth_service", String(32), nullable=False, default=""),
    # Two-factor authentication is on: login needs a code (the secret is in mfa_secrets).
    Column("mfa_active", Boolean, nullable=False, default=False, server_default=false()),
    # The account's stable key at its sign-in service (OpenID Connect `sub`, MediaWiki's central
    # user id); NULL for password accounts, so the unique key leaves them alone.
    Column("auth_data", String(128), nullable=True),
    UniqueConstraint("auth_service", "auth_data"),
)

# A user's TOTP secret (RFC 6238), from generation on; it counts only once users.mfa_active is
# set. Kept as-is (verifying a code needs it) and never rendered after POST /mfa/generate.
# last_used_step is the newest time step a code was accepted for: a code for it or an earlier
# step is refused, so a code cannot be used twice (decided by a conditional UPDATE).
mfa_secrets = Table(
    "mfa_secrets",
    metadata,
    _id("user_id", primary_key=True),
    Column("secret", String(64), nullable=False),
    _ms("create_at"),
    _ms("last_used_step"),
)

# One-time recovery codes, each usable once in place of a TOTP code; only their sha256 is kept
# (they are 80 random bits, so a fast hash is enough). used_at is 0 until the code is used.
mfa_recovery_codes = Table(
    "mfa_recovery_codes",
    metadata,
    _id("user_id", nullable=False, index=True),
    Column("code_hash", String(64), nullable=False),
    _ms("create_at"),
    _ms("used_at"),
    PrimaryKeyConstraint("user_id", "code_hash", name="pk_mfa_recovery_codes"),
)

# Security keys and passkeys (WebAuthn) registered as a second factor. credential_id is the
# authenticator's id (base64url, as it travels); public_key its COSE key. sign_count is the
# authenticator's counter at its last use: an assertion must carry a higher one (when either
# is non-zero), so a cloned key falls behind and is refused (decided by a conditional UPDATE).
webauthn_credentials = Table(
    "webauthn_credentials",
    metadata,
    _id(primary_key=True),
    _id("user_id", nullable=False, index=True),
    Column("credential_id", String(1400), nullable=False, unique=True),
    Column("public_key", LargeBinary, nullable=False),
    Column("sign_count", BigInteger, nullable=False, default=0, server_default="0"),
    Column("name", String(64), nullable=False),
    Column("transports", String(128), nullable=False, default="", server_default=""),
    _ms("create_at"),
    _ms("last_used_at"),
)

# A WebAuthn ceremony begun and not yet finished: the challenge's sha256, whose user it is,
# and whether it registers a key or finishes a login whose password was already checked.
# Deleting the row is what uses it, so a challenge works once; it expires after a few minutes.
webauthn_challenges = Table(
    "webauthn_challenges",
    metadata,
    Column("challenge_hash", String(64), primary_key=True),
    _id("user_id", nullable=False),
    Column("kind", String(16), nullable=False),
    _ms("create_at"),
    _ms("expires_at"),
    Index("ix_webauthn_challenges_expires_at", "expires_at"),
)


# A sign-in begun at an identity provider and not yet come back (api/sso.py): looked up by the
# `state` it sent, used once, and only by the browser holding the cookie whose hash is `binding`.
sso_states = Table(
    "sso_states",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("binding", String(64), nullable=False),
    Column("service", String(32), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("redirect_to", String(1024), nullable=False, default=""),
    # web or mobile; a mobile sign-in ends at the app's scheme with the token in the query.
    Column("action", String(16), nullable=False, default="web"),
    Column("invite_id", String(64), nullable=False, default=""),
    _ms("expires_at"),
    Index("ix_sso_states_expires_at", "expires_at"),
)

sessions = Table(
    "sessions",
    metadata,
    _id(primary_key=True),
    # sha256 of the bearer token: a leaked database does not hand out live sessions.
    Column("token_hash", String(64), nullable=False, unique=True),
    _id("user_id", nullable=False, index=True),
    _ms("create_at"),
    _ms("expires_at"),
    _ms("last_activity_at"),
    Column("device_id", String(512), nullable=False, default=""),
    Column("csrf_token", String(26), nullable=False, default=""),
    Column("props", JSON, nullable=False, default=dict),
)

user_access_tokens = Table(
    "user_access_tokens",
    metadata,
    _id(primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    _id("user_id", nullable=False, index=True),
    Column("description", String(512), nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    _ms("create_at"),
)

teams = Table(
    "teams",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    Column("display_name", String(64), nullable=False),
    Column("name", String(64), nullable=False, unique=True),
    Column("description", String(255), nullable=False, default=""),
    Column("email", String(128), nullable=False, default=""),
    # "O" open (anyone on the server may join), "I" invite only.
    Column("type", String(1), nullable=False, default="I"),
    Column("company_name", String(64), nullable=False, default=""),
    Column("allowed_domains", Text, nullable=False, default=""),
    Column("invite_id", String(26), nullable=False, unique=True),
    # When invite_id was made: an invite link expires invite_link_expiry_hours after it.
    _ms("invite_id_at"),
    Column("allow_open_invite", Boolean, nullable=False, default=False),
    _ms("last_team_icon_update"),
)

team_members = Table(
    "team_members",
    metadata,
    _id("team_id", nullable=False),
    _id("user_id", nullable=False, index=True),
    Column("roles", String(256), nullable=False, default=""),
    Column("scheme_admin", Boolean, nullable=False, default=False),
    _ms("create_at"),
    _ms("delete_at"),
    PrimaryKeyConstraint("team_id", "user_id"),
)

channels = Table(
    "channels",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    # Empty for direct and group messages, which belong to no team.
    Column("team_id", String(26), nullable=False, default=""),
    # O public, P private, D direct, G group.
    Column("type", String(1), nullable=False),
    Column("display_name", String(64), nullable=False, default=""),
    Column("name", String(64), nullable=False),
    Column("header", String(1024), nullable=False, default=""),
    Column("purpose", String(250), nullable=False, default=""),
    _ms("last_post_at"),
    _ms("last_root_post_at"),
    Column("total_msg_count", BigInteger, nullable=False, default=0),
    Column("total_msg_count_root", BigInteger, nullable=False, default=0),
    Column("creator_id", String(26), nullable=False, default=""),
    Column("props", JSON, nullable=False, default=dict),
    UniqueConstraint("team_id", "name"),
)

channel_members = Table(
    "channel_members",
    metadata,
    _id("channel_id", nullable=False),
    _id("user_id", nullable=False, index=True),
    Column("roles", String(256), nullable=False, default=""),
    Column("scheme_admin", Boolean, nullable=False, default=False),
    _ms("last_viewed_at"),
    # Counts of the channel's messages the member has read; unread = channel total - these.
    Column("msg_count", BigInteger, nullable=False, default=0),
    Column("msg_count_root", BigInteger, nullable=False, default=0),
    Column("mention_count", Integer, nullable=False, default=0),
    Column("mention_count_root", Integer, nullable=False, default=0),
    Column("urgent_mention_count", Integer, nullable=False, default=0),
    Column("notify_props", JSON, nullable=False, default=dict),
    _ms("last_update_at"),
    PrimaryKeyConstraint("channel_id", "user_id"),
)

posts = Table(
    "posts",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("edit_at"),
    _ms("delete_at"),
    Column("is_pinned", Boolean, nullable=False, default=False),
    _id("user_id", nullable=False),
    _id("channel_id", nullable=False),
    # Empty for a root post; the thread's root post id for a reply.
    Column("root_id", String(26), nullable=False, default=""),
    Column("original_id", String(26), nullable=False, default=""),
    Column("message", Text, nullable=False, default=""),
    Column("type", String(64), nullable=False, default=""),
    Column("props", JSON, nullable=False, default=dict),
    Column("hashtags", Text, nullable=False, default=""),
    Column("file_ids", JSON, nullable=False, default=list),
    Column("pending_post_id", String(64), nullable=False, default=""),
    Index("ix_posts_channel_id_create_at", "channel_id", "create_at"),
    Index("ix_posts_root_id_create_at", "root_id", "create_at"),
    # A channel's root posts newest first (collapsed reply threads, every client's default).
    # Without it SQLite answered root_id = '' from the index above, walking the root posts of
    # every channel until it had a page of this one's (11.6 ms at 1,000,000 posts, 0.3 with it).
    Index("ix_posts_channel_id_root_id_create_at", "channel_id", "root_id", "create_at"),
    # A channel's changes since a time (GET /channels/{id}/posts?since=, every client's sync):
    # without it each call walked the channel's whole history.
    Index("ix_posts_channel_id_update_at", "channel_id", "update_at"),
    # Pinned posts are few: a channel's count (every channel's stats) reads only them.
    Index(
        "ix_posts_channel_id_pinned",
        "channel_id",
        sqlite_where=text("is_pinned = 1"),
        postgresql_where=text("is_pinned"),
    ),
    Index("ix_posts_user_id", "user_id"),
    # The statistics' per-day series read a range of days (store/analytics.py).
    Index("ix_posts_create_at", "create_at"),
)

reactions = Table(
    "reactions",
    metadata,
    _id("user_id", nullable=False),
    _id("post_id", nullable=False),
    Column("emoji_name", String(64), nullable=False),
    _id("channel_id", nullable=False),
    _ms("create_at"),
    PrimaryKeyConstraint("post_id", "user_id", "emoji_name"),
    # Deleting a custom emoji removes every reaction that names it.
    Index("ix_reactions_emoji_name", "emoji_name"),
)

threads = Table(
    "threads",
    metadata,
    # The root post's id: one row per thread, created with its first reply.
    _id("post_id", primary_key=True),
    _id("channel_id", nullable=False, index=True),
    Column("reply_count", BigInteger, nullable=False, default=0),
    _ms("last_reply_at"),
    # User ids in order of first participation.
    Column("participants", JSON, nullable=False, default=list),
    _ms("thread_delete_at"),
)

thread_memberships = Table(
    "thread_memberships",
    metadata,
    _id("post_id", nullable=False),
    _id("user_id", nullable=False, index=True),
    Column("following", Boolean, nullable=False, default=True),
    _ms("last_viewed"),
    _ms("last_updated"),
    Column("unread_mentions", Integer, nullable=False, default=0),
    PrimaryKeyConstraint("post_id", "user_id"),
)

preferences = Table(
    "preferences",
    metadata,
    _id("user_id", nullable=False),
    Column("category", String(32), nullable=False),
    Column("name", String(64), nullable=False),
    Column("value", Text, nullable=False, default=""),
    PrimaryKeyConstraint("user_id", "category", "name"),
)

# A message being written, kept for its author's other devices: one per channel and thread
# (root_id is empty for the channel's own composer).
drafts = Table(
    "drafts",
    metadata,
    _id("user_id", nullable=False),
    _id("channel_id", nullable=False),
    Column("root_id", String(26), nullable=False, default=""),
    Column("message", Text, nullable=False, default=""),
    Column("props", JSON, nullable=False, default=dict),
    Column("file_ids", JSON, nullable=False, default=list),
    _ms("create_at"),
    _ms("update_at"),
    PrimaryKeyConstraint("user_id", "channel_id", "root_id"),
)

statuses = Table(
    "statuses",
    metadata,
    _id("user_id", primary_key=True),
    # online, away, offline or dnd.
    Column("status", String(32), nullable=False, default="offline"),
    # A status the user chose (away, dnd, offline) is kept until they change it.
    Column("manual", Boolean, nullable=False, default=False),
    _ms("last_activity_at"),
    _ms("dnd_end_time"),
    Column("prev_status", String(32), nullable=False, default=""),
)

sidebar_categories = Table(
    "sidebar_categories",
    metadata,
    _id(primary_key=True),
    _id("user_id", nullable=False),
    _id("team_id", nullable=False),
    # favorites, channels, direct_messages or custom.
    Column("type", String(32), nullable=False),
    Column("display_name", String(64), nullable=False),
    Column("sort_order", BigInteger, nullable=False, default=0),
    # "" (manual for custom), alpha, manual or recent.
    Column("sorting", String(16), nullable=False, default=""),
    Column("muted", Boolean, nullable=False, default=False),
    Column("collapsed", Boolean, nullable=False, default=False),
    Index("ix_sidebar_categories_user_id_team_id", "user_id", "team_id"),
    # One favorites, one channels and one direct_messages category per user and team.
    Index(
        "uq_sidebar_categories_user_id_team_id_type",
        "user_id",
        "team_id",
        "type",
        unique=True,
        sqlite_where=text("type != 'custom'"),
        postgresql_where=text("type != 'custom'"),
    ),
)

sidebar_channels = Table(
    "sidebar_channels",
    metadata,
    _id("category_id", nullable=False),
    _id("channel_id", nullable=False),
    _id("user_id", nullable=False),
    Column("sort_order", BigInteger, nullable=False, default=0),
    PrimaryKeyConstraint("category_id", "channel_id"),
    Index("ix_sidebar_channels_user_id_channel_id", "user_id", "channel_id"),
)

jobs = Table(
    "jobs",
    metadata,
    _id(primary_key=True),
    Column("type", String(32), nullable=False),
    Column("priority", BigInteger, nullable=False, default=0),
    _ms("create_at"),
    _ms("start_at"),
    _ms("last_activity_at"),
    # Mattermost's job statuses: pending, in_progress, success, error, cancel_requested, canceled.
    Column("status", String(32), nullable=False),
    Column("progress", BigInteger, nullable=False, default=0),
    # Mattermost's job data: a map of strings.
    Column("data", JSON, nullable=False, default=dict),
    # The claim of the process running the job; once lease_until has passed (the process died),
    # another process may take it over, and the first one's claim_token no longer finishes it.
    Column("claim_token", String(26), nullable=False, default=""),
    _ms("lease_until"),
    Index("ix_jobs_type_create_at", "type", "create_at"),
    Index("ix_jobs_status_create_at", "status", "create_at"),
)

# When each recurring job type last ran: the process whose conditional update moves it on is the
# one that creates the run, so several processes create one run between them.
job_schedules = Table(
    "job_schedules",
    metadata,
    Column("type", String(32), primary_key=True),
    _ms("last_run_at"),
)

outbox = Table(
    "outbox",
    metadata,
    # Also the delivery id the remote side sees, so it can drop a repeat.
    _id(primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("payload", JSON, nullable=False, default=dict),
    # pending, in_progress, done, failed (no attempts left) or canceled.
    Column("status", String(16), nullable=False, default="pending"),
    # When the item may next be claimed: when it was enqueued, the end of its backoff after a
    # failure, the end of its claim's lease while in progress (a dead process's claim lapses).
    _ms("available_at"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("claim_token", String(26), nullable=False, default=""),
    Column("last_error", Text, nullable=False, default=""),
    # The admin job this item carries out, if any: the job's status follows the item's.
    Column("job_id", String(26), nullable=False, default="", index=True),
    _ms("create_at"),
    _ms("update_at"),
    Index("ix_outbox_status_available_at", "status", "available_at"),
)

# Uploaded files (Mattermost's FileInfo). post_id is empty until a post attaches the file; the
# paths are storage keys built from ids (files/storage.py), never from the client's file name.
file_infos = Table(
    "file_infos",
    metadata,
    _id(primary_key=True),
    _id("creator_id", nullable=False),
    Column("post_id", String(26), nullable=False, default=""),
    _id("channel_id", nullable=False),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    Column("path", String(512), nullable=False),
    Column("thumbnail_path", String(512), nullable=False, default=""),
    Column("preview_path", String(512), nullable=False, default=""),
    Column("name", String(256), nullable=False),
    Column("extension", String(64), nullable=False, default=""),
    Column("size", BigInteger, nullable=False),
    Column("mime_type", String(256), nullable=False, default=""),
    Column("width", Integer, nullable=False, default=0),
    Column("height", Integer, nullable=False, default=0),
    Column("has_preview_image", Boolean, nullable=False, default=False),
    Column("mini_preview", LargeBinary, nullable=True),
    Index("ix_file_infos_post_id", "post_id"),
    Index("ix_file_infos_creator_id_create_at", "creator_id", "create_at"),
)

# Custom emoji (Mattermost's Emoji). Deleting sets delete_at, so a name is unique among live emoji
# only: the unique key on (name, delete_at) lets a deleted emoji's name be used again, and decides
# between two people creating the same name at once.
emoji = Table(
    "emoji",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    _id("creator_id", nullable=False),
    Column("name", String(64), nullable=False),
    UniqueConstraint("name", "delete_at"),
)

# The search index: one row per live post that is not a system message, written with the post
# (store/search.py). `terms` holds the post's tokens (search/text.py): a space-separated string
# under SQLite's FTS5 table, a tsvector under PostgreSQL's GIN index (search/engines.py owns
# both, and a trigger that drops the row when its post's row is deleted, as a retention purge
# will). `doc_id` is the FTS5 rowid, stable across VACUUM. The post's channel and creation time
# are copied here (they never change) so that PostgreSQL can read the matches newest first and
# stop at a full page, through btree indexes of its own (search/engines.py ORDER_INDEXES,
# decision 0025); SQLite's FTS5 rowids are already in time order and need none.
search_posts = Table(
    "search_posts",
    metadata,
    Column("doc_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("post_id", String(26), nullable=False, unique=True),
    Column("terms", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
    Column("channel_id", String(26), nullable=False, server_default=""),
    _ms("create_at"),
)

# The file search index: one row per uploaded file, with the tokens of its name and of its
# text layer (files/text_layer.py), written with the file (store/search.py index_files). As for
# posts, search/engines.py owns the FTS5 table or GIN index on `terms`, and a trigger that drops
# the row when the file's row is deleted.
search_files = Table(
    "search_files",
    metadata,
    Column("doc_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("file_id", String(26), nullable=False, unique=True),
    Column("terms", Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
)

# What link previews found at a URL (previews/): OpenGraph data, an image's size, nothing to show
# ("none"), or a failure. Keyed by the URL normalised (previews/links.py cache_key); a row is
# fetched again once expires_at has passed, sooner for failures than for results.
link_previews = Table(
    "link_previews",
    metadata,
    Column("url", String(2048), primary_key=True),
    # opengraph, image, none or failed.
    Column("kind", String(16), nullable=False),
    Column("data", JSON, nullable=False, default=dict),
    Column("error", String(1000), nullable=False, default=""),
    _ms("fetched_at"),
    _ms("expires_at"),
    Index("ix_link_previews_expires_at", "expires_at"),
)

# The single-use links the server mails: address verification, password reset, invitations.
# Only the sha256 of each token is kept, as for sessions; using one deletes its row.
tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    # verify_email, password_recovery, team_invitation, guest_invitation (Mattermost's names).
    Column("type", String(32), nullable=False),
    # The account it acts on; "" for an invitation, which makes one.
    _id("user_id", nullable=False, default="", index=True),
    # The address it was sent to (a verification's new address, an invitation's invitee).
    Column("email", String(128), nullable=False, default=""),
    # An invitation's team_id and, for a guest, its channel_ids.
    Column("data", JSON, nullable=False, default=dict),
    _ms("create_at"),
    _ms("expires_at"),
    Index("ix_tokens_expires_at", "expires_at"),
)

# -- e-mail notifications --------------------------------------------------------------------------

# Notifications waiting for the recipient's next batched mail (email_interval above "immediately").
# A batch takes every row of its user at once; one row per (user, post) however often queued.
email_notifications = Table(
    "email_notifications",
    metadata,
    _id("user_id", nullable=False),
    _id("post_id", nullable=False),
    _id("channel_id", nullable=False),
    _ms("queued_at"),
    PrimaryKeyConstraint("user_id", "post_id"),
)

# A browser's Web Push subscription (PushManager.subscribe), one per endpoint: the endpoint names
# one browser profile at its push service. It belongs to the session that registered it, so
# signing out there (or the session expiring) stops its pushes.
webpush_subscriptions = Table(
    "webpush_subscriptions",
    metadata,
    _id(primary_key=True),
    _id("user_id", nullable=False, index=True),
    _id("session_id", nullable=False, index=True),
    Column("endpoint", String(1024), nullable=False, unique=True),
    # The browser's P-256 public key and auth secret, base64url (RFC 8291).
    Column("p256dh", String(128), nullable=False),
    Column("auth", String(64), nullable=False),
    _ms("create_at"),
)

# -- Integrations: bots and webhooks (integrations/, decision 0028) ------------------------------

# A bot account (Mattermost's Bot): the user row (is_bot) holds the name and the tokens' owner;
# this row the description and the human who owns it. delete_at mirrors the user's while disabled.
bots = Table(
    "bots",
    metadata,
    _id("user_id", primary_key=True),
    Column("description", String(1024), nullable=False, default=""),
    _id("owner_id", nullable=False, index=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
)

# Incoming webhooks: the id is the secret in the hook's URL (/hooks/{id}), as in Mattermost.
# Posts are made as user_id, the hook's creator, marked from_webhook.
incoming_webhooks = Table(
    "incoming_webhooks",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    _id("user_id", nullable=False),
    _id("channel_id", nullable=False),
    _id("team_id", nullable=False, index=True),
    Column("display_name", String(64), nullable=False, default=""),
    Column("description", String(500), nullable=False, default=""),
    Column("username", String(255), nullable=False, default=""),
    Column("icon_url", String(1024), nullable=False, default=""),
    Column("channel_locked", Boolean, nullable=False, default=False),
)

# Outgoing webhooks: fired (outbox kind outgoing_webhook) by a post in channel_id, or in any
# public channel of team_id when channel_id is "", whose first word is (trigger_when 0) or
# starts with (1) one of trigger_words. token goes with every call so the receiver can check it.
outgoing_webhooks = Table(
    "outgoing_webhooks",
    metadata,
    _id(primary_key=True),
    Column("token", String(26), nullable=False),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    _id("creator_id", nullable=False),
    _id("channel_id", nullable=False, default=""),
    _id("team_id", nullable=False),
    Column("trigger_words", JSON, nullable=False, default=list),
    Column("trigger_when", Integer, nullable=False, default=0),
    Column("callback_urls", JSON, nullable=False, default=list),
    Column("display_name", String(64), nullable=False, default=""),
    Column("description", String(500), nullable=False, default=""),
    Column("content_type", String(128), nullable=False, default=""),
    Column("username", String(255), nullable=False, default=""),
    Column("icon_url", String(1024), nullable=False, default=""),
    Index("ix_outgoing_webhooks_team_id_delete_at", "team_id", "delete_at"),
)

# -- moderation: terms of service and the audit log (moderation/, decision 0031) ---------------

# Each version of the terms (code of conduct) an admin published; the newest is in force. Rows
# are never changed: a new text is a new version, which everyone accepts again.
terms_of_service = Table(
    "terms_of_service",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    # The admin who published it.
    _id("user_id", nullable=False, default=""),
    Column("text", Text, nullable=False),
    Index("ix_terms_of_service_create_at", "create_at"),
)

# The version each user last accepted, and when (Mattermost's UserTermsOfService). A decline
# deletes the row.
user_terms_of_service = Table(
    "user_terms_of_service",
    metadata,
    _id("user_id", primary_key=True),
    _id("terms_of_service_id", nullable=False),
    _ms("create_at"),
)

# Append-only record of security- and moderation-relevant actions, written in the transaction of
# the action (moderation/audit.py). Nothing updates a row except the address expiry, which
# blanks ip_address; only the retention policy deletes, by age (store/audits.py).
audits = Table(
    "audits",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    # Who acted ("" for the command line or an unknown account), and what it acted on.
    _id("user_id", nullable=False, default="", index=True),
    Column("action", String(64), nullable=False),
    _id("target_id", nullable=False, default=""),
    Column("extra_info", JSON, nullable=False, default=dict),
    # Stored as PrivacySettings.StoreClientAddresses says (full, truncated or none).
    Column("ip_address", String(64), nullable=False, default=""),
    _id("session_id", nullable=False, default=""),
    Index("ix_audits_create_at", "create_at"),
    Index("ix_audits_action_create_at", "action", "create_at"),
)

# Reports of posts to the moderators (moderation/reports.py, decision 0036). A report keeps its own
# copy of the post and its neighbours (snapshot), so an edit or delete by the author changes
# nothing in it, and moderators read that copy, never the channel. closed_at is 0 while the report
# is open: the unique key lets each reporter have one open report per post, decided by the
# database when two requests race.
reports = Table(
    "reports",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    # The last change (filing or closing): the retention policy deletes by it.
    _ms("update_at"),
    _id("reporter_id", nullable=False),
    _id("post_id", nullable=False),
    _id("channel_id", nullable=False),
    # The author of the reported post.
    _id("reported_user_id", nullable=False, index=True),
    Column("reason", String(64), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    # open, resolved or dismissed.
    Column("status", String(16), nullable=False, default="open"),
    _ms("closed_at"),
    _id("closed_by", nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("snapshot", JSON, nullable=False, default=dict),
    UniqueConstraint("reporter_id", "post_id", "closed_at"),
    Index("ix_reports_status_create_at", "status", "create_at"),
    Index("ix_reports_update_at", "update_at"),
)

# -- moderation: moderators' tools (moderation/, decision 0037) ---------------------------------

# A user a moderator muted: they post nothing anywhere (actions/posts.py) until `until` (ms, by
# the server's clock), or until unmuted when it is 0. Unmuting deletes the row; an expired row
# is simply no longer in force.
user_mutes = Table(
    "user_mutes",
    metadata,
    _id("user_id", primary_key=True),
    _ms("until"),
    _id("muted_by", nullable=False, default=""),
    _ms("create_at"),
)

# Who may post in a channel (Mattermost's channel moderation, Enterprise there): a channel
# without a row lets every member post, reply and react. Channel, team and system admins always
# may. `*_reply` lets replies in threads through while top-level posting is off (off unless set).
channel_moderations = Table(
    "channel_moderations",
    metadata,
    _id("channel_id", primary_key=True),
    Column("members_post", Boolean, nullable=False, default=True),
    Column("members_reply", Boolean, nullable=False, default=False),
    Column("members_react", Boolean, nullable=False, default=True),
    Column("guests_post", Boolean, nullable=False, default=True),
    Column("guests_reply", Boolean, nullable=False, default=False),
    Column("guests_react", Boolean, nullable=False, default=True),
    _ms("update_at"),
)

# -- custom slash commands (integrations/, decision 0029) ----------------------------------------

# Custom slash commands (integrations/commands_custom.py): Mattermost's Command, per team. A
# deleted command keeps its row with delete_at set, so its trigger is unique among live ones.
commands = Table(
    "commands",
    metadata,
    _id(primary_key=True),
    # The secret sent with every call, so the receiver knows the call came from this server.
    Column("token", String(26), nullable=False),
    _ms("create_at"),
    _ms("update_at"),
    _ms("delete_at"),
    _id("creator_id", nullable=False),
    _id("team_id", nullable=False, index=True),
    Column("trigger", String(128), nullable=False),
    # P (POST, form-encoded) or G (GET, in the query).
    Column("method", String(1), nullable=False),
    Column("username", String(64), nullable=False, default=""),
    Column("icon_url", String(1024), nullable=False, default=""),
    Column("auto_complete", Boolean, nullable=False, default=False),
    Column("auto_complete_desc", String(1024), nullable=False, default=""),
    Column("auto_complete_hint", String(1024), nullable=False, default=""),
    Column("display_name", String(64), nullable=False, default=""),
    Column("description", String(128), nullable=False, default=""),
    Column("url", String(1024), nullable=False),
    UniqueConstraint("team_id", "trigger", "delete_at"),
)

# The response_url of one run of a custom command: the command may answer again by POSTing to
# it, at most a few times and for a limited time (actions/commands_custom.py).
command_webhooks = Table(
    "command_webhooks",
    metadata,
    _id(primary_key=True),
    _ms("create_at"),
    _id("command_id", nullable=False),
    _id("user_id", nullable=False),
    _id("channel_id", nullable=False),
    _id("root_id", nullable=False, default=""),
    Column("use_count", Integer, nullable=False, default=0),
    Index("ix_command_webhooks_create_at", "create_at"),
)

# -- Data retention (store/retention.py, decision 0032) ----------------------------------------
# Custom policies (Mattermost's RetentionPolicies): post_duration days for the teams and
# channels named below; a negative duration keeps their messages forever. A team or channel has
# at most one policy (its primary key), and a channel's policy beats its team's, which beats
# the global one in DataRetentionSettings.
retention_policies = Table(
    "retention_policies",
    metadata,
    _id(primary_key=True),
    Column("display_name", String(64), nullable=False),
    Column("post_duration", BigInteger, nullable=False),
)

retention_policy_teams = Table(
    "retention_policy_teams",
    metadata,
    _id("team_id", primary_key=True),
    _id("policy_id", nullable=False, index=True),
)

retention_policy_channels = Table(
    "retention_policy_channels",
    metadata,
    _id("channel_id", primary_key=True),
    _id("policy_id", nullable=False, index=True),
)

# Saved posts are preferences named by post id: retention deletes them by post, across users.
Index("ix_preferences_category_name", preferences.c.category, preferences.c.name)

# The built-in IRC bridge (bridges/irc/): the networks it connects to, and which chat channel
# each IRC channel is relayed with. One process at a time holds a network's connection: the one
# whose lease (lease_owner, lease_until) is current.
irc_networks = Table(
    "irc_networks",
    metadata,
    _id(primary_key=True),
    # The admin's short name for it (libera, oftc): unique, used by the CLI.
    Column("name", String(64), nullable=False, unique=True),
    Column("host", String(255), nullable=False),
    Column("port", Integer, nullable=False),
    Column("tls", Boolean, nullable=False, default=True),
    # Check the server's certificate (off only for a test network with a self-signed one).
    Column("tls_verify", Boolean, nullable=False, default=True),
    Column("nick", String(64), nullable=False),
    # "", PLAIN or EXTERNAL (EXTERNAL: the client certificate below).
    Column("sasl_mechanism", String(16), nullable=False, default=""),
    Column("sasl_username", String(128), nullable=False, default=""),
    Column("sasl_password", String(255), nullable=False, default=""),
    # Paths of a PEM client certificate and key, for SASL EXTERNAL (CertFP).
    Column("client_cert_path", String(1024), nullable=False, default=""),
    Column("client_key_path", String(1024), nullable=False, default=""),
    _id("creator_id", nullable=False, default=""),
    _ms("create_at"),
    _ms("update_at"),
    Column("lease_owner", String(64), nullable=False, default=""),
    _ms("lease_until"),
)

irc_mappings = Table(
    "irc_mappings",
    metadata,
    _id(primary_key=True),
    _id("network_id", nullable=False),
    _id("channel_id", nullable=False, index=True),
    # Lower-cased as IRC compares channel names (ASCII case folding).
    Column("irc_channel", String(200), nullable=False),
    # Relay IRC joins, parts and quits into the chat channel.
    Column("relay_joins", Boolean, nullable=False, default=False),
    _id("creator_id", nullable=False, default=""),
    _ms("create_at"),
    UniqueConstraint("network_id", "irc_channel"),
    UniqueConstraint("network_id", "channel_id"),
)

# -- Personal data: exports a user (or an admin) asked for (actions/personal_data.py, decision 0039)

# One zip of everything a user posted and uploaded, built by the `personal_data_export` job and
# downloadable by whoever asked for it until expire_at. `running_user_id` is the user's id while
# the export is pending or being built and NULL after: its unique key lets one export run per
# user at a time (NULLs never clash), decided by the database rather than a read first.
data_exports = Table(
    "data_exports",
    metadata,
    _id(primary_key=True),
    _id("user_id", nullable=False, index=True),
    _id("requested_by", nullable=False),
    Column("running_user_id", String(26), nullable=True, unique=True),
    _id("job_id", nullable=False, default=""),
    # pending, in_progress, ready, error or expired.
    Column("status", String(16), nullable=False),
    _ms("create_at"),
    _ms("finish_at"),
    _ms("expire_at"),
    Column("file_key", String(512), nullable=False, default=""),
    Column("size", BigInteger, nullable=False, default=0),
    Column("error", String(1000), nullable=False, default=""),
    Index("ix_data_exports_status_expire_at", "status", "expire_at"),
)

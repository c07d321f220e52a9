"""Every setting in one typed object: its default, its VILLAGEPUMP_* environment variable and TOML
key, and, for the settings an administrator may change while the server runs, its name in
Mattermost's configuration (`Wire`). A new setting is one field here."""

import ipaddress
import os
import re
import tomllib
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from villagepump import errors

# What Mattermost sends instead of a secret; sent back in a PUT, it means "keep the old one".
FAKE_SETTING = "********************************"


@dataclass(frozen=True)
class Wire:
    """Marks a setting an administrator may change at runtime through /api/v4/config, stored in
    the database, under Mattermost's `Section.Key` (VillagepumpSettings where Mattermost has none).
    Settings without it are read at start from the environment and the TOML file only."""

    path: str
    # Never sent in full: GET /config shows FAKE_SETTING when it is set.
    secret: bool = False
    # The wire value is the setting times this (SessionLengthWebInHours is kept here in days).
    scale: int = 1

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def key(self) -> str:
        return self.path.split(".", 1)[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VILLAGEPUMP_", extra="ignore")

    # Where SQLite and uploaded files live when no other store is configured.
    data_dir: Path = Path("data")
    # Empty means SQLite at <data_dir>/villagepump.db; postgresql://... selects PostgreSQL.
    database_url: str = ""
    # Empty means the in-process event bus; redis://... shares events between server processes.
    redis_url: str = ""
    # The pub/sub channel the processes of one deployment share on that Redis.
    redis_channel: str = "villagepump.events"
    host: str = "127.0.0.1"
    port: int = 8065
    # The address users reach the server at; used in links the server prints or sends.
    site_url: Annotated[str, Wire("ServiceSettings.SiteURL")] = ""
    site_name: Annotated[str, Wire("TeamSettings.SiteName")] = "Villagepump"
    # Invite-only by default: accounts come from team invite links or from an administrator.
    open_signup: Annotated[bool, Wire("TeamSettings.EnableOpenServer")] = False
    # Who may invite into a team (see its invite link, add people): every member, or only team
    # and system admins. Mattermost now does this by taking invite_user and add_user_to_team
    # from the team_user role; this setting does the same to the roles this server serves.
    restrict_team_invite_to_admins: Annotated[
        bool, Wire("VillagepumpSettings.RestrictTeamInviteToAdmins")
    ] = False
    # An invite link stops working this many hours after it was made or regenerated (0: only
    # regenerating it ends it).
    invite_link_expiry_hours: Annotated[int, Wire("VillagepumpSettings.InviteLinkExpiryHours")] = 0
    # Guest accounts (role system_guest) may sign in and be invited (POST
    # /teams/{id}/invite-guests/email); they see only the channels they are in.
    guest_accounts_enable: Annotated[bool, Wire("GuestAccountsSettings.Enable")] = False
    # Users may deactivate their own account (system admins always may deactivate anyone).
    enable_user_deactivation: Annotated[bool, Wire("TeamSettings.EnableUserDeactivation")] = False
    session_days: Annotated[int, Wire("ServiceSettings.SessionLengthWebInHours", scale=24)] = 30
    # A post a moderator removes keeps its place as "removed by a moderator" (true), or is
    # deleted like any other post, leaving no trace in the channel (false).
    moderator_removal_placeholder: Annotated[
        bool, Wire("VillagepumpSettings.ModeratorRemovalPlaceholder")
    ] = True
    # A warning from a moderator names them to the one warned (true), or is signed "the
    # moderators" (false), so a moderator is not singled out for retaliation.
    moderator_warning_shows_name: Annotated[bool, Wire("VillagepumpSettings.ModeratorWarningShowsName")] = (
        False
    )
    # Failed logins allowed per account and per client address within login_window_seconds.
    login_failures_per_account: Annotated[int, Wire("ServiceSettings.MaximumLoginAttempts")] = 10
    login_failures_per_address: Annotated[int, Wire("VillagepumpSettings.LoginFailuresPerAddress")] = 50
    login_window_seconds: Annotated[int, Wire("VillagepumpSettings.LoginWindowSeconds")] = 300
    # Two-factor authentication (actions/mfa.py). Users may turn it on while it is enabled (on by
    # default here; off in Mattermost's). Enforced, it is required of everyone ("all") or of
    # system admins only ("admins", our own choice; Mattermost enforces for everyone).
    enable_mfa: Annotated[bool, Wire("ServiceSettings.EnableMultifactorAuthentication")] = True
    enforce_mfa: Annotated[bool, Wire("ServiceSettings.EnforceMultifactorAuthentication")] = False
    enforce_mfa_for: Annotated[str, Wire("VillagepumpSettings.EnforceMultifactorAuthenticationFor")] = "all"
    # How long a dropped WebSocket connection's missed events are kept for it to resume.
    websocket_resume_seconds: int = 120
    websocket_resume_events: int = 512
    # Presence: away after this long without activity; checked every presence_sweep_seconds.
    presence_away_seconds: Annotated[float, Wire("TeamSettings.UserStatusAwayTimeout")] = 300
    presence_sweep_seconds: float = 30
    max_post_size: Annotated[int, Wire("VillagepumpSettings.MaxPostSize")] = 16383
    # argon2id cost: OWASP's recommended configuration (19 MiB, 2 passes, 1 lane), ~30 ms of CPU
    # per hash here; RFC 9106's 64 MiB and 3 passes took ~190 ms, so one hashing thread managed
    # ~5 logins a second (decision 0027). Older hashes are redone at login. Tests lower them.
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    # Client addresses and hashing off the event loop (api/client_address.py, passwords.py):
    # the reverse proxies whose X-Forwarded-For / X-Real-IP are believed (comma-separated IPs or
    # CIDR ranges; empty: none, the direct peer is the client), and how many threads hash
    # passwords (0: one less than the number of cores, at least one).
    trusted_proxies: str = ""
    password_threads: int = 0

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
        for entry in filter(None, (entry.strip() for entry in value.split(","))):
            ipaddress.ip_network(entry, strict=False)  # its ValueError names the entry
        return value

    log_level: str = "info"
    # Background jobs and the outbox (jobs/). Each process looks for due work every
    # jobs_poll_seconds, and at once after it queued something itself; it works on up to
    # jobs_batch_size outbox items at a time. An item or job not finished within
    # jobs_lease_seconds of being claimed (its process died) is taken over by another process, so
    # keep the lease above jobs_http_timeout_seconds. A failed delivery is retried after
    # jobs_retry_base_seconds, doubling each time up to jobs_retry_max_seconds, and is marked
    # failed after jobs_max_attempts attempts. Expired sessions are deleted every
    # jobs_session_expiry_seconds; delivered outbox items are kept jobs_outbox_keep_days days.
    jobs_poll_seconds: float = 1.0
    jobs_batch_size: int = 16
    jobs_lease_seconds: float = 60
    jobs_http_timeout_seconds: float = 10
    jobs_retry_base_seconds: float = 10
    jobs_retry_max_seconds: float = 3600
    jobs_max_attempts: int = 10
    jobs_session_expiry_seconds: float = 3600
    jobs_outbox_keep_days: float = 7
    # How often files nobody can read any more (deleted posts, uploads never attached for a day)
    # and temporary uploads a killed process left are removed (actions/files.py clean_files).
    jobs_file_cleanup_seconds: float = 3600

    # Settings with a Wire marker can also be changed at runtime (GET/PUT /api/v4/config); the
    # others are read at start from the environment and the TOML file only.
    max_users_per_team: Annotated[int, Wire("TeamSettings.MaxUsersPerTeam")] = 50

    send_email_notifications: Annotated[bool, Wire("EmailSettings.SendEmailNotifications")] = False
    feedback_name: Annotated[str, Wire("EmailSettings.FeedbackName")] = ""
    feedback_email: Annotated[str, Wire("EmailSettings.FeedbackEmail")] = ""
    smtp_server: Annotated[str, Wire("EmailSettings.SMTPServer")] = ""
    smtp_port: Annotated[str, Wire("EmailSettings.SMTPPort")] = "25"
    smtp_username: Annotated[str, Wire("EmailSettings.SMTPUsername")] = ""
    smtp_password: Annotated[str, Wire("EmailSettings.SMTPPassword", secret=True)] = ""
    # "" (none), PLAIN, TLS or STARTTLS, as in Mattermost.
    smtp_connection_security: Annotated[str, Wire("EmailSettings.ConnectionSecurity")] = ""
    enable_smtp_auth: Annotated[bool, Wire("EmailSettings.EnableSMTPAuth")] = False
    # Accept any certificate from the SMTP server (a self-signed one on a private network).
    smtp_skip_cert_verification: Annotated[bool, Wire("EmailSettings.SkipServerCertificateVerification")] = (
        False
    )
    smtp_server_timeout: Annotated[int, Wire("EmailSettings.SMTPServerTimeout")] = 10
    # Login waits until the address is verified; a changed address takes effect once verified.
    require_email_verification: Annotated[bool, Wire("EmailSettings.RequireEmailVerification")] = False
    # Accounts with an e-mail address and a password (sign-up pages and POST /users).
    enable_sign_up_with_email: Annotated[bool, Wire("EmailSettings.EnableSignUpWithEmail")] = True
    # Team members may invite people by e-mail (POST /teams/{id}/invite/email).
    enable_email_invitations: Annotated[bool, Wire("ServiceSettings.EnableEmailInvitations")] = False
    enable_email_batching: Annotated[bool, Wire("EmailSettings.EnableEmailBatching")] = False
    email_batching_interval: Annotated[int, Wire("EmailSettings.EmailBatchingInterval")] = 30
    send_push_notifications: Annotated[bool, Wire("EmailSettings.SendPushNotifications")] = False
    push_notification_server: Annotated[str, Wire("EmailSettings.PushNotificationServer")] = ""
    # What a mobile push carries: generic_no_channel, generic, full or id_loaded (Mattermost's
    # values; anything else is sent as generic, which shows no message text).
    push_notification_contents: Annotated[str, Wire("EmailSettings.PushNotificationContents")] = "full"
    # Browsers and installed web apps may subscribe to Web Push (VAPID): the message is encrypted
    # for the browser; its vendor's push service (Google, Mozilla, Apple) sees only that one came.
    enable_web_push: Annotated[bool, Wire("VillagepumpSettings.EnableWebPush")] = True
    # What a notification mail quotes: "full" (the message) or "generic" (who wrote where).
    email_notification_contents: Annotated[str, Wire("EmailSettings.EmailNotificationContentsType")] = "full"

    max_file_size: Annotated[int, Wire("FileSettings.MaxFileSize")] = 100 * 1024 * 1024
    # local or amazons3, as in Mattermost.
    file_driver: Annotated[str, Wire("FileSettings.DriverName")] = "local"
    # Empty means <data_dir>/files.
    file_directory: Annotated[str, Wire("FileSettings.Directory")] = ""
    s3_access_key_id: Annotated[str, Wire("FileSettings.AmazonS3AccessKeyId")] = ""
    s3_secret_access_key: Annotated[str, Wire("FileSettings.AmazonS3SecretAccessKey", secret=True)] = ""
    s3_bucket: Annotated[str, Wire("FileSettings.AmazonS3Bucket")] = ""
    s3_region: Annotated[str, Wire("FileSettings.AmazonS3Region")] = ""
    s3_endpoint: Annotated[str, Wire("FileSettings.AmazonS3Endpoint")] = ""
    s3_ssl: Annotated[bool, Wire("FileSettings.AmazonS3SSL")] = True
    # Every key in the bucket starts with this folder ("" for none), so one bucket can hold
    # several installations.
    s3_path_prefix: Annotated[str, Wire("FileSettings.AmazonS3PathPrefix")] = ""
    # Ask the S3 server to encrypt what it stores (SSE-S3, AES256).
    s3_sse: Annotated[bool, Wire("FileSettings.AmazonS3SSE")] = False
    # 0 or less means the default, as in Mattermost.
    s3_request_timeout_ms: Annotated[int, Wire("FileSettings.AmazonS3RequestTimeoutMilliseconds")] = 30000
    # A file larger than this goes up in parts of this size (at least S3's 5 MiB), one at a time:
    # this is the most of one upload the server holds in memory.
    s3_upload_part_size: Annotated[int, Wire("FileSettings.AmazonS3UploadPartSizeBytes")] = 5 * 1024 * 1024
    enable_public_link: Annotated[bool, Wire("FileSettings.EnablePublicLink")] = False
    # Users may add their own emoji (POST /emoji) and react with them.
    enable_custom_emoji: Annotated[bool, Wire("ServiceSettings.EnableCustomEmoji")] = True
    # Messages' ```latex (or ```tex) code blocks drawn as formulas by the clients (the web client
    # with KaTeX); off, they show as code. Mattermost starts new servers with it off; code blocks
    # are LaTeX only when their writer names the language, so it is on here (decision 0047).
    enable_latex: Annotated[bool, Wire("ServiceSettings.EnableLatex")] = True
    # Inline formulas between dollar signs ($x^2$), drawn only while EnableLatex is on too. Off
    # here, unlike Mattermost: chat is full of prices, and "$5 or $10" must stay text.
    enable_inline_latex: Annotated[bool, Wire("ServiceSettings.EnableInlineLatex")] = False

    # Data retention (actions/retention.py, decision 0032): off by default; turning
    # EnableMessageDeletion on keeps messages 90 days. The Hours keys (Mattermost 9.5+) win over
    # the Days keys when above 0. The deletion job runs daily at DeletionJobStartTime (HH:MM,
    # UTC), deleting BatchSize posts per transaction with TimeBetweenBatchesMilliseconds between.
    enable_message_deletion: Annotated[bool, Wire("DataRetentionSettings.EnableMessageDeletion")] = False
    message_retention_days: Annotated[int, Wire("DataRetentionSettings.MessageRetentionDays")] = 90
    message_retention_hours: Annotated[int, Wire("DataRetentionSettings.MessageRetentionHours")] = 0
    enable_file_deletion: Annotated[bool, Wire("DataRetentionSettings.EnableFileDeletion")] = False
    file_retention_days: Annotated[int, Wire("DataRetentionSettings.FileRetentionDays")] = 90
    file_retention_hours: Annotated[int, Wire("DataRetentionSettings.FileRetentionHours")] = 0
    deletion_job_start_time: Annotated[str, Wire("DataRetentionSettings.DeletionJobStartTime")] = "02:00"
    retention_batch_size: Annotated[int, Wire("DataRetentionSettings.BatchSize")] = 1000
    retention_batch_pause_ms: Annotated[int, Wire("DataRetentionSettings.TimeBetweenBatchesMilliseconds")] = (
        100
    )

    @property
    def message_retention_ms(self) -> int:
        hours = self.message_retention_hours or self.message_retention_days * 24
        return hours * 3_600_000

    @property
    def file_retention_ms(self) -> int:
        hours = self.file_retention_hours or self.file_retention_days * 24
        return hours * 3_600_000

    # Personal data (actions/personal_data.py, decision 0039). A user's export zip may be
    # downloaded this many hours after it is built, then it is deleted. Erasing a user (the
    # right to be forgotten): their posts "anonymise"d (kept under the scrubbed account) or
    # "remove"d; their direct messages "keep" (the other side keeps the conversation) or
    # "delete" (the one-to-one conversations go whole). DELETE /users/{id}?permanent=true
    # erases only while EnableAPIUserDeletion is on, as in Mattermost.
    data_export_expiry_hours: Annotated[int, Wire("VillagepumpSettings.DataExportExpiryHours")] = 168
    enable_api_user_deletion: Annotated[bool, Wire("ServiceSettings.EnableAPIUserDeletion")] = False
    erased_user_posts: Annotated[str, Wire("VillagepumpSettings.ErasedUserPosts")] = "anonymise"
    erased_user_direct_messages: Annotated[str, Wire("VillagepumpSettings.ErasedUserDirectMessages")] = "keep"
    # How often expired export zips are deleted.
    jobs_data_export_cleanup_seconds: float = 3600

    openid_enable: Annotated[bool, Wire("OpenIdSettings.Enable")] = False
    openid_id: Annotated[str, Wire("OpenIdSettings.Id")] = ""
    openid_secret: Annotated[str, Wire("OpenIdSettings.Secret", secret=True)] = ""
    openid_discovery_endpoint: Annotated[str, Wire("OpenIdSettings.DiscoveryEndpoint")] = ""
    openid_button_text: Annotated[str, Wire("OpenIdSettings.ButtonText")] = ""
    openid_button_color: Annotated[str, Wire("OpenIdSettings.ButtonColor")] = "#145DBF"
    # Sign-in with a MediaWiki account through its OAuth 2.0 (sso/mediawiki.py; docs/admin.md,
    # "Single sign-on"): Wikimedia's accounts by default, any MediaWiki at base_url otherwise.
    wikimedia_enable: Annotated[bool, Wire("WikimediaSettings.Enable")] = False
    wikimedia_id: Annotated[str, Wire("WikimediaSettings.Id")] = ""
    wikimedia_secret: Annotated[str, Wire("WikimediaSettings.Secret", secret=True)] = ""
    wikimedia_base_url: Annotated[str, Wire("WikimediaSettings.BaseUrl")] = "https://meta.wikimedia.org"
    wikimedia_button_text: Annotated[str, Wire("WikimediaSettings.ButtonText")] = "Wikimedia"
    # A new account by single sign-on needs a team invitation unless this (or open sign-up) is on.
    sso_open_signup: Annotated[bool, Wire("VillagepumpSettings.EnableOpenSsoSignUp")] = False
    # Signing in by SSO with the e-mail address of an existing password account links the two,
    # only if this is on and the provider says it verified the address.
    sso_link_verified_email: Annotated[bool, Wire("VillagepumpSettings.SsoLinkVerifiedEmail")] = False
    # Where a sign-in begun by a mobile app (/oauth/{service}/mobile_login) may end.
    app_custom_url_schemes: Annotated[list[str], Wire("NativeAppSettings.AppCustomURLSchemes")] = [
        "mmauth://",
        "mmauthbeta://",
    ]
    gitlab_enable: Annotated[bool, Wire("GitLabSettings.Enable")] = False
    gitlab_id: Annotated[str, Wire("GitLabSettings.Id")] = ""
    gitlab_secret: Annotated[str, Wire("GitLabSettings.Secret", secret=True)] = ""
    gitlab_auth_endpoint: Annotated[str, Wire("GitLabSettings.AuthEndpoint")] = ""
    gitlab_token_endpoint: Annotated[str, Wire("GitLabSettings.TokenEndpoint")] = ""
    gitlab_user_api_endpoint: Annotated[str, Wire("GitLabSettings.UserAPIEndpoint")] = ""
    google_enable: Annotated[bool, Wire("GoogleSettings.Enable")] = False
    google_id: Annotated[str, Wire("GoogleSettings.Id")] = ""
    google_secret: Annotated[str, Wire("GoogleSettings.Secret", secret=True)] = ""
    office365_enable: Annotated[bool, Wire("Office365Settings.Enable")] = False
    office365_id: Annotated[str, Wire("Office365Settings.Id")] = ""
    office365_secret: Annotated[str, Wire("Office365Settings.Secret", secret=True)] = ""
    office365_directory_id: Annotated[str, Wire("Office365Settings.DirectoryId")] = ""

    rate_limit_enable: Annotated[bool, Wire("RateLimitSettings.Enable")] = False
    rate_limit_per_sec: Annotated[int, Wire("RateLimitSettings.PerSec")] = 10
    rate_limit_max_burst: Annotated[int, Wire("RateLimitSettings.MaxBurst")] = 100
    rate_limit_vary_by_remote_addr: Annotated[bool, Wire("RateLimitSettings.VaryByRemoteAddr")] = True
    rate_limit_vary_by_header: Annotated[str, Wire("RateLimitSettings.VaryByHeader")] = ""

    # Link previews (previews/, docs/admin.md): on by default, as in Mattermost. Previews reach
    # only public addresses, except the hosts, addresses and CIDR ranges listed (space-separated)
    # in allowed_untrusted_internal_connections; restrict_link_previews names domains never
    # previewed. A fetch gives up after link_preview_timeout_ms; a result is kept
    # link_preview_cache_seconds, a failure link_preview_failure_cache_seconds.
    enable_link_previews: Annotated[bool, Wire("ServiceSettings.EnableLinkPreviews")] = True
    restrict_link_previews: Annotated[str, Wire("ServiceSettings.RestrictLinkPreviews")] = ""
    allowed_untrusted_internal_connections: Annotated[
        str, Wire("ServiceSettings.AllowedUntrustedInternalConnections")
    ] = ""
    link_preview_timeout_ms: Annotated[int, Wire("ExperimentalSettings.LinkMetadataTimeoutMilliseconds")] = (
        5000
    )
    link_preview_cache_seconds: Annotated[int, Wire("VillagepumpSettings.LinkPreviewCacheSeconds")] = 86400
    link_preview_failure_cache_seconds: Annotated[
        int, Wire("VillagepumpSettings.LinkPreviewFailureCacheSeconds")
    ] = 600
    # How much of a linked page or image is read, at most.
    link_preview_max_html_bytes: int = 1024 * 1024
    link_preview_max_image_bytes: int = 4 * 1024 * 1024

    show_email_address: Annotated[bool, Wire("PrivacySettings.ShowEmailAddress")] = False
    show_full_name: Annotated[bool, Wire("PrivacySettings.ShowFullName")] = True

    # Drafts kept on the server so they follow their author across devices (api/v4/drafts.py),
    # and statuses with an emoji and a text (api/v4/status.py); both on in Mattermost's defaults.
    allow_synced_drafts: Annotated[bool, Wire("ServiceSettings.AllowSyncedDrafts")] = True
    enable_custom_user_statuses: Annotated[bool, Wire("TeamSettings.EnableCustomUserStatuses")] = True
    # One log line per request: off, on, or sampled (that fraction of requests; errors always).
    # It holds client addresses, which the server's other log lines never do.
    access_log: Literal["off", "on", "sampled"] = "off"
    access_log_sample_rate: float = Field(default=0.01, ge=0.0, le=1.0)

    default_server_locale: Annotated[str, Wire("LocalizationSettings.DefaultServerLocale")] = "en"
    default_client_locale: Annotated[str, Wire("LocalizationSettings.DefaultClientLocale")] = "en"
    # Comma-separated; empty means every locale the client has.
    available_locales: Annotated[str, Wire("LocalizationSettings.AvailableLocales")] = ""

    terms_of_service_link: Annotated[str, Wire("SupportSettings.TermsOfServiceLink")] = ""
    privacy_policy_link: Annotated[str, Wire("SupportSettings.PrivacyPolicyLink")] = ""
    about_link: Annotated[str, Wire("SupportSettings.AboutLink")] = ""
    help_link: Annotated[str, Wire("SupportSettings.HelpLink")] = ""
    report_a_problem_link: Annotated[str, Wire("SupportSettings.ReportAProblemLink")] = ""
    support_email: Annotated[str, Wire("SupportSettings.SupportEmail")] = ""

    # Integrations (integrations/, docs/admin.md "Bots and webhooks"), with Mattermost's defaults:
    # bots only when an admin turns them on; webhooks on; a webhook's username and icon
    # override only when allowed. An incoming webhook request over max_payload_bytes is refused.
    enable_bot_account_creation: Annotated[bool, Wire("ServiceSettings.EnableBotAccountCreation")] = False
    enable_incoming_webhooks: Annotated[bool, Wire("ServiceSettings.EnableIncomingWebhooks")] = True
    enable_outgoing_webhooks: Annotated[bool, Wire("ServiceSettings.EnableOutgoingWebhooks")] = True
    enable_post_username_override: Annotated[bool, Wire("ServiceSettings.EnablePostUsernameOverride")] = False
    enable_post_icon_override: Annotated[bool, Wire("ServiceSettings.EnablePostIconOverride")] = False
    max_payload_bytes: Annotated[int, Wire("ServiceSettings.MaximumPayloadSizeBytes")] = 300_000
    # -- moderation: terms of service and client addresses (moderation/, decision 0031) --------
    # Every user (bots aside) accepts the newest terms of service (POST /terms_of_service) before
    # anything else, and again this many days after accepting.
    enable_custom_terms_of_service: Annotated[bool, Wire("SupportSettings.CustomTermsOfServiceEnabled")] = (
        False
    )
    terms_of_service_reacceptance_days: Annotated[
        int, Wire("SupportSettings.CustomTermsOfServiceReAcceptancePeriod")
    ] = 365
    # What the server keeps of a client's address (audit entries): "full", "truncated" (/24 of
    # IPv4, /48 of IPv6) or "none"; kept addresses are blanked after this many days.
    store_client_addresses: Annotated[str, Wire("PrivacySettings.StoreClientAddresses")] = "truncated"
    client_address_retention_days: Annotated[int, Wire("PrivacySettings.ClientAddressRetentionDays")] = 30
    # How often the address expiry runs.
    jobs_address_expiry_seconds: float = 3600
    # Reports of posts to the moderators (moderation/reports.py, decision 0036): the reasons a
    # reporter picks from (the web client translates these default names, and shows others as
    # they are written), the channel each new report is announced in by the moderation bot (""
    # for none), and how many posts before and after the reported one its snapshot keeps.
    report_reasons: Annotated[list[str], Wire("VillagepumpSettings.ReportReasons")] = [
        "spam",
        "harassment",
        "code_of_conduct",
        "other",
    ]
    report_channel_id: Annotated[str, Wire("VillagepumpSettings.ReportChannelId")] = ""
    report_context_posts: int = Field(default=5, ge=0, le=50)
    # Custom slash commands and interactive messages (integrations/, docs/admin.md). The calls to
    # an integration's URL give up after integration_request_timeout_seconds (also how long a
    # trigger id may open a dialog) and read at most integration_response_max_bytes; they reach
    # only public addresses unless allowed_untrusted_internal_connections names the host.
    enable_commands: Annotated[bool, Wire("ServiceSettings.EnableCommands")] = True
    integration_request_timeout_seconds: Annotated[
        int, Wire("ServiceSettings.OutgoingIntegrationRequestsTimeout")
    ] = 30
    integration_response_max_bytes: int = 1024 * 1024
    # The built-in IRC bridge (bridges/irc/, docs/bridges.md). Each serving process offers to
    # run it; one process at a time holds each network's connection, by a lease of
    # irc_lease_seconds it renews every third of that. A lost connection is tried again after a
    # jittered wait from irc_reconnect_min_seconds, doubling up to irc_reconnect_max_seconds.
    # Lines to IRC go at most irc_flood_burst at once, then irc_flood_lines_per_second (queued,
    # never dropped); a post longer than irc_max_lines lines ends with a link to it.
    irc_bridge_enabled: bool = True
    irc_lease_seconds: float = 30
    irc_reconnect_min_seconds: float = 2
    irc_reconnect_max_seconds: float = 300
    irc_flood_burst: int = 5
    irc_flood_lines_per_second: float = 1.0
    irc_max_lines: int = Field(default=4, ge=1, le=50)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @cached_property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy async URL for the configured database."""
        url = self.database_url or f"sqlite:///{(self.data_dir / 'villagepump.db').resolve()}"
        if url.startswith("sqlite:"):
            return "sqlite+aiosqlite:" + url.removeprefix("sqlite:")
        if url.startswith(("postgres://", "postgresql://")):
            return "postgresql+asyncpg://" + url.split("://", 1)[1]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def locked(self) -> frozenset[str]:
        """The runtime settings that the environment, the TOML file (or the command line) set:
        they win over the database, so an administrator cannot change them through the API."""
        return frozenset(name for name in self.model_fields_set if name in wire_fields())


class _TomlSource(PydanticBaseSettingsSource):
    """Settings from the TOML file named by VILLAGEPUMP_CONFIG, keys as in the environment, lower case."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {key: value for key, value in self._values().items() if key in self.settings_cls.model_fields}

    def _values(self) -> dict[str, Any]:
        path = os.environ.get("VILLAGEPUMP_CONFIG")
        if not path:
            return {}
        with open(path, "rb") as file:
            return tomllib.load(file)


# -- the runtime settings on Mattermost's wire ------------------------------------------------


@dataclass(frozen=True)
class WireField:
    name: str
    wire: Wire
    default: Any
    adapter: TypeAdapter[Any]

    def to_wire(self, value: Any) -> Any:
        return value * self.wire.scale if self.wire.scale != 1 else value

    def from_wire(self, value: Any) -> Any:
        """The setting for a wire value (already type-checked); whole units round up."""
        if self.wire.scale == 1:
            return value
        return -(-value // self.wire.scale)

    def check_type(self, value: Any) -> Any:
        """The value if it has the setting's JSON type (strictly, as Mattermost's decoder has it)."""
        # Mattermost's numbers are Go's 64-bit ints; a larger one fails its decoder too.
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise errors.invalid_body("config")
        try:
            return self.adapter.validate_python(value, strict=True)
        except ValidationError:
            raise errors.invalid_body("config") from None


@cache
def wire_fields() -> dict[str, WireField]:
    """Every runtime setting by its field name, in declaration order (which groups sections)."""
    found: dict[str, WireField] = {}
    for name, info in Settings.model_fields.items():
        wire = next((m for m in info.metadata if isinstance(m, Wire)), None)
        annotation: Any = info.annotation
        if wire is not None:
            found[name] = WireField(name, wire, info.default, TypeAdapter(annotation))
    return found


@cache
def wire_field_by_path() -> dict[str, WireField]:
    return {field.wire.path: field for field in wire_fields().values()}


def defaults() -> dict[str, Any]:
    return {name: field.default for name, field in wire_fields().items()}


def effective_settings(base: Settings, stored: Mapping[str, Any]) -> Settings:
    """`base` (defaults, TOML file, environment) with the database's values (by field name) on
    top of it, except where the file or the environment set the setting."""
    locked = base.locked
    values = base.model_dump()
    values.update({name: value for name, value in stored.items() if name not in locked})
    return Settings.model_validate(values)


def decode_wire(body: Any, *, complete: bool) -> dict[str, Any]:
    """The settings a configuration body names, by field name, type-checked. With `complete` (a
    PUT) a setting the body leaves out goes back to its default, as in Mattermost. A secret sent
    back as FAKE_SETTING is left out: it keeps its value. Sections and keys we do not have are
    ignored, so a whole Mattermost configuration can be sent."""
    if not isinstance(body, dict):
        raise errors.invalid_body("config")
    found: dict[str, Any] = {}
    for field in wire_fields().values():
        section = body.get(field.wire.section)
        if section is not None and not isinstance(section, dict):
            raise errors.invalid_body("config")
        if section is None or field.wire.key not in section or section[field.wire.key] is None:
            if complete:
                found[field.name] = field.default
            continue
        value = section[field.wire.key]
        if field.wire.secret and value == FAKE_SETTING:
            continue
        found[field.name] = field.from_wire(field.check_type(value))
    return found


# -- validation, with Mattermost's error ids -----------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    error_id: str
    message: str
    broken: Callable[[Settings], bool]


def _bad_url(value: str) -> bool:
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:  # an unbalanced [ in the host, for one
        return True
    return not value.isprintable() or parts.scheme not in ("http", "https") or not parts.netloc


_APP_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://$")


def _valid_app_scheme(scheme: str) -> bool:
    # A web scheme here would turn the mobile sign-in into an open redirect carrying a session.
    return bool(_APP_SCHEME.match(scheme)) and scheme not in ("http://", "https://", "javascript://")


def _valid_allow_list(value: str) -> bool:
    """Each entry an address, a CIDR range or a host name (letters, digits, '-', '.', '_')."""
    for entry in value.replace(",", " ").split():
        try:
            ipaddress.ip_network(entry.strip("[]"), strict=False)
        except ValueError:
            if not entry.isascii() or not all(c.isalnum() or c in "-._" for c in entry):
                return False
    return True


_RULES = (
    _Rule(
        "model.config.is_valid.site_url_email_batching.app_error",
        "Unable to enable email batching when SiteURL isn't set.",
        lambda s: s.site_url == "" and s.enable_email_batching,
    ),
    _Rule(
        "model.config.is_valid.max_users.app_error",
        "Invalid maximum users per team for team settings. Must be a positive number.",
        lambda s: s.max_users_per_team <= 0,
    ),
    _Rule(
        "model.config.is_valid.user_status_away_timeout.app_error",
        "Invalid user status away timeout. Must be a positive number.",
        lambda s: s.presence_away_seconds <= 0,
    ),
    _Rule(
        "model.config.is_valid.sitename_length.app_error",
        "Site name must be less than or equal to 30 characters.",
        lambda s: len(s.site_name) > 30,
    ),
    _Rule(
        "model.config.is_valid.max_file_size.app_error",
        "Invalid max file size for file settings. Must be a whole number greater than zero.",
        lambda s: s.max_file_size <= 0,
    ),
    _Rule(
        "model.config.is_valid.file_driver.app_error",
        "Invalid driver name for file settings. Must be 'local' or 'amazons3'.",
        lambda s: s.file_driver not in ("local", "amazons3"),
    ),
    _Rule(
        "model.config.is_valid.email_security.app_error",
        "Invalid connection security for email settings. Must be '', 'TLS', 'STARTTLS' or 'PLAIN'.",
        lambda s: s.smtp_connection_security not in ("", "PLAIN", "TLS", "STARTTLS"),
    ),
    _Rule(
        "model.config.is_valid.smtp_server_timeout.app_error",
        "Invalid SMTP server timeout. Must be a positive number of seconds.",
        lambda s: s.smtp_server_timeout <= 0,
    ),
    _Rule(
        "model.config.is_valid.email_batching_interval.app_error",
        "Invalid email batching interval for email settings. Must be 30 seconds or more.",
        lambda s: s.email_batching_interval < 30,
    ),
    _Rule(
        "model.config.is_valid.email_notification_contents_type.app_error",
        "Invalid email notification contents type for email settings. Must be 'full' or 'generic'.",
        lambda s: s.email_notification_contents not in ("full", "generic"),
    ),
    _Rule(
        "model.config.is_valid.rate_sec.app_error",
        "Invalid per sec for rate limit settings. Must be a positive number.",
        lambda s: s.rate_limit_per_sec <= 0,
    ),
    _Rule(
        "model.config.is_valid.max_burst.app_error",
        "Maximum burst size must be greater than zero.",
        lambda s: s.rate_limit_max_burst <= 0,
    ),
    _Rule(
        "model.config.is_valid.login_attempts.app_error",
        "Invalid maximum login attempts for service settings. Must be a positive number.",
        lambda s: s.login_failures_per_account <= 0,
    ),
    _Rule(
        "model.config.is_valid.wikimedia_base_url.app_error",
        "The MediaWiki address must be a valid URL and start with http:// or https://.",
        lambda s: _bad_url(s.wikimedia_base_url),
    ),
    _Rule(
        "model.config.is_valid.openid_discovery_endpoint.app_error",
        "The OpenID discovery endpoint must be a valid URL and start with http:// or https://.",
        lambda s: s.openid_discovery_endpoint != "" and _bad_url(s.openid_discovery_endpoint),
    ),
    _Rule(
        "model.config.is_valid.app_custom_url_schemes.app_error",
        "Each custom URL scheme must look like name:// (letters, digits, '+', '-', '.'), and not be http or https.",
        lambda s: not all(_valid_app_scheme(scheme) for scheme in s.app_custom_url_schemes),
    ),
    _Rule(
        "model.config.is_valid.site_url.app_error",
        "Site URL must be a valid URL and start with http:// or https://.",
        lambda s: s.site_url != "" and _bad_url(s.site_url),
    ),
    _Rule(
        "model.config.is_valid.data_retention.message_retention_days_too_low.app_error",
        "Message retention must be one day or longer.",
        lambda s: s.message_retention_days <= 0,
    ),
    _Rule(
        "model.config.is_valid.data_retention.file_retention_days_too_low.app_error",
        "File retention must be one day or longer.",
        lambda s: s.file_retention_days <= 0,
    ),
    _Rule(
        "model.config.is_valid.data_retention.message_retention_hours_too_low.app_error",
        "Message retention hours must be zero (use the days) or more.",
        lambda s: s.message_retention_hours < 0,
    ),
    _Rule(
        "model.config.is_valid.data_retention.file_retention_hours_too_low.app_error",
        "File retention hours must be zero (use the days) or more.",
        lambda s: s.file_retention_hours < 0,
    ),
    _Rule(
        "model.config.is_valid.data_retention.deletion_job_start_time.app_error",
        "Data retention deletion job start time must be a 24-hour time stamp in the form HH:MM.",
        lambda s: re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", s.deletion_job_start_time) is None,
    ),
    _Rule(
        "model.config.is_valid.data_retention.batch_size.app_error",
        "Data retention batch size must be a positive number, at most 100,000.",
        lambda s: not 0 < s.retention_batch_size <= 100_000,
    ),
    _Rule(
        "model.config.is_valid.data_retention.time_between_batches.app_error",
        "Time between data retention batches must be zero or more milliseconds, at most a minute.",
        lambda s: not 0 <= s.retention_batch_pause_ms <= 60_000,
    ),
    _Rule(
        "model.config.is_valid.localization.available_locales.app_error",
        "Available Languages must contain Default Client Language.",
        lambda s: s.available_locales != "" and s.default_client_locale not in s.available_locales,
    ),
    _Rule(
        "model.config.is_valid.link_metadata_timeout.app_error",
        "Link metadata timeout must be a positive number of milliseconds, at most a minute.",
        lambda s: not 0 < s.link_preview_timeout_ms <= 60_000,
    ),
    _Rule(
        "model.config.is_valid.allowed_untrusted_internal_connections.app_error",
        "Allowed untrusted internal connections must be host names, addresses or CIDR ranges.",
        lambda s: not _valid_allow_list(s.allowed_untrusted_internal_connections),
    ),
    # Settings of our own, checked in Mattermost's manner.
    _Rule(
        "model.config.is_valid.session_length.app_error",
        "Session length must be a positive number of hours, at most a hundred years.",
        lambda s: not 0 < s.session_days <= 36500,
    ),
    _Rule(
        "model.config.is_valid.max_post_size.app_error",
        "Maximum post size must be a positive number.",
        lambda s: s.max_post_size <= 0,
    ),
    _Rule(
        "model.config.is_valid.login_failures_per_address.app_error",
        "Login failures per address must be a positive number.",
        lambda s: s.login_failures_per_address <= 0,
    ),
    _Rule(
        "model.config.is_valid.link_preview_cache_seconds.app_error",
        "Link preview cache times must be positive numbers of seconds.",
        lambda s: s.link_preview_cache_seconds <= 0 or s.link_preview_failure_cache_seconds <= 0,
    ),
    _Rule(
        "model.config.is_valid.enforce_mfa_for.app_error",
        "Multi-factor enforcement must be for 'all' users or for 'admins'.",
        lambda s: s.enforce_mfa_for not in ("all", "admins"),
    ),
    _Rule(
        "model.config.is_valid.login_window_seconds.app_error",
        "Login window must be a positive number of seconds.",
        lambda s: s.login_window_seconds <= 0,
    ),
    # Moderation (decision 0031).
    _Rule(
        "model.config.is_valid.support.custom_terms_of_service_re_acceptance_period.app_error",
        "Custom terms of service re-acceptance period must be greater than 0.",
        lambda s: s.terms_of_service_reacceptance_days <= 0,
    ),
    _Rule(
        "model.config.is_valid.store_client_addresses.app_error",
        "Stored client addresses must be 'full', 'truncated' or 'none'.",
        lambda s: s.store_client_addresses not in ("full", "truncated", "none"),
    ),
    _Rule(
        "model.config.is_valid.client_address_retention_days.app_error",
        "Client address retention must be a positive number of days.",
        lambda s: s.client_address_retention_days <= 0,
    ),
    _Rule(
        "model.config.is_valid.data_export_expiry_hours.app_error",
        "A data export must stay downloadable 1 to 8760 hours.",
        lambda s: not 0 < s.data_export_expiry_hours <= 8760,
    ),
    _Rule(
        "model.config.is_valid.erased_user_posts.app_error",
        "An erased user's posts are 'anonymise'd or 'remove'd.",
        lambda s: s.erased_user_posts not in ("anonymise", "remove"),
    ),
    _Rule(
        "model.config.is_valid.erased_user_direct_messages.app_error",
        "An erased user's direct messages are 'keep' or 'delete'.",
        lambda s: s.erased_user_direct_messages not in ("keep", "delete"),
    ),
    # Custom slash commands and interactive messages: a call needs some time to be answered.
    _Rule(
        "model.config.is_valid.outgoing_integration_requests_timeout.app_error",
        "Outgoing integration requests timeout must be a positive number of seconds.",
        lambda s: s.integration_request_timeout_seconds <= 0,
    ),
)


def check_settings(settings: Settings) -> None:
    """Raises the first problem as Mattermost's 400, as Config.IsValid does."""
    for rule in _RULES:
        if rule.broken(settings):
            raise errors.APIError(400, rule.error_id, rule.message)

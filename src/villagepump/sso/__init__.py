"""Signing in with an outside account: OpenID Connect (openid.py) and MediaWiki's OAuth 2.0
(mediawiki.py), behind one small interface (providers.py). The browser side (redirects, the
state row, cookies) is in api/sso.py; accounts and sessions in actions/sso.py."""
